"""重大行政决策 refusals (暂行条例 Arts 15, 25, 26), 案卷评查 (verifiable draw, reviewers not the handlers,
scoresheet with veto items, 整改, the 通报 job), 权责清单 versions, the public pages."""

from datetime import date

import pytest

from tests.factories import make_user
from tests.legal.conftest import closed_cases, doc_to
from zhifa.core.errors import DomainError
from zhifa.legal import selectors, services
from zhifa.legal.enums import CampaignStatus

EVIDENCE = "https://www.yunan.gov.cn/hdjl/zjyj/12.html"


def _decision(p):
    return services.decision_create(
        actor=p["reviewer"],
        org=p["tree"].bureau_a,
        year=2026,
        title="郁南县城区公交线网优化调整方案",
        lead_unit="运输股",
        risk_needed=False,
        on=date(2026, 3, 2),
    )


def test_collective_discussion_within_seven_working_days_of_legality_review_is_refused(people):
    """暂行条例 Art 26: ≥ 7 working days for the 合法性审查. Sent Fri 2026-02-13 with the Spring Festival holiday
    (02-15 to 02-23) in between and the make-up Saturdays 02-14 and 02-28 counted: 14 (1), 24–27 (5), 28 (6),
    Mon 03-02 (7). A discussion on Fri 02-27 (the 5th working day) is refused; on 03-02 it may go ahead."""
    p = people
    d = _decision(p)
    step = services.decision_step_record
    step(
        actor=p["reviewer"],
        decision=d,
        step="comment",
        started_on=date(2026, 1, 5),
        done_on=date(2026, 2, 4),
        evidence=EVIDENCE,
    )
    with pytest.raises(DomainError, match="未经合法性审查的，不得提交决策机关讨论.*第二十五条"):
        step(
            actor=p["head"], decision=d, step="discussion", done_on=date(2026, 3, 10), evidence="局务会议纪要"
        )
    step(
        actor=p["reviewer"],
        decision=d,
        step="legality",
        started_on=date(2026, 2, 13),
        done_on=date(2026, 2, 27),
        evidence="法律顾问审查意见",
    )
    with pytest.raises(DomainError, match="第二十六条") as e:
        step(
            actor=p["head"], decision=d, step="discussion", done_on=date(2026, 2, 27), evidence="局务会议纪要"
        )
    assert "不少于7个工作日" in e.value.message and "2026-03-02 前不得集体讨论" in e.value.message
    step(actor=p["head"], decision=d, step="discussion", done_on=date(2026, 3, 2), evidence="局务会议纪要")
    assert {s.step for s in d.steps.all()} == {"comment", "legality", "discussion"}


def test_public_comment_shorter_than_30_days_needs_reasons(people):
    """暂行条例 Art 15 para 2: generally not less than 30 days; shorter only with stated reasons."""
    p = people
    d = _decision(p)

    def comment(decision, done_on, reason=""):
        return services.decision_step_record(
            actor=p["reviewer"],
            decision=decision,
            step="comment",
            started_on=date(2026, 1, 5),
            done_on=done_on,
            evidence=EVIDENCE,
            reason=reason,
        )

    with pytest.raises(DomainError, match="不足30日.*第十五条第二款"):
        comment(d, date(2026, 2, 3))  # 29 days
    comment(d, date(2026, 2, 4))  # 30 days
    with pytest.raises(DomainError, match="未经集体讨论决定的不得公布"):
        services.decision_step_record(
            actor=p["reviewer"], decision=d, step="publish", done_on=date(2026, 3, 5), evidence=EVIDENCE
        )
    urgent = _decision(p)
    comment(urgent, date(2026, 1, 15), reason="汛期应急，须尽快实施")  # 10 days, with its reason
    assert urgent.steps.get().reason == "汛期应急，须尽快实施"


@pytest.fixture
def campaign_world(people, handler_officer):
    p = people
    t = p["tree"]
    cases = closed_cases(
        t, p["officer"], {t.squad_a1: 6, t.squad_a2: 3}, closed_on=date(2026, 6, 1), handler=handler_officer
    )
    closed_cases(t, p["officer"], {t.squad_a1: 1}, closed_on=date(2025, 6, 1))  # outside the range
    return p, cases


def _campaign(p, *, ratio: int, per_unit: int, reviewers):
    return services.campaign_create(
        actor=p["reviewer"],
        org=p["tree"].bureau_a,
        title="2026年度案卷评查",
        closed_from=date(2026, 1, 1),
        closed_to=date(2026, 12, 31),
        ratio_percent=ratio,
        per_unit=per_unit,
        rectify_days=30,
        reviewers=reviewers,
    )


def _sample(p, c):
    return services.campaign_sample(
        actor=p["reviewer"],
        campaign=c,
        cases=selectors.closed_cases_for_review(p["reviewer"]),
        on=date(2026, 7, 1),
    )


def test_campaign_samples_verifiably_and_never_gives_a_file_to_its_handler(campaign_world):
    p, cases = campaign_world
    t = p["tree"]
    second = make_user("reviewer_a2", t.bureau_a, {"legal_reviewer"})
    c = _campaign(p, ratio=30, per_unit=2, reviewers=[p["officer"], second])
    _sample(p, c)
    c.refresh_from_db()
    files = list(c.files.all())
    # squad A1: ceil(6 × 30%) = 2; squad A2: ceil(3 × 30%) = 1 but at least 2
    by_unit = {u: sum(f.unit_id == u for f in files) for u in (t.squad_a1.pk, t.squad_a2.pk)}
    assert by_unit == {t.squad_a1.pk: 2, t.squad_a2.pk: 2}
    assert all(f.reviewer == second for f in files)  # officer_a handled them all
    assert sum(len(v) for v in c.population.values()) == 9  # the 2025 file is out of range
    assert services.campaign_verify(c)
    # the draw is the engine's: same seed and population, same files; another seed, another draw
    again = services.campaign_draw(bytes.fromhex(c.seed_hex), c.population, c.ratio_bp, c.per_unit)
    assert again == services.campaign_draw(bytes.fromhex(c.seed_hex), c.population, c.ratio_bp, c.per_unit)
    tampered = dict(c.population)
    tampered[str(t.squad_a1.pk)] = tampered[str(t.squad_a1.pk)][:-1]
    c.population = tampered
    assert not services.campaign_verify(c)


def test_campaign_refuses_when_only_the_handler_could_review(campaign_world):
    p, _cases = campaign_world
    c = _campaign(p, ratio=10, per_unit=0, reviewers=[p["officer"]])
    with pytest.raises(DomainError, match="评查人员不得评查本人承办的案卷"):
        _sample(p, c)
    assert not c.files.exists()


def test_scoring_with_veto_rectification_and_the_report_job(campaign_world, settings, tmp_path):
    import io

    from docx import Document

    settings.DATA_DIR = tmp_path
    p, _cases = campaign_world
    c = _campaign(p, ratio=10, per_unit=1, reviewers=[p["reviewer"]])
    _sample(p, c)
    f1, f2 = list(c.files.order_by("unit_id", "draw_order"))
    full = {
        "F1": 2,
        "F2": 4,
        "F3": 2,
        "F4": 1,
        "F5": 2,
        "F6": 1,
        "F7": 2,
        "F8": 6,
        "C1": 10,
        "C2": 20,
        "C3": 15,
        "C4": 20,
        "C5": 5,
        "C6": 10,
    }
    with pytest.raises(DomainError, match="须由分配的评查人员办理"):
        services.file_score(
            actor=p["head"], file=f1, points=full, vetoes=[], findings="", on=date(2026, 7, 2)
        )
    with pytest.raises(DomainError, match="C2“事实清楚，证据确凿，证据与事实之间有关联”得分应为 0 至 20"):
        services.file_score(
            actor=p["reviewer"],
            file=f1,
            points=full | {"C2": 21},
            vetoes=[],
            findings="",
            on=date(2026, 7, 2),
        )
    with pytest.raises(DomainError, match="还有 2 份案卷未评分"):
        services.campaign_report_submit(actor=p["reviewer"], campaign=c)
    services.file_score(
        actor=p["reviewer"], file=f1, points=full, vetoes=[], findings="", on=date(2026, 7, 2)
    )
    services.file_score(
        actor=p["reviewer"],
        file=f2,
        points=full | {"F2": 2},
        vetoes=["V9"],
        findings="现场检查笔录仅一名执法人员签名",
        on=date(2026, 7, 2),
    )
    f1.refresh_from_db()
    f2.refresh_from_db()
    assert (f1.score, f1.rectify_due) == (100, None)
    # veto → 0; 30 days to 整改 end on Sat 2026-08-01, rolled over to Mon 08-03 (民法典第二百零三条)
    assert f2.score == 0 and f2.rectify_due == date(2026, 8, 3)
    job = services.campaign_report_submit(actor=p["reviewer"], campaign=c)  # runs eagerly in tests
    job.refresh_from_db()
    assert job.status == "done", job.error
    c.refresh_from_db()
    assert c.status == CampaignStatus.CLOSED
    from zhifa.jobs.files import export_file

    text = "\n".join(par.text for par in Document(io.BytesIO(export_file(job.pk).read_bytes())).paragraphs)
    assert "执法人员少于两人" in text and "请于 2026年08月03日 前整改" in text
    assert c.seed_hex in text


def test_power_items_are_versioned_with_reasons(people):
    p = people
    org = p["tree"].bureau_a
    first = services.power_item_save(
        actor=p["reviewer"],
        org=org,
        code="XK-001",
        name="道路货物运输经营许可",
        kind="licensing",
        basis="《道路运输条例》第二十四条",
        level="县级",
        valid_from=date(2025, 1, 1),
    )
    with pytest.raises(DomainError, match="调整须写明理由"):
        services.power_item_save(
            actor=p["reviewer"],
            org=org,
            code="XK-001",
            name="道路货物运输经营许可",
            kind="licensing",
            basis="《道路运输条例》第二十四条",
            level="乡镇",
            valid_from=date(2026, 1, 1),
        )
    second = services.power_item_save(
        actor=p["reviewer"],
        org=org,
        code="XK-001",
        name="道路货物运输经营许可",
        kind="licensing",
        basis="《道路运输条例》第二十四条",
        level="县级",
        delegated_to="郁南县都城镇人民政府",
        valid_from=date(2026, 1, 1),
        change_reason="委托乡镇实施（重心下移）",
    )
    first.refresh_from_db()
    assert first.valid_to == date(2025, 12, 31) and second.version == 2
    assert list(selectors.public_powers(on=date(2025, 6, 1))) == [first]
    assert list(selectors.public_powers(on=date(2026, 6, 1))) == [second]


def test_public_pages_list_only_documents_in_force_and_current_powers(client, people):
    p = people
    doc = doc_to("publish", tree=p["tree"], officer=p["officer"], reviewer=p["reviewer"], head=p["head"])
    draft = doc_to("legal", tree=p["tree"], officer=p["officer"], reviewer=p["reviewer"], head=p["head"])
    draft.title = "尚未印发的草案"
    draft.save()
    services.power_item_save(
        actor=p["reviewer"],
        org=p["tree"].bureau_a,
        code="CF-010",
        name="对未携带道路运输证的处罚",
        kind="penalty",
        basis="《道路运输条例》第六十八条",
        level="县级",
        valid_from=date(2025, 1, 1),
    )
    page = client.get("/public/legal/documents/").content.decode()
    assert doc.title in page and doc.register_no in page and "2031-03-01" in page
    assert "尚未印发的草案" not in page
    services.doc_repeal(actor=p["reviewer"], doc=doc, on=date(2026, 4, 1), reason="清理废止")
    assert doc.title not in client.get("/public/legal/documents/").content.decode()
    powers = client.get("/public/legal/powers/").content.decode()
    assert "对未携带道路运输证的处罚" in powers and "行政处罚" in powers
    assert "有效文件目录" in client.get("/public/").content.decode()


def test_cleanup_campaign_keeps_amends_and_repeals_on_closing(people):
    from zhifa.legal.models import NormativeDoc

    p = people
    first = doc_to("publish", tree=p["tree"], officer=p["officer"], reviewer=p["reviewer"], head=p["head"])
    second = doc_to("publish", tree=p["tree"], officer=p["officer"], reviewer=p["reviewer"], head=p["head"])
    NormativeDoc.objects.filter(pk=second.pk).update(doc_no="郁交规〔2026〕2号", subject="维修")
    c = services.cleanup_create(
        actor=p["reviewer"],
        org=p["tree"].bureau_a,
        title="2026年度规范性文件清理",
        issued_from=date(2026, 1, 1),
        issued_to=date(2026, 12, 31),
        reviewers=[p["reviewer"]],
        on=date(2026, 11, 2),
    )
    a, b = list(c.items.order_by("doc_id"))
    with pytest.raises(DomainError, match="修改或废止的，须写明理由"):
        services.cleanup_decide(
            actor=p["reviewer"], item=a, decision="repeal", reason="", on=date(2026, 11, 3)
        )
    with pytest.raises(DomainError, match="须由分配的清理人办理"):
        services.cleanup_decide(actor=p["head"], item=a, decision="keep", reason="", on=date(2026, 11, 3))
    services.cleanup_decide(
        actor=p["reviewer"], item=a, decision="repeal", reason="调整对象已消失", on=date(2026, 11, 3)
    )
    with pytest.raises(DomainError, match="还有 1 件文件未提出清理意见"):
        services.cleanup_close(actor=p["reviewer"], campaign=c, on=date(2026, 11, 4))
    services.cleanup_decide(actor=p["reviewer"], item=b, decision="keep", reason="", on=date(2026, 11, 3))
    services.cleanup_close(actor=p["reviewer"], campaign=c, on=date(2026, 11, 4))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "repealed" and "2026年度规范性文件清理：调整对象已消失" in first.end_reason
    assert second.status == "published"
    assert c.report == "清理文件 2 件：继续有效 1 件，修改 0 件，废止 1 件。"
    assert list(selectors.public_documents(on=date(2026, 12, 1))) == [second]
