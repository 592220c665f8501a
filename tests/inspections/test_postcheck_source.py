"""双随机 drawing from the 告知承诺事后核查名录 (issue 19 item 3): the task's target list is the enterprises whose
post-check is due on the draw date (the ``permits.postchecks_due`` lookup, provided by permits), the draw
stays verifiable with the same inputs' shape, and the submitted record is the post-check (the
``inspections.record_submitted`` event, heard by permits): passed → 承诺属实; not passed → 核查不通过（待认定）
and the 法制审核人员 / 负责人 are told, the 撤销 staying theirs."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.factories import PASSWORD
from tests.inspections.test_services import submit
from zhifa.core.errors import DomainError
from zhifa.inspections import draw as algo
from zhifa.inspections import selectors
from zhifa.inspections import services as svc
from zhifa.inspections.models import Assignment, ResultKind, TargetSource
from zhifa.notifications.models import Notification
from zhifa.permits import selectors as permit_selectors
from zhifa.permits import services as permits
from zhifa.permits.enums import PostCheck, State

pytestmark = pytest.mark.django_db


def pledge(tree, enterprise, accepted_on: date, actor):
    """A 告知承诺 道路普通货物运输经营 application of ``enterprise``, accepted and granted (post-check in 60 days)."""
    item = permit_selectors.item_current("dlhy", accepted_on)
    app = permits.application_submit(
        actor=actor,
        org=tree.bureau_a,
        item=item,
        channel="window",
        received_on=accepted_on,
        applicant=enterprise.name,
        applicant_uscc=enterprise.uscc,
        pledge=True,
        pledge_text="本企业承诺车辆技术条件符合要求",
    )
    permits.application_accept(app=app, actor=actor, on=accepted_on)
    permits.application_decide(
        app=app,
        actor=actor,
        on=accepted_on + timedelta(days=1),
        grant=True,
        today=accepted_on + timedelta(days=1),
    )
    app.refresh_from_db()
    return app


@pytest.fixture
def pledges(county, tree, officer_user, reviewer_user):
    """Two pledges due on the draw date, one not yet due, one already checked by the staff."""
    permits.catalogue_seed(on=date(2025, 1, 1))
    e = county.enterprises
    long_ago = county.today - timedelta(days=100)  # due 40 days before the draw
    out = {
        "due": pledge(tree, e[0], long_ago, officer_user),
        "due2": pledge(tree, e[3], long_ago, officer_user),
        "not_yet": pledge(tree, e[5], county.today - timedelta(days=10), officer_user),
        "done": pledge(tree, e[7], long_ago, officer_user),
    }
    assert out["due"].postcheck_due == long_ago + timedelta(days=60) < county.today
    assert out["not_yet"].postcheck_due > county.today
    permits.postcheck_record(
        app=out["done"],
        actor=reviewer_user,
        on=county.today - timedelta(days=5),
        truthful=True,
        note="现场核查属实",
    )
    return out


def postcheck_task(county, head_user, **kw):
    return svc.task_create(
        plan=county.plan,
        item=county.item,
        draw_date=county.today,
        ratio_bp=10000,  # every target of the list, so the test sees exactly who was on it
        target_source=TargetSource.POSTCHECKS,
        actor=head_user,
        **kw,
    )


def target(enterprise) -> str:
    return selectors.target_code(enterprise.pk)


def test_the_task_draws_only_from_the_pledges_due_on_the_draw_date(county, head_user, pledges):
    task = postcheck_task(county, head_user)
    inputs = selectors.draw_inputs(task)
    ids = {t["id"] for t in inputs["targets"]}
    e = county.enterprises
    assert ids == {target(e[0]), target(e[3])}
    assert target(e[5]) not in ids  # not yet due
    assert target(e[7]) not in ids  # checked already
    # the same shape as a whole-directory draw: ALGORITHM.md's inputs, no new field
    whole = selectors.draw_inputs(county.task)
    assert len(whole["targets"]) == 40
    assert set(inputs["task"]) == set(whole["task"])
    assert {tuple(sorted(t)) for t in inputs["targets"]} == {tuple(sorted(whole["targets"][0]))}


def test_a_pledge_due_after_the_draw_date_is_not_on_an_earlier_task(county, head_user, pledges):
    early = svc.task_create(
        plan=county.plan,
        item=county.item,
        draw_date=pledges["due"].postcheck_due - timedelta(days=1),
        ratio_bp=10000,
        target_source=TargetSource.POSTCHECKS,
        actor=head_user,
    )
    assert selectors.draw_inputs(early)["targets"] == []
    with pytest.raises(DomainError, match="检查对象名录中没有符合本任务范围的对象"):
        svc.draw_commit(task=early, actor=head_user)


def test_an_unknown_target_source_is_refused_in_chinese(county, head_user):
    with pytest.raises(DomainError, match="抽查对象范围无效"):
        svc.task_create(
            plan=county.plan, item=county.item, draw_date=county.today, target_source="all", actor=head_user
        )


def test_submitting_the_record_is_the_postcheck_and_the_draw_still_verifies(
    client, county, head_user, reviewer_user, pledges, django_capture_on_commit_callbacks
):
    task = postcheck_task(county, head_user)
    svc.draw_commit(task=task, actor=head_user)
    svc.draw_execute(task=task, actor=head_user)
    d = svc.draw_reveal(task=task, actor=head_user)
    doc = json.loads(json.dumps(selectors.draw_file(d), ensure_ascii=False))
    assert algo.verify_file(doc).ok
    by_ent = {a.enterprise_id: a for a in Assignment.objects.filter(draw=d)}
    e = county.enterprises
    assert set(by_ent) == {e[0].pk, e[3].pk}

    with django_capture_on_commit_callbacks(execute=True):
        submit(by_ent[e[0].pk], None, on=county.today)
    ok = pledges["due"]
    ok.refresh_from_db()
    assert ok.postcheck == PostCheck.TRUE and ok.postcheck_on == county.today
    assert task.title in ok.postcheck_note and "未发现问题" in ok.postcheck_note
    assert ok.steps.filter(label="事后核查").exists()
    assert not Notification.objects.filter(kind="permits.postcheck_failed").exists()

    with django_capture_on_commit_callbacks(execute=True):
        submit(
            by_ent[e[3].pk], None, on=county.today, result=ResultKind.RECTIFY, findings="两辆车技术等级不合格"
        )
    bad = pledges["due2"]
    bad.refresh_from_db()
    assert bad.postcheck == PostCheck.FAILED and bad.state == State.GRANTED  # no 撤销 by the inspection
    assert "两辆车技术等级不合格" in bad.postcheck_note
    told = Notification.objects.filter(kind="permits.postcheck_failed", link=f"/permits/{bad.pk}/")
    assert reviewer_user.pk in set(told.values_list("user_id", flat=True))
    assert head_user.pk in set(told.values_list("user_id", flat=True))

    # neither is due any more; the failed one stays on the staff's list until they decide
    assert not permit_selectors.postchecks_due(county.plan.org, on=county.today).exists()
    assert set(permit_selectors.postchecks_open(reviewer_user)) == {bad, pledges["not_yet"]}
    # the application page says so and still offers the staff's 事后核查 (承诺属实 / 承诺不实)
    assert client.login(username=reviewer_user.username, password=PASSWORD)
    page = client.get(f"/permits/{bad.pk}/").content.decode()
    assert "核查不通过（待认定）" in page and 'name="truthful"' in page
    listed = client.get("/permits/postchecks/").content.decode()
    assert bad.number in listed and ok.number not in listed
    permits.postcheck_record(app=bad, actor=reviewer_user, on=county.today, truthful=False, note="承诺不实")
    bad.refresh_from_db()
    assert bad.postcheck == PostCheck.FALSE and bad.state == State.ANNULLED

    # the draw file published before the post-checks still replays
    assert algo.verify_file(json.loads(json.dumps(selectors.draw_file(d), ensure_ascii=False))).ok


def test_a_whole_directory_task_leaves_the_postchecks_alone(county, head_user, pledges):
    task = county.task
    task.ratio_bp = 10000
    task.save(update_fields=["ratio_bp"])
    svc.draw_commit(task=task, actor=head_user)
    d = svc.draw_execute(task=task, actor=head_user)
    a = Assignment.objects.get(draw=d, enterprise=county.enterprises[0])
    submit(a, None, on=county.today)
    pledges["due"].refresh_from_db()
    assert pledges["due"].postcheck == PostCheck.PENDING
    assert pledges["due"] in permit_selectors.postchecks_due(county.plan.org, on=county.today)


def test_the_plan_page_and_the_api_create_a_task_on_the_postcheck_list(client, county, head_user, pledges):
    from zhifa.accounts import services as acc

    assert client.login(username=head_user.username, password=PASSWORD)
    page = client.get(f"/inspections/plans/{county.plan.pk}/").content.decode()
    assert "告知承诺事后核查名录" in page and "postchecks" in page  # the choice, by its label
    client.post(
        f"/inspections/plans/{county.plan.pk}/",
        {
            "item": county.item.pk,
            "draw_date": county.today.isoformat(),
            "k": "2",
            "target_source": "postchecks",
        },
    )
    task = county.plan.tasks.order_by("-pk").first()
    assert task.pk != county.task.pk and task.target_source == TargetSource.POSTCHECKS
    detail = client.get(f"/inspections/tasks/{task.pk}/").content.decode()
    assert "抽查对象范围" in detail and "告知承诺事后核查名录" in detail

    token = acc.api_token_create(user=head_user, name="测试", actor=head_user)[1]
    r = client.post(
        f"/api/v1/inspections/plans/{county.plan.pk}/tasks",
        {"item_id": county.item.pk, "draw_date": county.today.isoformat(), "target_source": "postchecks"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 200, r.content
    assert r.json()["target_source"] == "postchecks"
    bad = client.post(
        f"/api/v1/inspections/plans/{county.plan.pk}/tasks",
        {"item_id": county.item.pk, "draw_date": county.today.isoformat(), "target_source": "all"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert bad.status_code == 422 and bad.json()["message"] == "抽查对象范围无效"
