"""Actor scoping across the modules (GB/T 22239-2019 §8.1.4.2 e: "应测试验证用户是否有可越权访问情形").

One county's objects are built through the services (a case with its documents and evidence, a case
source, an officer, credit records and a list entry, a 双随机 plan and task, a 治超 lead). Then, for every
endpoint in ``ENDPOINTS`` (an object of county A named by its id) and ``LISTS`` (a listing that must not
show it):

* an actor of county A who may use it gets past the scope (the URL is real: not 401/403/404);
* the officer of county B gets 404 — the same answer as for an id that does not exist, so ids do not leak;
* each of the 三员 (系统管理员、安全管理员、审计管理员) is refused (403, or 404 from the scoped lookup);
* a listing shows county A's object to county A and not to county B, and refuses the 三员 with 403.

A new endpoint is covered by adding one line to ``ENDPOINTS`` or ``LISTS``. The rules that are not "one
URL, one object" (who may publish a rule version, decide a blacklist entry, put whose officers on a
当场处罚, read whose audit log) have their own tests at the end.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import pytest
from django.utils import timezone

from tests.cases.conftest import make_officer
from tests.factories import make_user
from zhifa.core.errors import DomainError

ADMINS = ("sysadmin", "secadmin", "auditadmin")
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path, monkeypatch):
    """Evidence, documents and Parquet partitions of each test under its own directory."""
    from zhifa.evidence import storage

    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("ZHIFA_STORAGE", "fs")
    storage._cache.clear()
    yield
    storage._cache.clear()


class World:
    """County A's objects, each built on first use (a test pays only for what its URL names)."""

    def __init__(self, tree, users: dict):
        self.tree = tree
        self.users = users
        self.rng = random.Random(20260701)

    # --- accounts ----------------------------------------------------------------------------------
    @cached_property
    def officer(self):
        return make_officer(self.tree.squad_a1, "郁南甲执法", self.rng, user=self.users["officer_user"])

    @cached_property
    def officer2(self):
        return make_officer(self.tree.squad_a1, "郁南乙执法", self.rng)

    # --- cases, documents, evidence -----------------------------------------------------------------
    @cached_property
    def case(self):
        from zhifa.cases.services import case_create
        from zhifa.cases.workflow import case_transition

        c = case_create(
            org=self.tree.squad_a1,
            party_kind="org",
            party_name="郁南县甲乙运输有限公司",
            violation_name="未按规定携带道路运输证",
            violated_article="《道路运输条例》第三十四条",
            penalty_article="《道路运输条例》第六十八条",
            facts="粤W88888号货车在S276线未随车携带道路运输证。",
            occurred_on=TODAY() - timedelta(days=2),
            actor=self.users["officer_user"],
        )
        return case_transition(case=c, action="register", actor=self.users["head_user"], data={})

    @cached_property
    def source(self):
        from zhifa.cases.services import case_source_create

        src, _ = case_source_create(
            origin="complaint", org=self.tree.squad_a1, facts="群众投诉：郁南甲线索", actor=None
        )
        return src

    @cached_property
    def document(self):
        from zhifa.documents.models import IssuedDocument

        return IssuedDocument.objects.filter(target_type="cases.case", target_id=str(self.case.pk)).first()

    @cached_property
    def evidence(self):
        from zhifa.evidence.services import evidence_ingest

        return evidence_ingest(
            io.BytesIO(b"scene photo of county A"),
            filename="郁南甲现场.txt",
            content_type="text/plain",
            target_type="cases.case",
            target_id=self.case.pk,
            step="调查取证",
            org=self.case.org,
            actor=self.users["officer_user"],
        )

    # --- credit ------------------------------------------------------------------------------------
    @cached_property
    def credit_record(self):
        from zhifa.credit.services import credit_record_add

        return credit_record_add(
            org=self.tree.bureau_a,
            subject_ref="enterprise:424242",
            subject_name="郁南县甲信用物流有限公司",
            category="penalty",
            title="违法超限运输",
            source="郁南县交通运输局",
            source_ref="scoping-1",
            occurred_on=TODAY() - timedelta(days=400),
            effect="negative",
            severity="general",
            repair_eligible_from=TODAY() - timedelta(days=30),
            actor=None,
        )

    @cached_property
    def list_entry(self):
        from zhifa.credit.services import list_entry_propose

        return list_entry_propose(
            org=self.tree.bureau_a,
            list_kind="black",
            subject_ref="enterprise:424243",
            subject_name="郁南县甲黑名单物流有限公司",
            criterion="ZC-BL-1",
            facts="1年内违法超限运输4次",
            on=TODAY(),
            actor=self.users["head_user"],
        )

    # --- 双随机 ------------------------------------------------------------------------------------------
    @cached_property
    def item(self):
        from zhifa.inspections import services as svc

        return svc.item_create(
            org=self.tree.bureau_a,
            code="JT-SC",
            name="郁南甲抽查事项",
            legal_basis="《中华人民共和国道路运输条例》第六十条",
            inspecting_body="郁南县交通运输局",
            ratio_bp=1000,
            business_types=["freight"],
            checklist=["安全生产管理制度"],
            actor=self.users["head_user"],
        )

    @cached_property
    def plan(self):
        from zhifa.inspections import services as svc

        return svc.plan_create(
            org=self.tree.bureau_a,
            year=TODAY().year,
            title="郁南甲年度抽查计划",
            items=[(self.item, 1000, [1, 2, 3, 4])],
            actor=self.users["head_user"],
        )

    @cached_property
    def task(self):
        from zhifa.inspections import services as svc

        return svc.task_create(
            plan=self.plan,
            item=self.item,
            draw_date=TODAY(),
            due_date=TODAY() + timedelta(days=30),
            actor=self.users["head_user"],
        )

    # --- 治超 -------------------------------------------------------------------------------------------
    @cached_property
    def lead(self):
        from tests.overload.conftest import row
        from zhifa.overload.models import Lead
        from zhifa.overload.services import ingest_records, station_save

        station_save(
            code="YN-SC-01",
            org=self.tree.bureau_a,
            actor=None,
            name="郁南甲检测点",
            route="G324",
            chainage="K1+000",
            direction="双向",
            lanes=2,
            device_type="quartz",
            accuracy_class="5",
            cert_no="YFJL-SC",
            cert_valid_from=date(2026, 3, 1),
            cert_valid_to=date(2027, 2, 28),
        )
        ingest_records(
            records=[row("SC1", station="YN-SC-01", plate="粤W77777")], actor=None, org=self.tree.bureau_a
        )
        return Lead.objects.get(record_id="SC1")


@pytest.fixture
def world(tree, officer_user, head_user, reviewer_user) -> World:
    return World(tree, {"officer_user": officer_user, "head_user": head_user, "reviewer_user": reviewer_user})


@dataclass(frozen=True)
class EP:
    """One endpoint naming one object of county A."""

    name: str
    method: str
    url: Callable[[World], str]
    owner: str = "officer_user"  # an actor of county A who may use the endpoint
    data: Callable[[World], dict] | None = None
    body: bytes | None = None  # raw request body (uploads)
    json: bool = False
    owner_status: frozenset = field(default_factory=frozenset)  # expected for the owner, when not "allowed"

    def call(self, client, world: World):
        url = self.url(world)
        data = self.data(world) if self.data else {}
        if self.body is not None:
            return client.generic(self.method, url, self.body, content_type="text/plain")
        if self.method == "GET":
            return client.get(url, data)
        kw = {"content_type": "application/json"} if self.json else {}
        return getattr(client, self.method.lower())(url, data, **kw)


def _json(**kw):
    return lambda w: kw


ENDPOINTS: list[EP] = [
    # --- pages: cases -----------------------------------------------------------------------------------
    EP("case_detail", "GET", lambda w: f"/cases/{w.case.pk}/"),
    EP("case_step_form", "GET", lambda w: f"/cases/{w.case.pk}/step/record/"),
    EP("case_act", "POST", lambda w: f"/cases/{w.case.pk}/act/record/", data=_json(kind="询问笔录")),
    EP("case_check", "POST", lambda w: f"/cases/{w.case.pk}/check/"),
    EP("case_file", "GET", lambda w: f"/cases/{w.case.pk}/file/"),
    EP("case_file_zip", "GET", lambda w: f"/cases/{w.case.pk}/file/", data=_json(download="1")),
    EP(
        "source_decide",
        "POST",
        lambda w: f"/cases/sources/{w.source.pk}/decide/",
        data=_json(decision="close", reason="线索不实"),
    ),
    # --- pages: evidence (playback and download included) ------------------------------------------------
    EP("evidence_item", "GET", lambda w: f"/evidence/{w.evidence.pk}/"),
    EP("evidence_download", "GET", lambda w: f"/evidence/{w.evidence.pk}/download"),
    EP("evidence_play", "GET", lambda w: f"/evidence/{w.evidence.pk}/play"),
    EP("evidence_verify", "POST", lambda w: f"/evidence/{w.evidence.pk}/verify"),
    EP(
        "evidence_void",
        "POST",
        lambda w: f"/evidence/{w.evidence.pk}/void",
        owner="head_user",
        data=_json(reason="重复上传"),
    ),
    EP("evidence_target_page", "GET", lambda w: f"/evidence/t/cases.case/{w.case.pk}/"),
    EP(
        "evidence_target_upload",
        "POST",
        lambda w: f"/evidence/t/cases.case/{w.case.pk}/",
        data=lambda w: {"file": _upload(), "step": "调查取证"},
    ),
    # --- pages: documents -----------------------------------------------------------------------------------
    EP("document_download", "GET", lambda w: f"/documents/{w.document.pk}/download/"),
    # --- pages: officers --------------------------------------------------------------------------------------
    EP("officer_detail", "GET", lambda w: f"/officers/{w.officer2.pk}/"),
    EP(
        "officer_certificate_add",
        "POST",
        lambda w: f"/officers/{w.officer2.pk}/certificates/",
        owner="head_user",
        data=_json(number="", issuing_authority="", field="", valid_from="", valid_to=""),
        owner_status=frozenset({422}),
    ),
    EP(
        "officer_leave",
        "POST",
        lambda w: f"/officers/{w.officer2.pk}/leave/",
        owner="head_user",
        data=_json(status="left", on="", reason=""),
        owner_status=frozenset({422}),
    ),
    # --- pages: credit ---------------------------------------------------------------------------------------
    EP("credit_subject_file", "GET", lambda w: f"/credit/subjects/{w.credit_record.subject_ref}/"),
    EP(
        "credit_repair_apply",
        "POST",
        lambda w: f"/credit/records/{w.credit_record.pk}/repair/",
        data=_json(pledge="承诺守信", proof="已缴纳罚款", obligations_met="1"),
    ),
    EP(
        "credit_list_object",
        "POST",
        lambda w: f"/credit/lists/{w.list_entry.pk}/object/",
        data=_json(objection="次数统计有误"),
    ),
    # --- pages: 双随机 -------------------------------------------------------------------------------------------
    EP("inspection_plan", "GET", lambda w: f"/inspections/plans/{w.plan.pk}/"),
    EP("inspection_plan_stats", "GET", lambda w: f"/inspections/plans/{w.plan.pk}/stats/"),
    EP("inspection_task", "GET", lambda w: f"/inspections/tasks/{w.task.pk}/"),
    EP(
        "inspection_task_action",
        "POST",
        lambda w: f"/inspections/tasks/{w.task.pk}/commit/",
        owner="head_user",
    ),
    # --- pages: 治超 ------------------------------------------------------------------------------------------------
    EP("overload_lead", "GET", lambda w: f"/overload/leads/{w.lead.pk}/"),
    EP(
        "overload_lead_review",
        "POST",
        lambda w: f"/overload/leads/{w.lead.pk}/review/",
        data=_json(action="reject", reason="车牌识别错误"),
    ),
    EP(
        "overload_lead_close",
        "POST",
        lambda w: f"/overload/leads/{w.lead.pk}/close/",
        data=_json(closed_on="2026-12-01", decision_no=""),
    ),
    # --- API: cases ------------------------------------------------------------------------------------------------
    EP("api_case", "GET", lambda w: f"/api/v1/cases/{w.case.pk}"),
    EP("api_case_clocks", "GET", lambda w: f"/api/v1/cases/{w.case.pk}/clocks"),
    EP("api_case_timeline", "GET", lambda w: f"/api/v1/cases/{w.case.pk}/timeline"),
    EP("api_case_check", "POST", lambda w: f"/api/v1/cases/{w.case.pk}/check"),
    EP("api_case_file_zip", "GET", lambda w: f"/api/v1/cases/{w.case.pk}/file"),
    EP(
        "api_case_step",
        "POST",
        lambda w: f"/api/v1/cases/{w.case.pk}/record",
        json=True,
        data=lambda w: {"version": w.case.version, "kind": "询问笔录", "content": "问：…答：…"},
    ),
    EP(
        "api_source_close",
        "POST",
        lambda w: f"/api/v1/cases/sources/{w.source.pk}/close",
        json=True,
        data=_json(reason="线索不实"),
    ),
    EP(
        "api_source_accept",
        "POST",
        lambda w: f"/api/v1/cases/sources/{w.source.pk}/accept",
        json=True,
        owner="head_user",
        data=_json(violation_name="未按规定携带道路运输证"),
    ),
    # --- API: evidence ---------------------------------------------------------------------------------------------
    EP("api_evidence", "GET", lambda w: f"/api/v1/evidence/{w.evidence.pk}"),
    EP("api_evidence_custody", "GET", lambda w: f"/api/v1/evidence/{w.evidence.pk}/custody"),
    EP("api_evidence_download", "GET", lambda w: f"/api/v1/evidence/{w.evidence.pk}/download"),
    EP("api_evidence_verify", "POST", lambda w: f"/api/v1/evidence/{w.evidence.pk}/verify"),
    EP(
        "api_evidence_void",
        "POST",
        lambda w: f"/api/v1/evidence/{w.evidence.pk}/void",
        json=True,
        owner="head_user",
        data=_json(reason="重复上传"),
    ),
    EP(
        "api_evidence_delete",
        "DELETE",
        lambda w: f"/api/v1/evidence/{w.evidence.pk}",
        owner_status=frozenset({403}),
    ),  # nobody deletes evidence (处罚法 Art 47); the owner is told why
    EP(
        "api_evidence_upload",
        "PUT",
        lambda w: f"/api/v1/evidence/upload?target_type=cases.case&target_id={w.case.pk}&filename=x.txt",
        body=b"uploaded to county A's case",
    ),
    # --- API: documents, officers --------------------------------------------------------------------------------
    EP("api_document", "GET", lambda w: f"/api/v1/documents/issued/{w.document.pk}"),
    EP("api_document_download", "GET", lambda w: f"/api/v1/documents/issued/{w.document.pk}/download"),
    EP("api_officer", "GET", lambda w: f"/api/v1/accounts/officers/{w.officer2.pk}"),
    EP(
        "api_officer_certificate_add",
        "POST",
        lambda w: f"/api/v1/accounts/officers/{w.officer2.pk}/certificates",
        json=True,
        owner="head_user",
        data=_json(
            number="4453000999",
            issuing_authority="广东省人民政府",
            field="comprehensive",
            valid_from="2026-01-01",
            valid_to="2030-12-31",
        ),
    ),
    # --- API: 双随机 -----------------------------------------------------------------------------------------------
    EP("api_inspection_task", "GET", lambda w: f"/api/v1/inspections/tasks/{w.task.pk}"),
    EP(
        "api_inspection_task_assignments",
        "GET",
        lambda w: f"/api/v1/inspections/tasks/{w.task.pk}/assignments",
    ),
    EP("api_inspection_plan_fairness", "GET", lambda w: f"/api/v1/inspections/plans/{w.plan.pk}/fairness"),
    EP(
        "api_inspection_task_create",
        "POST",
        lambda w: f"/api/v1/inspections/plans/{w.plan.pk}/tasks",
        json=True,
        owner="head_user",
        data=lambda w: {"item_id": w.task.item_id, "draw_date": str(TODAY())},
    ),
    # --- API: 治超 ---------------------------------------------------------------------------------------------------
    EP("api_overload_lead", "GET", lambda w: f"/api/v1/overload/leads/{w.lead.pk}"),
    EP(
        "api_overload_lead_reject",
        "POST",
        lambda w: f"/api/v1/overload/leads/{w.lead.pk}/reject",
        json=True,
        data=_json(reason="车牌识别错误"),
    ),
]


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("附件.txt", b"uploaded to county A's case", content_type="text/plain")


@dataclass(frozen=True)
class LS:
    """A listing: shows ``marker`` of county A's object to county A only."""

    name: str
    url: str
    marker: Callable[[World], str] | None  # None: no county-A object to look for (a board, a lookup)
    owner: str = "officer_user"


LISTS: list[LS] = [
    LS("cases", "/cases/", lambda w: w.case.number),
    LS("api_cases", "/api/v1/cases", lambda w: w.case.number),
    LS("case_sources", "/cases/sources/", lambda w: w.source.facts),
    LS("api_case_sources", "/api/v1/cases/sources", lambda w: w.source.facts),
    LS("api_case_deadlines", "/api/v1/cases/deadlines", None),
    LS("evidence", "/evidence/", lambda w: w.evidence.filename),
    LS("api_evidence", "/api/v1/evidence/", lambda w: w.evidence.filename),
    LS("documents", "/documents/", lambda w: w.document.number),
    LS("api_documents", "/api/v1/documents/issued", lambda w: w.document.number),
    LS("officers", "/officers/", lambda w: w.officer2.name),
    LS("api_officers", "/api/v1/accounts/officers", lambda w: w.officer2.name),
    LS("credit", "/credit/", lambda w: w.credit_record.subject_name),
    LS("credit_lists", "/credit/lists/", lambda w: w.list_entry.subject_name),
    LS("credit_repairs", "/credit/repairs/", None),
    LS("credit_ratings", "/credit/ratings/", None),
    LS("inspection_plans", "/inspections/", lambda w: w.plan.title),
    LS("api_inspection_items", "/api/v1/inspections/items", lambda w: w.item.name),
    LS("api_inspection_plans", "/api/v1/inspections/plans", lambda w: w.plan.title),
    LS("api_inspection_mine", "/api/v1/inspections/assignments/mine", None),
    LS("overload_leads", "/overload/leads/", lambda w: w.lead.plate),
    LS("api_overload_leads", "/api/v1/overload/leads", lambda w: w.lead.plate),
    LS("api_credit_measures", "/api/v1/credit/measures?subject_ref=enterprise:1", None),
]


@pytest.fixture
def as_user(client):
    def login(user):
        client.logout()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def admins(tree, sysadmin, secadmin, auditadmin):
    return {"sysadmin": sysadmin, "secadmin": secadmin, "auditadmin": auditadmin}


def _text(r) -> str:
    """The response as readable text (JSON without \\u escapes)."""
    if r.get("Content-Type", "").startswith("application/json"):
        return json.dumps(r.json(), ensure_ascii=False)
    return r.content.decode()


def _names(items):
    return [i.name for i in items]


@pytest.mark.parametrize("ep", ENDPOINTS, ids=_names(ENDPOINTS))
def test_owner_passes_the_scope(ep, world, as_user):
    """The URL is real: an actor of county A holding the role is not turned away (else 404 below proves
    nothing)."""
    r = ep.call(as_user(world.users[ep.owner]), world)
    allowed = ep.owner_status or frozenset({200, 201, 206, 302, 409, 422})
    assert r.status_code in allowed, (ep.name, r.status_code, r.content[:300])


@pytest.mark.parametrize("ep", ENDPOINTS, ids=_names(ENDPOINTS))
def test_other_county_gets_404(ep, world, as_user, officer_b, tree):
    head_b = make_user("head_b", tree.bureau_b, {"head"})
    for user in (officer_b, head_b):
        r = ep.call(as_user(user), world)
        assert r.status_code == 404, (ep.name, user.username, r.status_code, r.content[:300])
        if ep.url(world).startswith("/api/"):
            assert r.json()["code"].endswith("not_found"), (ep.name, r.json())


@pytest.mark.parametrize("ep", ENDPOINTS, ids=_names(ENDPOINTS))
def test_admins_are_refused(ep, world, as_user, admins):
    for who, user in admins.items():
        r = ep.call(as_user(user), world)
        assert r.status_code in (403, 404), (ep.name, who, r.status_code, r.content[:300])


@pytest.mark.parametrize("ls", LISTS, ids=_names(LISTS))
def test_listing_scoped(ls, world, as_user, officer_b):
    marker = ls.marker(world) if ls.marker else None
    r = as_user(world.users[ls.owner]).get(ls.url)
    assert r.status_code == 200, (ls.name, r.status_code)
    if marker is None:
        return
    assert marker in _text(r), (ls.name, marker)
    r = as_user(officer_b).get(ls.url)
    assert r.status_code == 200 and marker not in _text(r), (ls.name, marker)


@pytest.mark.parametrize("ls", LISTS, ids=_names(LISTS))
def test_listing_refuses_admins(ls, world, as_user, admins):
    """三员分立: a listing of business data is refused outright (403), not shown empty."""
    for who, user in admins.items():
        r = as_user(user).get(ls.url)
        assert r.status_code == 403, (ls.name, who, r.status_code, r.content[:300])


# --- rules that are not one URL per object -------------------------------------------------------------------


@pytest.mark.parametrize("who", ADMINS)
@pytest.mark.parametrize(
    "url,body",
    [
        (
            "/api/v1/cases",
            {
                "party_kind": "org",
                "party_name": "某公司",
                "violation_name": "违法",
                "facts": "事实",
                "occurred_on": "2026-06-01",
            },
        ),
        (
            "/api/v1/cases/summary",
            {
                "party_kind": "citizen",
                "party_name": "张三",
                "violation_name": "违法",
                "facts": "事实",
                "fine_fen": 5000,
                "officer_ids": [],
            },
        ),
        ("/api/v1/cases/sources", {"origin": "complaint", "facts": "管理员不应登记案源"}),
    ],
)
def test_admins_cannot_open_cases_or_sources(url, body, who, request, as_user):
    from zhifa.cases.models import Case, CaseSource

    r = as_user(request.getfixturevalue(who)).post(url, body, content_type="application/json")
    assert r.status_code == 403, (url, who, r.status_code, r.content[:300])
    assert not Case.objects.exists() and not CaseSource.objects.exists()


def test_case_source_cannot_cite_another_countys_evidence(world, as_user, officer_b):
    from zhifa.cases.models import CaseSource

    ev = world.evidence.pk
    r = as_user(officer_b).post(
        "/api/v1/cases/sources",
        {"origin": "complaint", "facts": "线索", "evidence_ids": [ev]},
        content_type="application/json",
    )
    assert r.status_code == 404 and r.json()["code"].endswith("not_found")
    assert not CaseSource.objects.filter(org__path__startswith=officer_b.org.path).exists()
    r = as_user(world.users["officer_user"]).post(
        "/api/v1/cases/sources",
        {"origin": "complaint", "facts": "线索", "evidence_ids": [ev]},
        content_type="application/json",
    )
    assert r.status_code == 200 and CaseSource.objects.get(pk=r.json()["id"]).evidence_ids == [ev]


def test_summary_penalty_cannot_name_another_countys_officers(world, tree, officer_b):
    """处罚法 Art 42 (two certified officers) is met only by officers of the deciding jurisdiction; county B's
    officers are "not found", and their names are not echoed back."""
    from zhifa.cases.models import Case
    from zhifa.cases.services import case_summary_create

    b1 = make_officer(tree.squad_b1, "新兴甲执法", world.rng, user=officer_b)
    b2 = make_officer(tree.squad_b1, "新兴乙执法", world.rng)
    common = dict(
        org=tree.squad_a1,
        party_kind="citizen",
        party_name="张三",
        violation_name="未携带道路运输证",
        facts="当场查获",
        penalty_type="fine",
        fine_fen=5000,
        actor=world.users["officer_user"],
    )
    with pytest.raises(DomainError) as e:
        case_summary_create(officer_ids=[world.officer.pk, b2.pk], **common)
    assert e.value.code == "cases.invalid" and "新兴" not in e.value.message
    with pytest.raises(DomainError):
        case_summary_create(officer_ids=[b1.pk, b2.pk], **common)
    assert not Case.objects.exists()
    c = case_summary_create(officer_ids=[world.officer.pk, world.officer2.pk], **common)
    assert c.org == tree.squad_a1


def test_only_officers_and_heads_open_cases(world, tree):
    from zhifa.cases.services import case_create

    with pytest.raises(DomainError) as e:
        case_create(
            org=tree.bureau_a,
            party_kind="org",
            party_name="某公司",
            violation_name="违法",
            facts="事实",
            occurred_on=TODAY(),
            actor=world.users["reviewer_user"],
        )
    assert e.value.status == 403


def test_blacklist_decision_and_removal_need_the_head(world, as_user):
    """Putting a subject on the 严重失信主体名单 (and taking it off) is the head's decision, not an officer's."""
    from zhifa.credit.services import list_entry_decide, list_entry_end

    e = world.list_entry
    later = TODAY() + timedelta(days=30)  # past the objection period
    with pytest.raises(DomainError) as err:
        list_entry_decide(entry=e, include=True, on=later, actor=world.users["officer_user"])
    assert err.value.status == 403
    as_user(world.users["officer_user"]).post(
        f"/credit/lists/{e.pk}/decide/", {"include": "1", "reasons": "x"}
    )
    e.refresh_from_db()
    assert e.state == "noticed"
    e = list_entry_decide(entry=e, include=True, on=later, actor=world.users["head_user"])
    with pytest.raises(DomainError) as err:
        list_entry_end(entry=e, on=later, actor=world.users["officer_user"], reason="期满")
    assert err.value.status == 403
    assert list_entry_end(entry=e, on=later, actor=world.users["head_user"], reason="期满").state == "ended"


def test_credit_measures_api(world, as_user, officer_b):
    """Joint measures follow the subject everywhere (the list is public), but only business users ask."""
    from zhifa.credit.services import list_entry_decide

    e = list_entry_decide(
        entry=world.list_entry, include=True, on=TODAY() + timedelta(days=30), actor=world.users["head_user"]
    )
    url = f"/api/v1/credit/measures?subject_ref={e.subject_ref}&on={TODAY() + timedelta(days=40)}"
    r = as_user(officer_b).get(url)  # county B has no credit records of its own: it still gets the answer
    assert r.status_code == 200 and r.json(), r.content


def test_audit_log_is_scoped_to_the_auditors_unit(world, tree, as_user):
    """The 审计管理员 of county B does not read county A's audit trail (its targets name county A's
    parties); county A's does, and so does the city's."""
    from zhifa.core.models import AuditRecord

    case = world.case
    rec = AuditRecord.objects.filter(action="case.create", target_id=str(case.pk)).get()
    audit_b = make_user("auditadmin_b", tree.bureau_b, {"auditadmin"})
    audit_a = make_user("auditadmin_a2", tree.bureau_a, {"auditadmin"})
    audit_city = make_user("auditadmin_city", tree.city, {"auditadmin"})
    c = as_user(audit_b)
    assert c.get(f"/audit/{rec.seq}/").status_code == 404
    body = b"".join(c.get("/audit/export.csv").streaming_content).decode()
    assert case.number not in body and case.party_name not in body
    page = c.get("/audit/", {"target": case.number}).content.decode()  # (the search itself is logged)
    assert "共 0 条" in page and case.party_name not in page
    for user in (audit_a, audit_city):
        c = as_user(user)
        assert c.get(f"/audit/{rec.seq}/").status_code == 200
        assert case.number in b"".join(c.get("/audit/export.csv").streaming_content).decode()


def test_rule_versions_are_published_by_a_unit_covering_every_unit_they_bind(tree, reviewer_user, as_user):
    """A national or provincial version changes the discretion benchmark of every county it applies to: the
    reviewer of one county (with a sibling county in the installation) may not publish it; the city's may."""
    from zhifa.rules.models import ViolationVersion
    from zhifa.rules.services import load_starter_catalogue, violation_version_create

    load_starter_catalogue()
    before = ViolationVersion.objects.filter(violation__code="DY-016").count()
    for province in ("", "44"):
        with pytest.raises(DomainError) as e:
            violation_version_create(
                code="DY-016",
                effective_from=date(2030, 1, 1),
                reason="县局调整",
                changes={},
                actor=reviewer_user,
                province=province,
            )
        assert e.value.status == 403, province
    r = as_user(reviewer_user).post(
        "/api/v1/rules/violations/DY-016/versions",
        {"effective_from": "2030-01-01", "reason": "县局调整"},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert ViolationVersion.objects.filter(violation__code="DY-016").count() == before
    city_reviewer = make_user("reviewer_city", tree.city, {"legal_reviewer"})
    v = violation_version_create(
        code="DY-016",
        effective_from=date(2030, 1, 1),
        reason="市局统一调整",
        changes={},
        actor=city_reviewer,
        province="44",
    )
    assert v.province == "44"
