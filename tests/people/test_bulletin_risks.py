"""Overdue 风险台账 tasks are named among the problems of the 月度通报 (issue 21 §6): the tasks still open at the
end of the month with their deadline before it, of the bulletin's unit, as they stood then."""

from __future__ import annotations

import io
from datetime import date

from docx import Document

from zhifa.people import services
from zhifa.reports import bulletins
from zhifa.reports.models import Bulletin


def _risk(org, title, deadline, head, closed_on=None):
    t = services.risk_create(org=org, title=title, deadline=deadline, actor=head)
    if closed_on:
        services.risk_progress(task=t, on=closed_on, note="已整改", status="done", actor=head)
    return t


def test_overdue_risk_tasks_are_named_in_the_monthly_bulletin(tree, head_user):
    _risk(tree.squad_a1, "穿村过镇路段整治", date(2026, 6, 10), head_user)
    _risk(tree.bureau_a, "临水临崖护栏缺失", date(2026, 6, 20), head_user, closed_on=date(2026, 7, 2))
    _risk(tree.bureau_a, "急弯陡坡警示标志", date(2026, 6, 5), head_user, closed_on=date(2026, 6, 4))
    _risk(tree.bureau_a, "长下坡避险车道", date(2026, 7, 3), head_user)
    june = bulletins.bulletin_content(
        head_user, org=tree.bureau_a, month="2026-06", indicator_ids=[], today=date(2026, 7, 5)
    )
    risk = [p["text"] for p in june["problems"] if p["text"].startswith("风险台账")]
    # open past its deadline, and closed only in July (overdue at the end of June); not the one done on time
    # nor the one due in July
    assert risk == [
        f"风险台账任务逾期未完成 2 项：穿村过镇路段整治（{tree.squad_a1.name}，06月10日到期）、"
        f"临水临崖护栏缺失（{tree.bureau_a.name}，06月20日到期）。"
    ]
    # the 中队's bulletin names only its own task; in mid-June only the task already past its deadline
    squad = bulletins.bulletin_content(
        head_user, org=tree.squad_a1, month="2026-06", indicator_ids=[], today=date(2026, 7, 5)
    )
    assert [p["text"] for p in squad["problems"]] == [
        f"风险台账任务逾期未完成 1 项：穿村过镇路段整治（{tree.squad_a1.name}，06月10日到期）。"
    ]
    mid = bulletins.bulletin_content(
        head_user, org=tree.bureau_a, month="2026-06", indicator_ids=[], today=date(2026, 6, 15)
    )
    assert [p["text"] for p in mid["problems"]] == [
        f"风险台账任务逾期未完成 1 项：穿村过镇路段整治（{tree.squad_a1.name}，06月10日到期）。"
    ]


def test_the_bulletin_document_carries_the_overdue_task(tree, head_user):
    _risk(tree.bureau_a, "穿村过镇路段整治", date(2026, 6, 10), head_user)
    b = bulletins.bulletin_request(
        actor=head_user, org=tree.bureau_a, month="2026-06", indicator_ids=["people.risk_on_time"]
    )
    b = Bulletin.objects.get(pk=b.pk)
    text = "\n".join(p.text for p in Document(io.BytesIO(bulletins.bulletin_file(b))).paragraphs)
    assert "风险台账任务逾期未完成 1 项：穿村过镇路段整治" in text
