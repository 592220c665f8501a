"""双随机 services: the whole flow, refusals (too few inspectors, expired certificate, changed inputs),
redraw logging, 回避, 合并检查, records, case sources, publication clock, permissions and scoping."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import timedelta

import pytest

from tests.factories import fake_uscc, make_user
from tests.inspections.conftest import add_officer
from zhifa.cases.models import CaseSource
from zhifa.core.audit import audit_verify
from zhifa.core.calendar import add_workdays, is_workday
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditRecord
from zhifa.inspections import draw as algo
from zhifa.inspections import selectors
from zhifa.inspections import services as svc
from zhifa.inspections.models import (
    Assignment,
    ConflictKind,
    DrawStatus,
    InspectionRecord,
    PublishedList,
    RecordStatus,
    ResultKind,
    TaskStatus,
)
from zhifa.registry.services import subject_save

pytestmark = pytest.mark.django_db
SIG = "data:image/png;base64,iVBORw0KGgo="


def _grade_d(enterprise) -> str:
    return "D"


def run_draw(task, actor, *, seed=None):
    svc.draw_commit(task=task, actor=actor, seed=seed)
    svc.draw_execute(task=task, actor=actor)
    return svc.draw_reveal(task=task, actor=actor)


def submit(assignment, user, *, result=ResultKind.NONE, findings="", on=None):
    return svc.record_save(
        assignment=assignment,
        actor=user,
        inspected_on=on or assignment.task.draw_date,
        location="企业经营场所",
        findings=findings,
        result=result,
        rectify_due=assignment.task.draw_date + timedelta(days=15) if result == "rectify" else None,
        checklist=[{"item": "安全生产管理制度", "ok": result == ResultKind.NONE}],
        signer_name="企业负责人",
        signature=SIG,
        submit=True,
    )


def user_of(assignment):
    return (
        next(o.user for o in assignment.inspectors.all() if o.user_id)
        if any(o.user_id for o in assignment.inspectors.all())
        else None
    )


# --- the flow -------------------------------------------------------------------------------------------


def test_commit_draw_reveal_and_replay_in_a_fresh_process(county, head_user, tmp_path):
    d = svc.draw_commit(task=county.task, actor=head_user)
    assert d.status == DrawStatus.COMMITTED and len(d.commitment) == 64 and not d.seed
    assert selectors.draw_file(d)["seed"] is None and "assignments" not in selectors.draw_file(d)
    svc.draw_execute(task=county.task, actor=head_user)
    d = svc.draw_reveal(task=county.task, actor=head_user)
    county.task.refresh_from_db()
    assert county.task.status == TaskStatus.REVEALED
    # ceil(30 x 10%) freight + ceil(10 x 10%) passenger
    assert [(s["stratum"], s["population"], s["drawn"]) for s in d.result["strata"]] == [
        ("freight", 30, 3),
        ("passenger", 10, 1),
    ]
    rows = list(Assignment.objects.filter(draw=d).prefetch_related("inspectors"))
    assert len(rows) == 4 and all(a.inspectors.count() == 2 for a in rows)
    assert algo.commitment(d.seed, d.digests) == d.commitment

    path = tmp_path / "draw.json"
    path.write_text(json.dumps(selectors.draw_file(d), ensure_ascii=False), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "zhifa.cli", "inspections", "replay", str(path)],
        capture_output=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout.rstrip(b"\n") == algo.canonical(d.result["assignments"])
    assert "验证通过" in out.stderr.decode()
    assert audit_verify().ok


def test_replay_of_a_tampered_file_fails(county, head_user, tmp_path):
    d = run_draw(county.task, head_user)
    doc = selectors.draw_file(d)
    doc["assignments"][0]["inspectors"].reverse()
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "zhifa.cli", "inspections", "replay", str(path)],
        capture_output=True,
        timeout=120,
    )
    assert out.returncode == 1 and "不一致" in out.stderr.decode()
    missing = subprocess.run(
        [sys.executable, "-m", "zhifa.cli", "inspections", "replay", str(tmp_path / "no")],
        capture_output=True,
        timeout=120,
    )
    assert missing.returncode == 2


def test_at_least_two_inspectors_per_target(county, head_user):
    # 《行政处罚法》第四十二条: two is the minimum; one is refused
    with pytest.raises(DomainError, match="至少匹配 2 名"):
        svc.task_create(
            plan=county.plan,
            item=county.item,
            draw_date=county.today,
            inspectors_per_target=1,
            actor=head_user,
        )
    t = svc.task_create(
        plan=county.plan, item=county.item, draw_date=county.today, inspectors_per_target=2, actor=head_user
    )
    assert t.inspectors_per_target == 2


def test_refused_when_too_few_qualified_inspectors(county, head_user):
    task = svc.task_create(
        plan=county.plan, item=county.item, draw_date=county.today, inspectors_per_target=6, actor=head_user
    )
    with pytest.raises(DomainError) as e:
        svc.draw_commit(task=task, actor=head_user)
    assert e.value.code == "inspections.insufficient_inspectors" and "仅有 5 名" in e.value.message
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT and not task.draws.exists()


def test_refused_when_a_certificate_expired_after_the_commitment(county, head_user, tree):
    rng = random.Random(9)
    add_officer(tree.squad_a2, "区永健", rng, valid_to=county.today)  # valid on the draw date only
    d = svc.draw_commit(task=county.task, actor=head_user)
    assert len(d.inputs["inspectors"]) == 6
    with pytest.raises(DomainError) as e:
        svc.draw_execute(task=county.task, actor=head_user, on=county.today + timedelta(days=1))
    assert e.value.code == "inspections.certificate_invalid" and "过期" in e.value.message
    d.refresh_from_db()
    assert d.status == DrawStatus.COMMITTED and not d.assignments.exists()
    # on the day itself the certificate is still valid (its last day counts)
    assert svc.draw_execute(task=county.task, actor=head_user, on=county.today).status == DrawStatus.DRAWN


def test_refused_when_inputs_changed_after_the_commitment(county, head_user):
    svc.draw_commit(task=county.task, actor=head_user)
    subject_save(
        kind="enterprises",
        actor=head_user,
        data={"uscc": fake_uscc(random.Random(77)), "name": "新设立货运公司", "business_type": "freight"},
    )
    with pytest.raises(DomainError) as e:
        svc.draw_execute(task=county.task, actor=head_user)
    assert e.value.code == "inspections.inputs_changed" and "检查对象名录" in e.value.message
    assert not Assignment.objects.exists()
    county.task.refresh_from_db()
    assert county.task.status == TaskStatus.COMMITTED


def test_redraw_is_logged_with_reason_and_keeps_the_old_draw(county, head_user):
    first = run_draw(county.task, head_user)
    with pytest.raises(DomainError, match="必须说明原因"):
        svc.draw_redraw(task=county.task, reason=" ", actor=head_user)
    new = svc.draw_redraw(task=county.task, reason="抽中对象已注销", actor=head_user)
    first.refresh_from_db()
    assert (
        first.status == DrawStatus.SUPERSEDED and first.superseded_reason == "抽中对象已注销" and first.seed
    )
    assert new.seq == 2 and new.status == DrawStatus.COMMITTED and new.reason == "抽中对象已注销"
    assert AuditRecord.objects.filter(action="inspection_draw.supersede", reason="抽中对象已注销").exists()
    assert not selectors.my_assignments(head_user).exists()
    # once inspected, no more redraws
    svc.draw_execute(task=county.task, actor=head_user)
    a = Assignment.objects.filter(draw=new).first()
    submit(a, user_of(a) or _officer_user(a))
    with pytest.raises(DomainError, match="已有检查记录"):
        svc.draw_redraw(task=county.task, reason="再抽", actor=head_user)


def _officer_user(assignment):
    o = assignment.inspectors.first()
    if o.user_id is None:
        o.user = make_user(f"insp{o.pk}", o.org, {"officer"})
        o.save()
    return o.user


def test_declared_conflict_excludes_the_officer(county, head_user, officer_user):
    target = county.enterprises[0]
    me = county.officers[0]
    svc.conflict_declare(
        officer=me,
        enterprise=target,
        kind=ConflictKind.FORMER_EMPLOYER,
        valid_from=county.today - timedelta(days=1),
        note="2019年前在该公司任职",
        actor=officer_user,
    )
    task = svc.task_create(
        plan=county.plan,
        item=county.item,
        draw_date=county.today,
        ratio_bp=10000,
        allow_repeat=True,
        actor=head_user,
    )
    d = run_draw(task, head_user)
    a = Assignment.objects.get(draw=d, enterprise=target)
    assert me not in a.inspectors.all()
    row = next(r for r in d.inputs["inspectors"] if r["id"] == selectors.inspector_code(me.pk))
    assert row["excluded"] == [selectors.target_code(target.pk)]


def test_refused_when_recusal_leaves_fewer_than_two(county, head_user):
    target = county.enterprises[0]
    for o in county.officers[:4]:
        svc.conflict_declare(
            officer=o, enterprise=target, kind=ConflictKind.RELATIVE, valid_from=county.today, actor=head_user
        )
    with pytest.raises(DomainError, match="回避后可选检查人员仅 1 名"):
        svc.draw_commit(task=county.task, actor=head_user)


def test_officer_cannot_declare_someone_elses_conflict(county, officer_user):
    with pytest.raises(DomainError) as e:
        svc.conflict_declare(
            officer=county.officers[1],
            enterprise=county.enterprises[0],
            kind=ConflictKind.RELATIVE,
            valid_from=county.today,
            actor=officer_user,
        )
    assert e.value.status == 403


def test_same_item_and_plan_not_drawn_twice_unless_allowed(county, head_user):
    first = run_draw(county.task, head_user)
    drawn = set(Assignment.objects.filter(draw=first).values_list("enterprise_id", flat=True))
    again = svc.task_create(plan=county.plan, item=county.item, draw_date=county.today, actor=head_user)
    ids = {selectors.code_pk(t["id"]) for t in selectors.draw_inputs(again)["targets"]}
    assert ids.isdisjoint(drawn) and len(ids) == 40 - 4
    merged = svc.task_create(
        plan=county.plan, item=county.item, draw_date=county.today, allow_repeat=True, actor=head_user
    )
    assert drawn <= {selectors.code_pk(t["id"]) for t in selectors.draw_inputs(merged)["targets"]}


def test_recent_inspection_by_the_same_officer_is_excluded(county, head_user):
    d = run_draw(county.task, head_user)
    a = Assignment.objects.filter(draw=d).first()
    submit(a, _officer_user(a))
    task = svc.task_create(
        plan=county.plan, item=county.item, draw_date=county.today, allow_repeat=True, actor=head_user
    )
    inputs = selectors.draw_inputs(task)
    for o in a.inspectors.all():
        row = next(r for r in inputs["inspectors"] if r["id"] == selectors.inspector_code(o.pk))
        assert selectors.target_code(a.enterprise_id) in row["excluded"]


def test_credit_grade_provider_sets_the_weight(county, monkeypatch):
    assert {t["grade"] for t in selectors.target_directory(county.plan.org, on=county.today)} == {"未评级"}
    monkeypatch.setenv("ZHIFA_INSPECTION_CREDIT_GRADE", "tests.inspections.test_services:_grade_d")
    rows = selectors.target_directory(county.plan.org, on=county.today)
    # D grade x3; passenger is 两客一危 high risk x2 (rules.py)
    assert {(r["stratum"], r["weight"]) for r in rows} == {("freight", 3000), ("passenger", 6000)}


# --- records ----------------------------------------------------------------------------------------------


def test_only_drawn_inspectors_record_and_submission_needs_a_signature(
    county, head_user, officer_user, officer_b
):
    d = run_draw(county.task, head_user)
    mine = Assignment.objects.filter(draw=d, inspectors=county.officers[0]).first()
    other = Assignment.objects.filter(draw=d).exclude(inspectors=county.officers[0]).first()
    if other is not None:
        with pytest.raises(DomainError, match="只有抽中的检查人员"):
            svc.record_save(assignment=other, actor=officer_user, inspected_on=county.today)
    a = mine or other
    for stranger in (officer_b, head_user):
        with pytest.raises(DomainError, match="只有抽中的检查人员"):
            svc.record_save(assignment=a, actor=stranger, inspected_on=county.today)
    user = _officer_user(a) if mine is None else officer_user
    with pytest.raises(DomainError, match="须由被检查对象签名"):
        svc.record_save(assignment=a, actor=user, inspected_on=county.today, submit=True)
    with pytest.raises(DomainError, match="整改期限"):
        svc.record_save(
            assignment=a,
            actor=user,
            inspected_on=county.today,
            result=ResultKind.RECTIFY,
            findings="未按规定开展驾驶员安全教育",
            signer_name="张经理",
            signature=SIG,
            submit=True,
        )
    rec = svc.record_save(
        assignment=a, actor=user, inspected_on=county.today, refused_to_sign=True, submit=True
    )
    assert rec.status == RecordStatus.SUBMITTED
    with pytest.raises(DomainError, match="已提交"):
        svc.record_save(assignment=a, actor=user, inspected_on=county.today)


def test_publication_deadline_is_twenty_working_days(county, head_user):
    from zhifa.rules.params import procedure_param

    assert procedure_param("inspection_result_publication_period").value == 20  # 《企业信息公示暂行条例》第六条第二款、第七条
    d = run_draw(county.task, head_user)
    a = Assignment.objects.filter(draw=d).first()
    rec = submit(a, _officer_user(a))
    assert rec.publish_due == add_workdays(county.today, 20).date
    # 20 working days after the inspection day, the day itself not counted
    days = [county.today + timedelta(days=i) for i in range(1, (rec.publish_due - county.today).days + 1)]
    assert sum(is_workday(x) for x in days) == 20 and is_workday(rec.publish_due)


def test_finding_opens_a_case_source_once(county, head_user):
    d = run_draw(county.task, head_user)
    a = Assignment.objects.filter(draw=d).first()
    user = _officer_user(a)
    clean = submit(a, user)
    with pytest.raises(DomainError, match="未发现问题"):
        svc.record_open_case(record=clean, actor=user)
    b = Assignment.objects.filter(draw=d).exclude(pk=a.pk).first()
    rec = submit(b, _officer_user(b), result=ResultKind.CASE, findings="车辆未按规定安装卫星定位装置")
    src = svc.record_open_case(record=rec, actor=_officer_user(b))
    assert src.origin == "random_inspection" and src.enterprise_id == b.enterprise_id
    assert "未按规定安装卫星定位装置" in src.facts
    assert svc.record_open_case(record=rec, actor=head_user).pk == src.pk
    assert CaseSource.objects.filter(origin="random_inspection").count() == 1


def test_publish_completes_the_task(county, head_user, officer_user):
    d = run_draw(county.task, head_user)
    recs = [submit(a, _officer_user(a)) for a in Assignment.objects.filter(draw=d)]
    with pytest.raises(DomainError) as e:
        svc.record_publish(record=recs[0], actor=officer_user)
    assert e.value.status == 403
    for r in recs:
        svc.record_publish(record=r, actor=head_user)
    county.task.refresh_from_db()
    assert county.task.status == TaskStatus.COMPLETED
    assert selectors.public_results().count() == 4
    stats = selectors.unit_stats(head_user, year=county.today.year, today=county.today)
    assert stats["inspections"] == 4 and stats["published"] == 4 and stats["published_on_time"] == 4


def test_publish_needs_revealed_seed(county, head_user):
    svc.draw_commit(task=county.task, actor=head_user)
    svc.draw_execute(task=county.task, actor=head_user)
    a = Assignment.objects.first()
    rec = submit(a, _officer_user(a))
    with pytest.raises(DomainError, match="种子公开后"):
        svc.record_publish(record=rec, actor=head_user)


# --- permissions, scoping, lists ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer_user", "sysadmin", "auditadmin"])
def test_only_managers_commit(county, who, request):
    with pytest.raises(DomainError) as e:
        svc.draw_commit(task=county.task, actor=request.getfixturevalue(who))
    assert e.value.status == 403


def test_other_county_cannot_touch_the_plan(county, tree):
    head_b = make_user("head_b", tree.bureau_b, {"head"})
    with pytest.raises(DomainError, match="管辖范围"):
        svc.draw_commit(task=county.task, actor=head_b)
    assert not selectors.plans_visible(head_b).exists()
    assert not selectors.tasks_visible(head_b).exists()


def test_reads_are_scoped(county, officer_user, officer_b, sysadmin):
    assert selectors.plans_visible(officer_user).count() == 1
    assert not selectors.plans_visible(officer_b).exists()
    assert not selectors.items_visible(sysadmin).exists()


def test_lists_are_versioned(county, head_user):
    v1, created = svc.list_publish(org=county.plan.org, kind="targets", actor=head_user, on=county.today)
    assert created and v1.version == 1 and v1.row_count == 40 and v1.digest == algo.digest(v1.content)
    assert svc.list_publish(org=county.plan.org, kind="targets", actor=head_user, on=county.today) == (
        v1,
        False,
    )
    subject_save(
        kind="enterprises",
        actor=head_user,
        data={"uscc": fake_uscc(random.Random(5)), "name": "新设立维修厂", "business_type": "repair"},
    )
    v2, created = svc.list_publish(org=county.plan.org, kind="targets", actor=head_user, on=county.today)
    assert created and v2.version == 2 and v2.row_count == 41
    inspectors, _ = svc.list_publish(org=county.plan.org, kind="inspectors", actor=head_user, on=county.today)
    assert all("*" in r["name"] for r in inspectors.content)  # masked (PIPL)
    assert PublishedList.objects.count() == 3


def test_fairness_counts(county, head_user):
    run_draw(county.task, head_user)
    f = selectors.plan_fairness(county.plan)
    assert f["draws"] == 1 and sum(r.drawn for r in f["targets"]) == 4
    assert sum(r.drawn for r in f["inspectors"]) == 8
    assert abs(sum(r.expected for r in f["targets"]) - 4) < 1e-9


def test_joint_task_needs_partners(county, head_user):
    with pytest.raises(DomainError, match="联合抽查部门"):
        svc.task_create(
            plan=county.plan, item=county.item, draw_date=county.today, kind="joint", actor=head_user
        )
    t = svc.task_create(
        plan=county.plan,
        item=county.item,
        draw_date=county.today,
        kind="joint",
        partners="郁南县市场监督管理局",
        actor=head_user,
    )
    assert t.get_kind_display() == "部门联合抽查"


def test_records_are_kept_in_the_record_table(county, head_user):
    d = run_draw(county.task, head_user)
    a = Assignment.objects.filter(draw=d).first()
    submit(a, _officer_user(a))
    assert InspectionRecord.objects.get(assignment=a).publish_due is not None


def test_photo_goes_to_the_evidence_store(county, head_user):
    import io

    d = run_draw(county.task, head_user)
    a = Assignment.objects.filter(draw=d).first()
    user = _officer_user(a)
    rec = svc.record_save(assignment=a, actor=user, inspected_on=county.today)
    item = svc.record_attach(
        record=rec,
        stream=io.BytesIO(b"\x89PNG\r\n\x1a\nfake"),
        filename="现场照片.png",
        content_type="image/png",
        actor=user,
    )
    rec.refresh_from_db()
    assert rec.evidence_ids == [item.pk] and len(item.digest) == 64
    with pytest.raises(DomainError, match="只有抽中的检查人员"):
        svc.record_attach(
            record=rec, stream=io.BytesIO(b"x"), filename="a.png", content_type="image/png", actor=head_user
        )
