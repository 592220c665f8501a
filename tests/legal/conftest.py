"""Fixtures of 法制工作: a document driven through the services up to a given step, closed case files."""

from __future__ import annotations

import random
from datetime import date

import pytest

from tests.cases.conftest import make_officer
from zhifa.legal import services
from zhifa.legal.enums import CheckResult, Finding
from zhifa.rules.checklists import checklist_for

D0 = date(2026, 3, 2)
ALL_PASS = {c: CheckResult.PASS for c in services.LEGAL_CHECKS}


def fair_all(on: date, value: str = Finding.CLEAR) -> dict[str, str]:
    return {it["code"]: value for it in checklist_for("fair_competition", on=on).items}


def doc_to(step: str, *, tree, officer, reviewer, head, on: date = D0, affects_business: bool = True):
    """A document of county A taken through the lifecycle up to and including ``step``."""
    doc = services.doc_create(
        actor=officer,
        org=tree.bureau_a,
        title="郁南县巡游出租汽车经营服务管理规定",
        drafting_unit="郁南县交通运输局运输股",
        subject="出租汽车",
        affects_business=affects_business,
        on=on,
    )
    steps = ["submit", "legal", "fair", "deliberate", "register", "publish"]
    for s in steps[: steps.index(step) + 1]:
        if s == "submit":
            services.doc_submit_review(actor=officer, doc=doc, on=on)
        elif s == "legal":
            services.doc_legal_review(actor=reviewer, doc=doc, checks=ALL_PASS, opinion="", on=on)
        elif s == "fair" and affects_business:
            services.doc_fair_review(actor=reviewer, doc=doc, findings=fair_all(on), on=on)
        elif s == "deliberate":
            services.doc_deliberate(actor=head, doc=doc, on=on, minutes="局务会议审议通过")
        elif s == "register":
            services.doc_register(
                actor=reviewer, doc=doc, doc_no="郁交规〔2026〕1号", issued_on=on, effective_from=on
            )
        elif s == "publish":
            services.doc_publish(
                actor=reviewer, doc=doc, on=on, url="https://www.yunan.gov.cn/zwgk/gfxwj/1.html"
            )
        doc.refresh_from_db()
    return doc


@pytest.fixture
def people(tree, officer_user, reviewer_user, head_user):
    return {"tree": tree, "officer": officer_user, "reviewer": reviewer_user, "head": head_user}


def closed_cases(tree, officer_user, n_by_org: dict, *, closed_on: date, handler=None):
    """``n`` closed case files per unit (the case's own closure is not what is tested here: the rows are set
    closed directly), each handled by ``handler`` (an Officer) when given."""
    from zhifa.cases.enums import CaseState
    from zhifa.cases.models import Case, CaseOfficer
    from zhifa.cases.services import case_create

    out = []
    for org, n in n_by_org.items():
        for i in range(n):
            c = case_create(
                org=org,
                party_kind="org",
                party_name=f"{org.name}运输公司{i}",
                violation_name="未按规定携带道路运输证",
                facts="未随车携带道路运输证。",
                occurred_on=date(2026, 1, 5),
                actor=officer_user,
            )
            Case.objects.filter(pk=c.pk).update(state=CaseState.CLOSED, closed_on=closed_on)
            if handler is not None:
                CaseOfficer.objects.create(case=c, officer=handler, lead=True, assigned_on=date(2026, 1, 5))
            out.append(c)
    return out


@pytest.fixture
def handler_officer(tree, officer_user):
    return make_officer(tree.squad_a1, "郁南甲执法", random.Random(3), user=officer_user)
