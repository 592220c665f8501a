"""A small county for 双随机: enterprises of two business types, five certified officers (one of them the
``officer_user`` account), one item, an annual plan and one task."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import fake_idcard, fake_uscc
from zhifa.accounts import services as acc
from zhifa.accounts.models import Officer
from zhifa.inspections import services as svc
from zhifa.inspections.models import InspectionItem, InspectionPlan, InspectionTask
from zhifa.registry.models import Enterprise
from zhifa.registry.services import subject_save


@dataclass
class County:
    today: date
    officers: list[Officer]
    enterprises: list[Enterprise]
    item: InspectionItem
    plan: InspectionPlan
    task: InspectionTask
    extra: dict = field(default_factory=dict)


def add_officer(org, name, rng, *, user=None, valid_to=None, number=None) -> Officer:
    today = timezone.localdate()
    o = acc.officer_create(
        org=org, name=name, idcard=fake_idcard(rng), position="执法队员", user=user, actor=None
    )
    acc.certificate_add(
        officer=o,
        number=number or f"粤交执445322{rng.randint(10**5, 10**6 - 1)}",
        issuing_authority="广东省交通运输厅",
        field="comprehensive",
        valid_from=today - timedelta(days=400),
        valid_to=valid_to or today + timedelta(days=900),
        actor=None,
    )
    return o


@pytest.fixture
def county(tree, head_user, officer_user) -> County:
    rng = random.Random(20260505)
    today = timezone.localdate()
    for i in range(30):
        subject_save(
            kind="enterprises",
            actor=head_user,
            data={
                "uscc": fake_uscc(rng),
                "name": f"郁南县第{i}货运有限公司",
                "business_type": "freight",
                "address": f"郁南县{'都城镇' if i % 2 else '平台镇'}建设路{i}号",
            },
        )
    for i in range(10):
        subject_save(
            kind="enterprises",
            actor=head_user,
            data={
                "uscc": fake_uscc(rng),
                "name": f"郁南县第{i}客运有限公司",
                "business_type": "passenger",
                "address": f"郁南县都城镇环城路{i}号",
            },
        )
    officers = [add_officer(tree.squad_a1, "陈伟强", rng, user=officer_user)]
    officers += [
        add_officer(tree.squad_a1 if i % 2 else tree.squad_a2, n, rng)
        for i, n in enumerate(["李明", "黄志勇", "梁俊峰", "林海涛"])
    ]
    item = svc.item_create(
        org=tree.bureau_a,
        code="JT-01",
        name="道路运输企业安全生产主体责任落实情况检查",
        legal_basis="《中华人民共和国道路运输条例》第六十条",
        inspecting_body="郁南县交通运输局",
        ratio_bp=1000,
        business_types=["freight", "passenger"],
        checklist=["安全生产管理制度", "动态监控", "驾驶员教育培训"],
        actor=head_user,
    )
    plan = svc.plan_create(
        org=tree.bureau_a,
        year=today.year,
        title=f"{today.year}年度双随机抽查计划",
        items=[(item, 1000, [1, 2, 3, 4])],
        actor=head_user,
    )
    task = svc.task_create(
        plan=plan, item=item, draw_date=today, due_date=today + timedelta(days=30), actor=head_user
    )
    ents = list(Enterprise.objects.filter(org=tree.bureau_a).order_by("pk"))
    return County(today, officers, ents, item, plan, task)
