"""The demo's 双随机 state: three lists, a plan with two completed rounds and one round ready to draw."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.cases.models import CaseSource
from zhifa.core.audit import audit_verify
from zhifa.core.errors import DomainError
from zhifa.demo.inspections import load_demo_inspections
from zhifa.demo.loader import load_demo
from zhifa.inspections import draw as algo
from zhifa.inspections import selectors, services
from zhifa.inspections.models import InspectionRecord, InspectionTask, PublishedList, RecordStatus, TaskStatus

TODAY = date(2026, 3, 2)


@pytest.fixture
def demo(db):
    load_demo(seed=2022, scale=0.05, today=TODAY, modules=())
    return load_demo_inspections(seed=2022, today=TODAY)


def test_demo_state(demo):
    statuses = list(
        InspectionTask.objects.filter(plan_id=demo.plan_id)
        .order_by("round_no")
        .values_list("status", flat=True)
    )
    assert statuses == [TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.COMMITTED]
    assert set(PublishedList.objects.values_list("kind", flat=True)) == {"items", "targets", "inspectors"}
    assert demo.inspections > 0
    assert InspectionRecord.objects.filter(status=RecordStatus.PUBLISHED).count() == demo.inspections
    assert CaseSource.objects.filter(origin="random_inspection").count() == demo.case_sources
    for t in InspectionTask.objects.filter(status=TaskStatus.COMPLETED):
        assert algo.verify_file(selectors.draw_file(t.current_draw())).ok
    assert audit_verify().ok


def test_ready_round_can_be_drawn_on_its_day(demo):
    task = InspectionTask.objects.get(status=TaskStatus.COMMITTED)
    with pytest.raises(DomainError):  # its two witnesses have not contributed yet
        services.draw_execute(task=task, actor=None, on=TODAY)
    for slot, value in (("W1", "1234"), ("W2", "5678")):
        services.contribution_enter(task=task, slot=slot, name="见证人", value=value, actor=None)
    d = services.draw_execute(task=task, actor=None, on=TODAY)
    assert d.algorithm == "zhifa-draw-v2"
    assert d.result["assignments"]
    # round 3 does not draw targets of rounds 1 and 2 (same item, same plan: 合并检查 rule)
    earlier = set(
        selectors.Assignment.objects.filter(task__plan_id=demo.plan_id)
        .exclude(task=task)
        .values_list("enterprise_id", flat=True)
    )
    assert earlier.isdisjoint(d.assignments.values_list("enterprise_id", flat=True))


def test_demo_seeds_derive_from_the_demo_seed(demo):
    tasks = InspectionTask.objects.filter(plan_id=demo.plan_id, status=TaskStatus.COMPLETED).order_by(
        "round_no"
    )
    for t in tasks:
        expected = algo.sm3(f"zhifa-demo-2022-{t.item.code}-{t.round_no}".encode()).hex()
        assert t.current_draw().seed == expected


def test_the_demo_witnessed_round_verifies_and_a_changed_witness_value_does_not(demo):
    """Round 2 of the demo was drawn before two witnesses (zhifa-draw-v2): its published file verifies from
    the file alone, and the same file with one witness value changed is refused."""
    import copy

    task = InspectionTask.objects.get(plan_id=demo.plan_id, round_no=2)
    doc = selectors.draw_file(task.current_draw())
    assert doc["algorithm"] == "zhifa-draw-v2"
    assert algo.verify_file(doc).ok
    forged = copy.deepcopy(doc)
    forged_witness = next(w for w in forged["witnesses"] if w.get("value"))
    forged_witness["value"] = forged_witness["value"] + "1"
    assert not algo.verify_file(forged).ok
