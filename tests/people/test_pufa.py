"""普法: the responsibility list and activities as records, and 以案释法 from a closed case with the party's
personal data removed (the disclosure layer's scrub); an open case cannot be used."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.cases.conftest import kit, step, to_state  # noqa: F401  (the case kit fixture)
from tests.factories import PASSWORD
from tests.people.conftest import add_activity
from zhifa.cases.models import Case
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditRecord
from zhifa.people import services


def _closed(kit):  # noqa: F811
    c = to_state(kit, "investigated")
    c = step(kit, c, "decide_no_penalty", kit.head, ground="首违不罚", education_record="已当场教育")
    c = step(kit, c, "serve", method="direct", proof="回证 1 号")
    return step(kit, c, "close", kit.head, on=date(2026, 3, 10))


SECRETS = ("欧阳娜娜", "445322199003070023", "13812345678", "建设路 8 号")


def _story(kit):  # noqa: F811
    case = _closed(kit)
    Case.objects.filter(pk=case.pk).update(
        party_name="欧阳娜娜",
        party_address="郁南县都城镇建设路 8 号",
        facts="欧阳娜娜（身份证 445322199003070023，电话 13812345678，住郁南县都城镇建设路 8 号）驾驶粤W12345号货车"
        "未随车携带道路运输证。",
    )
    case.refresh_from_db()
    return services.case_story_create(
        case=case, lesson="道路运输车辆应当随车携带道路运输证（《道路运输条例》第三十四条）。", actor=kit.head
    )


def test_a_case_story_keeps_no_personal_data(kit):  # noqa: F811
    story = _story(kit)
    for secret in SECRETS:
        assert secret not in story.text and secret not in story.title
    assert "未随车携带道路运输证" in story.text
    c = Client()
    c.login(username="head_a", password=PASSWORD)
    page = c.get("/people/pufa/").content.decode()
    assert "未随车携带道路运输证" in page and "欧阳娜娜" not in page


def test_a_head_publishes_a_case_story_on_the_portal_and_withdraws_it(kit):  # noqa: F811
    story = _story(kit)
    public = Client()  # no login: the portal
    assert public.get(f"/public/pufa/cases/{story.pk}/").status_code == 404  # not published yet
    assert story.title not in public.get("/public/pufa/cases/").content.decode()
    with pytest.raises(DomainError, match="须由执法部门负责人办理"):
        services.case_story_publish(story=story, publish=True, actor=kit.reviewer)
    head = Client()
    head.login(username="head_a", password=PASSWORD)
    head.post("/people/pufa/", {"act": "publish", "story": story.pk})
    story.refresh_from_db()
    assert story.published_on is not None
    listing = public.get("/public/pufa/cases/").content.decode()
    assert f'href="/public/pufa/cases/{story.pk}/"' in listing and story.title in listing
    assert 'href="/public/pufa/cases/"' in public.get("/public/").content.decode()  # in the portal's nav
    page = public.get(f"/public/pufa/cases/{story.pk}/").content.decode()
    assert "未随车携带道路运输证" in page and "第三十四条" in page
    for secret in SECRETS:
        assert secret not in page and secret not in listing
    head.post("/people/pufa/", {"act": "withdraw", "story": story.pk})
    assert public.get(f"/public/pufa/cases/{story.pk}/").status_code == 404
    assert AuditRecord.objects.filter(action="people.case_story_publish").count() == 1
    assert AuditRecord.objects.filter(action="people.case_story_withdraw").count() == 1


def test_an_open_case_is_refused(kit):  # noqa: F811
    case = to_state(kit, "investigated")
    with pytest.raises(DomainError, match="尚未结案"):
        services.case_story_create(case=case, lesson="说理", actor=kit.head)


def test_responsibility_list_and_activities(tree, head_user):
    services.pufa_item_add(
        org=tree.bureau_a,
        year=2026,
        kind="duty",
        content="向货运企业宣传治超法规",
        owner="第一中队",
        actor=head_user,
    )
    add_activity(tree.bureau_a, head_user)
    with pytest.raises(DomainError, match="类别"):
        services.pufa_item_add(org=tree.bureau_a, year=2026, kind="other", content="x", actor=head_user)
    c = Client()
    c.login(username="head_a", password=PASSWORD)
    page = c.get("/people/pufa/").content.decode()
    assert "向货运企业宣传治超法规" in page and "进企业宣讲" in page and "普法责任清单" in page
