"""Actor scoping across the modules (GB/T 22239-2019 §8.1.4.2 e: "应测试验证用户是否有可越权访问情形").

One county's objects are built through the services (a case with its documents and evidence, a case
source, an officer, credit records and a list entry, a 双随机 plan, task and field record, a 治超 lead, a
双公示 record, a registered enterprise). Then, for every endpoint in ``ENDPOINTS`` (an object of county A
named by its id) and ``LISTS`` (a listing that must not show it):

* an actor of county A who may use it gets past the scope (the URL is real: not 401/403/404);
* the officer and the head of county B get 404 — the same answer as for an id that does not exist, so ids
  do not leak;
* each of the 三员 (系统管理员、安全管理员、审计管理员) is refused (403, or 404 from the scoped lookup);
* a listing shows county A's object to county A and not to county B, and refuses the 三员 with 403.

A new endpoint is one line of ``ENDPOINTS`` or ``LISTS``: ``ep(name, "METHOD url", data, owner=…, expect=…)``
and ``ls(name, url, marker)``, where ``{case.pk}``-style fields name county A's objects (``World``
attributes, built on first use). ``ASKERS`` says who asks each endpoint and what they get; ``_ask`` puts
every question and checks every answer. The rules that are not "one URL, one object" (who may publish a rule
version or a 双公示 record, decide a blacklist entry, put whose officers on a 当场处罚, read whose audit
log, set the installation-wide security policy and calendar, learn who registered a subject) have their own
tests at the end.
"""

from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import pytest
from django.utils import timezone

from tests.cases.conftest import make_officer
from tests.factories import fake_uscc, make_user
from tests.inspections.conftest import county  # noqa: F401  (the 双随机 county: World.plan, .task, .inspection_record)
from tests.overload.conftest import stations  # noqa: F401  (county A's 治超 stations, for World.lead)
from zhifa.core.errors import DomainError

ADMINS = ("sysadmin", "secadmin", "auditadmin")
TODAY = timezone.localdate
CASE_A = {  # county A's case: the party and the facts (World.case; the role check of case_create)
    "party_kind": "org",
    "party_name": "郁南县甲乙运输有限公司",
    "violation_name": "未按规定携带道路运输证",
    "violated_article": "《道路运输条例》第三十四条",
    "penalty_article": "《道路运输条例》第六十八条",
    "facts": "粤W88888号货车在S276线未随车携带道路运输证。",
}


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

    def __init__(self, tree, request):
        self.tree = tree
        self.request = request  # the actors' fixtures, and those only some objects need (双随机 county, 治超)
        self.rng = random.Random(20260701)

    def today(self) -> date:
        return TODAY()

    # --- actors ------------------------------------------------------------------------------------
    def __getattr__(self, name: str):
        """``officer_user``, ``head_user``, ``reviewer_user``, ``officer_b`` and the 三员: the shared fixtures."""
        if name in ("officer_user", "head_user", "reviewer_user", "officer_b", *ADMINS):
            return self.request.getfixturevalue(name)
        raise AttributeError(name)

    @cached_property
    def head_b(self):
        return make_user("head_b", self.tree.bureau_b, {"head"})

    def actors(self, *names: str) -> dict:
        return {name: getattr(self, name) for name in names}

    # --- accounts ----------------------------------------------------------------------------------
    @cached_property
    def officer(self):
        return make_officer(self.tree.squad_a1, "郁南甲执法", self.rng, user=self.officer_user)

    @cached_property
    def officer2(self):
        return make_officer(self.tree.squad_a1, "郁南乙执法", self.rng)

    # --- cases, documents, evidence -----------------------------------------------------------------
    @cached_property
    def case(self):
        from zhifa.cases.services import case_create
        from zhifa.cases.workflow import case_transition

        c = case_create(
            org=self.tree.squad_a1, occurred_on=TODAY() - timedelta(days=2), actor=self.officer_user, **CASE_A
        )
        return case_transition(case=c, action="register", actor=self.head_user, data={})

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
            actor=self.officer_user,
        )

    # --- credit ------------------------------------------------------------------------------------
    def subject(self, number: int, name: str) -> dict:
        """A credit subject kept by county A's bureau."""
        return {"org": self.tree.bureau_a, "subject_ref": f"enterprise:{number}", "subject_name": name}

    @cached_property
    def credit_record(self):
        from zhifa.credit.services import credit_record_add

        return credit_record_add(
            **self.subject(424242, "郁南县甲信用物流有限公司"),
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
            **self.subject(424243, "郁南县甲黑名单物流有限公司"),
            list_kind="black",
            criterion="ZC-BL-1",
            facts="1年内违法超限运输4次",
            on=TODAY(),
            actor=self.head_user,
        )

    # --- 双随机 ------------------------------------------------------------------------------------------
    @cached_property
    def county(self):
        """The 双随机 tests' county A: its 抽查事项, annual plan and undrawn task (tests/inspections/conftest.py)."""
        return self.request.getfixturevalue("county")

    item = property(lambda self: self.county.item)
    plan = property(lambda self: self.county.plan)
    task = property(lambda self: self.county.task)

    @cached_property
    def inspection_record(self):
        """A draft 检查记录 of a drawn assignment in county A (its inspectors drawn from county A's squads)."""
        from zhifa.inspections import services as svc

        task, head = self.task, self.head_user
        svc.draw_commit(task=task, actor=head)
        svc.draw_execute(task=task, actor=head)
        svc.draw_reveal(task=task, actor=head)
        assignment = task.assignments.order_by("position").first()
        return svc.record_save(assignment=assignment, actor=None, inspected_on=self.county.today)

    # --- 双公示 ------------------------------------------------------------------------------------------
    @cached_property
    def disclosure(self):
        """A penalty record of county A held back for a missing 决定书文号 (so it can be completed and published)."""
        from tests.disclosure.helpers import emit

        return emit(self.tree.squad_a1, self.head_user, doc_no="", on=TODAY())

    # --- 监管对象 ----------------------------------------------------------------------------------------
    @cached_property
    def enterprise(self):
        from zhifa.registry.models import Enterprise
        from zhifa.registry.services import subject_save

        uscc = fake_uscc(self.rng)
        subject_save(
            kind="enterprises",
            data={"uscc": uscc, "name": "郁南县甲登记物流有限公司", "business_type": "freight"},
            actor=self.head_user,
        )
        return Enterprise.objects.get(uscc=uscc)

    # --- 治超 -------------------------------------------------------------------------------------------
    @cached_property
    def lead(self):
        from tests.overload.conftest import row
        from zhifa.overload.models import Lead
        from zhifa.overload.services import ingest_records

        station = self.request.getfixturevalue("stations")["njk"]  # county A's, certified
        ingest_records(
            records=[row("SC1", station=station.code, plate="粤W77777")], actor=None, org=station.org
        )
        return Lead.objects.get(record_id="SC1")


@pytest.fixture
def world(tree, request) -> World:
    return World(tree, request)


# --- the tables --------------------------------------------------------------------------------------------


class _Fields:
    """``"{case.pk}".format_map(_Fields(world))``: a field names a World attribute, built on first use."""

    def __init__(self, world: World):
        self.world = world

    def __getitem__(self, key: str):
        value = getattr(self.world, key)
        return value() if callable(value) else value


UPLOAD = object()  # in ``data``: a fresh multipart file, uploaded to county A's object


def _fill(value, world: World):
    if value is UPLOAD:
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile("附件.txt", b"uploaded to county A's object", content_type="text/plain")
    if isinstance(value, str):
        return value.format_map(_Fields(world))
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


ALLOWED = frozenset({200, 201, 206, 302, 409, 422})  # past the scope: done, or refused on the merits


@dataclass(frozen=True)
class EP:
    """One endpoint naming one object of county A."""

    name: str
    method: str
    url: str  # with {world.attribute} fields
    data: dict | None = None  # form fields (pages) or a JSON body (/api/), with fields
    owner: str = "officer_user"  # an actor of county A who may use the endpoint
    expect: frozenset = ALLOWED  # what that actor gets
    body: bytes | None = None  # a raw request body (uploads through the API)

    def path(self, world: World) -> str:
        return _fill(self.url, world)

    def call(self, client, world: World):
        url, data = self.path(world), _fill(self.data or {}, world)
        if self.body is not None:
            return client.generic(self.method, url, self.body, content_type="text/plain")
        if self.method == "GET":
            return client.get(url, data)
        kw = {"content_type": "application/json"} if url.startswith("/api/") and data else {}
        return getattr(client, self.method.lower())(url, data, **kw)


def ep(
    name: str, route: str, data: dict | None = None, *, owner="officer_user", expect=ALLOWED, body=None
) -> EP:
    method, url = route.split(" ", 1)
    return EP(name, method, url, data, owner, frozenset(expect), body)


CERT = {"number": "4453000999", "issuing_authority": "广东省人民政府", "field": "comprehensive",
        "valid_from": "2026-01-01", "valid_to": "2030-12-31"}  # fmt: skip
UPLOAD_TO = "/api/v1/evidence/upload?target_type={}&target_id={{{}.pk}}&filename=x.txt"
RAW = b"uploaded to county A's object"
H = "head_user"

# fmt: off
ENDPOINTS: list[EP] = [
    # pages: cases
    ep("case_detail", "GET /cases/{case.pk}/"),
    ep("case_step_form", "GET /cases/{case.pk}/step/record/"),
    ep("case_act", "POST /cases/{case.pk}/act/record/", {"kind": "询问笔录"}),
    ep("case_check", "POST /cases/{case.pk}/check/"),
    ep("case_file", "GET /cases/{case.pk}/file/"),
    ep("case_file_zip", "GET /cases/{case.pk}/file/", {"download": "1"}),
    ep("source_decide", "POST /cases/sources/{source.pk}/decide/", {"decision": "close", "reason": "线索不实"}),
    # pages: evidence (playback and download included)
    ep("evidence_item", "GET /evidence/{evidence.pk}/"),
    ep("evidence_download", "GET /evidence/{evidence.pk}/download"),
    ep("evidence_play", "GET /evidence/{evidence.pk}/play"),
    ep("evidence_verify", "POST /evidence/{evidence.pk}/verify"),
    ep("evidence_void", "POST /evidence/{evidence.pk}/void", {"reason": "重复上传"}, owner=H),
    ep("evidence_target_page", "GET /evidence/t/cases.case/{case.pk}/"),
    ep("evidence_target_upload", "POST /evidence/t/cases.case/{case.pk}/", {"file": UPLOAD, "step": "调查取证"}),
    ep("evidence_inspection_page", "GET /evidence/t/inspections.inspectionrecord/{inspection_record.pk}/"),
    ep("evidence_inspection_upload", "POST /evidence/t/inspections.inspectionrecord/{inspection_record.pk}/",
       {"file": UPLOAD, "step": "双随机检查"}),
    # pages: documents, officers
    ep("document_download", "GET /documents/{document.pk}/download/"),
    ep("officer_detail", "GET /officers/{officer2.pk}/"),
    ep("officer_certificate_add", "POST /officers/{officer2.pk}/certificates/",
       {"number": "", "issuing_authority": "", "field": "", "valid_from": "", "valid_to": ""}, owner=H, expect={422}),
    ep("officer_leave", "POST /officers/{officer2.pk}/leave/", {"status": "left", "on": "", "reason": ""},
       owner=H, expect={422}),
    # pages: credit
    ep("credit_subject_file", "GET /credit/subjects/{credit_record.subject_ref}/"),
    ep("credit_repair_apply", "POST /credit/records/{credit_record.pk}/repair/",
       {"pledge": "承诺守信", "proof": "已缴纳罚款", "obligations_met": "1"}),
    ep("credit_list_object", "POST /credit/lists/{list_entry.pk}/object/", {"objection": "次数统计有误"}),
    # pages: 双随机, 治超
    ep("inspection_plan", "GET /inspections/plans/{plan.pk}/"),
    ep("inspection_plan_stats", "GET /inspections/plans/{plan.pk}/stats/"),
    ep("inspection_task", "GET /inspections/tasks/{task.pk}/"),
    ep("inspection_task_action", "POST /inspections/tasks/{task.pk}/commit/", owner=H),
    ep("overload_lead", "GET /overload/leads/{lead.pk}/"),
    ep("overload_lead_review", "POST /overload/leads/{lead.pk}/review/", {"action": "reject", "reason": "车牌识别错误"}),
    ep("overload_lead_close", "POST /overload/leads/{lead.pk}/close/", {"closed_on": "2026-12-01", "decision_no": ""}),
    # pages: 双公示 (internal), 监管对象
    ep("disclosure_record", "GET /disclosure/records/{disclosure.pk}/"),
    ep("disclosure_publish", "POST /disclosure/records/{disclosure.pk}/publish/"),
    ep("disclosure_complete", "POST /disclosure/records/{disclosure.pk}/complete/", {"doc_no": "郁交罚〔2026〕12号"}),
    ep("registry_enterprise", "GET /registry/enterprises/{enterprise.pk}/"),
    # API: cases
    ep("api_case", "GET /api/v1/cases/{case.pk}"),
    ep("api_case_clocks", "GET /api/v1/cases/{case.pk}/clocks"),
    ep("api_case_timeline", "GET /api/v1/cases/{case.pk}/timeline"),
    ep("api_case_check", "POST /api/v1/cases/{case.pk}/check"),
    ep("api_case_file_zip", "GET /api/v1/cases/{case.pk}/file"),
    ep("api_case_step", "POST /api/v1/cases/{case.pk}/record",
       {"version": "{case.version}", "kind": "询问笔录", "content": "问：…答：…",
        "signature": "signed"}),
    ep("api_source_close", "POST /api/v1/cases/sources/{source.pk}/close", {"reason": "线索不实"}),
    ep("api_source_accept", "POST /api/v1/cases/sources/{source.pk}/accept",
       {"violation_name": "未按规定携带道路运输证"}, owner=H),
    # API: evidence (nobody deletes evidence, 处罚法 Art 47: the owner is told why)
    ep("api_evidence", "GET /api/v1/evidence/{evidence.pk}"),
    ep("api_evidence_custody", "GET /api/v1/evidence/{evidence.pk}/custody"),
    ep("api_evidence_download", "GET /api/v1/evidence/{evidence.pk}/download"),
    ep("api_evidence_verify", "POST /api/v1/evidence/{evidence.pk}/verify"),
    ep("api_evidence_void", "POST /api/v1/evidence/{evidence.pk}/void", {"reason": "重复上传"}, owner=H),
    ep("api_evidence_delete", "DELETE /api/v1/evidence/{evidence.pk}", expect={403}),
    ep("api_evidence_upload", "PUT " + UPLOAD_TO.format("cases.case", "case"), body=RAW),
    ep("api_evidence_inspection_upload",
       "PUT " + UPLOAD_TO.format("inspections.inspectionrecord", "inspection_record"), body=RAW),
    # API: documents, officers
    ep("api_document", "GET /api/v1/documents/issued/{document.pk}"),
    ep("api_document_download", "GET /api/v1/documents/issued/{document.pk}/download"),
    ep("api_officer", "GET /api/v1/accounts/officers/{officer2.pk}"),
    ep("api_officer_certificate_add", "POST /api/v1/accounts/officers/{officer2.pk}/certificates", CERT, owner=H),
    # API: 双随机, 治超
    ep("api_inspection_task", "GET /api/v1/inspections/tasks/{task.pk}"),
    ep("api_inspection_task_assignments", "GET /api/v1/inspections/tasks/{task.pk}/assignments"),
    ep("api_inspection_plan_fairness", "GET /api/v1/inspections/plans/{plan.pk}/fairness"),
    ep("api_inspection_task_create", "POST /api/v1/inspections/plans/{plan.pk}/tasks",
       {"item_id": "{task.item_id}", "draw_date": "{today}"}, owner=H),
    ep("api_overload_lead", "GET /api/v1/overload/leads/{lead.pk}"),
    ep("api_overload_lead_reject", "POST /api/v1/overload/leads/{lead.pk}/reject", {"reason": "车牌识别错误"}),
    # API: 双公示 (internal), 监管对象
    ep("api_disclosure_publish", "POST /api/v1/disclosure/records/{disclosure.pk}/publish"),
    ep("api_registry_enterprise", "GET /api/v1/registry/enterprises/{enterprise.pk}"),
]
# fmt: on


@dataclass(frozen=True)
class LS:
    """A listing: shows ``marker`` of county A's object to county A only."""

    name: str
    url: str
    # with {world.attribute} fields; None: no county-A object to look for (a board, a lookup)
    marker: str | None
    owner: str = "officer_user"


ls = LS

# fmt: off
LISTS: list[LS] = [
    ls("cases", "/cases/", "{case.number}"),
    ls("api_cases", "/api/v1/cases", "{case.number}"),
    ls("case_sources", "/cases/sources/", "{source.facts}"),
    ls("api_case_sources", "/api/v1/cases/sources", "{source.facts}"),
    ls("api_case_deadlines", "/api/v1/cases/deadlines", None),
    ls("evidence", "/evidence/", "{evidence.filename}"),
    ls("api_evidence", "/api/v1/evidence/", "{evidence.filename}"),
    ls("documents", "/documents/", "{document.number}"),
    ls("api_documents", "/api/v1/documents/issued", "{document.number}"),
    ls("officers", "/officers/", "{officer2.name}"),
    ls("api_officers", "/api/v1/accounts/officers", "{officer2.name}"),
    ls("credit", "/credit/", "{credit_record.subject_name}"),
    ls("credit_lists", "/credit/lists/", "{list_entry.subject_name}"),
    ls("credit_repairs", "/credit/repairs/", None),
    ls("credit_ratings", "/credit/ratings/", None),
    ls("inspection_plans", "/inspections/", "{plan.title}"),
    ls("api_inspection_items", "/api/v1/inspections/items", "{item.name}"),
    ls("api_inspection_plans", "/api/v1/inspections/plans", "{plan.title}"),
    ls("api_inspection_mine", "/api/v1/inspections/assignments/mine", None),
    ls("overload_leads", "/overload/leads/", "{lead.plate}"),
    ls("api_overload_leads", "/api/v1/overload/leads", "{lead.plate}"),
    ls("api_credit_measures", "/api/v1/credit/measures?subject_ref=enterprise:1", None),
    ls("disclosure_board", "/disclosure/", "/disclosure/records/{disclosure.pk}/"),
    ls("disclosure_records", "/disclosure/records/", "/disclosure/records/{disclosure.pk}/"),
    ls("disclosure_enforcement", "/disclosure/enforcement/", None),
    ls("disclosure_exports", "/disclosure/exports/", None),
    ls("api_disclosure_records", "/api/v1/disclosure/records", '"source_repr": "{disclosure.source_repr}"'),
    ls("registry_enterprises", "/registry/enterprises/", "{enterprise.name}"),
    ls("api_registry_enterprises", "/api/v1/registry/enterprises", "{enterprise.name}"),
    ls("api_registry_vehicles", "/api/v1/registry/vehicles", None),
    ls("api_registry_persons", "/api/v1/registry/persons", None),
    ls("api_registry_licences", "/api/v1/registry/licences", None),
]
# fmt: on


@pytest.fixture
def as_user(client):
    def login(user):
        client.logout()
        client.force_login(user)
        return client

    return login


def _text(r) -> str:
    """The response as readable text (JSON without \\u escapes)."""
    if r.get("Content-Type", "").startswith("application/json"):
        return json.dumps(r.json(), ensure_ascii=False)
    return r.content.decode()


def _names(items):
    return [i.name for i in items]


def _ask(world: World, as_user, who, request, allowed, name: str) -> list:
    """Each actor named in ``who`` (a ``World`` attribute) sends ``request(client)``; each answer is one of
    ``allowed``. Returns the answers, for what a test checks beyond the status."""
    answers = []
    for actor in who:
        r = request(as_user(getattr(world, actor)))
        assert r.status_code in allowed, (name, actor, r.status_code, r.content[:300])
        answers.append(r)
    return answers


OWNER = None
ASKERS = {  # who asks every endpoint of ``ENDPOINTS`` → what each of them gets (OWNER: ``ep.owner``, ``ep.expect``)
    # the URL is real: an actor of county A holding the role is not turned away (else the 404s prove nothing)
    "owner_passes_the_scope": (OWNER, OWNER),
    # the same answer as for an id that does not exist, so ids do not leak
    "other_county_gets_404": (("officer_b", "head_b"), {404}),
    # 三员分立: refused, or not found by the scoped lookup
    "admins_are_refused": (ADMINS, {403, 404}),
}


@pytest.mark.parametrize("asker", ASKERS)
@pytest.mark.parametrize("ep", ENDPOINTS, ids=_names(ENDPOINTS))
def test_endpoint(ep, asker, world, as_user):
    who, allowed = ASKERS[asker]
    who, allowed = who or (ep.owner,), allowed or ep.expect
    answers = _ask(world, as_user, who, lambda c: ep.call(c, world), allowed, ep.name)
    if allowed == {404} and ep.path(world).startswith("/api/"):
        for r in answers:
            assert r.json()["code"].endswith("not_found"), (ep.name, r.json())


@pytest.mark.parametrize("ls", LISTS, ids=_names(LISTS))
def test_listing_scoped(ls, world, as_user):
    marker = _fill(ls.marker, world)
    (mine,) = _ask(world, as_user, (ls.owner,), lambda c: c.get(ls.url), {200}, ls.name)
    if marker is None:
        return
    assert marker in _text(mine), (ls.name, marker)
    (theirs,) = _ask(world, as_user, ("officer_b",), lambda c: c.get(ls.url), {200}, ls.name)
    assert marker not in _text(theirs), (ls.name, marker)


@pytest.mark.parametrize("ls", LISTS, ids=_names(LISTS))
def test_listing_refuses_admins(ls, world, as_user):
    """三员分立: a listing of business data is refused outright (403), not shown empty."""
    _ask(world, as_user, ADMINS, lambda c: c.get(ls.url), {403}, ls.name)


# --- rules that are not one URL per object -------------------------------------------------------------------

CASE = {"party_kind": "org", "party_name": "某公司", "violation_name": "违法", "facts": "事实",
        "occurred_on": "2026-06-01"}  # fmt: skip
SUMMARY = {"party_kind": "citizen", "party_name": "张三", "violation_name": "违法", "facts": "事实",
           "fine_fen": 5000, "officer_ids": []}  # fmt: skip
SOURCE = {"origin": "complaint", "facts": "管理员不应登记案源"}


@pytest.mark.parametrize("who", ADMINS)
@pytest.mark.parametrize(
    "url,body",
    [("/api/v1/cases", CASE), ("/api/v1/cases/summary", SUMMARY), ("/api/v1/cases/sources", SOURCE)],
)
def test_admins_cannot_open_cases_or_sources(url, body, who, world, as_user):
    from zhifa.cases.models import Case, CaseSource

    _ask(world, as_user, (who,), lambda c: c.post(url, body, content_type="application/json"), {403}, url)
    assert not Case.objects.exists() and not CaseSource.objects.exists()


def test_case_source_cannot_cite_another_countys_evidence(world, as_user):
    from zhifa.cases.models import CaseSource

    ev = world.evidence.pk
    body = {"origin": "complaint", "facts": "线索", "evidence_ids": [ev]}

    def cite(client):
        return client.post("/api/v1/cases/sources", body, content_type="application/json")

    (r,) = _ask(world, as_user, ("officer_b",), cite, {404}, "cite evidence")
    assert r.json()["code"].endswith("not_found")
    assert not CaseSource.objects.filter(org__path__startswith=world.officer_b.org.path).exists()
    (r,) = _ask(world, as_user, ("officer_user",), cite, {200}, "cite evidence")
    assert CaseSource.objects.get(pk=r.json()["id"]).evidence_ids == [ev]


def test_summary_penalty_cannot_name_another_countys_officers(world, tree, officer_b):
    """处罚法 Art 42 (two certified officers) is met only by officers of the deciding jurisdiction; county B's
    officers are "not found", and their names are not echoed back."""
    from tests.cases.conftest import catalogue_violation
    from zhifa.cases.models import Case
    from zhifa.cases.services import case_summary_create

    b1 = make_officer(tree.squad_b1, "新兴甲执法", world.rng, user=officer_b)
    b2 = make_officer(tree.squad_b1, "新兴乙执法", world.rng)
    common = dict(
        org=tree.squad_a1,
        party_kind="citizen",
        party_name="张三",
        violation_name="未携带道路运输证",
        violation_code=catalogue_violation().code,
        facts="当场查获",
        penalty_type="fine",
        fine_fen=5000,
        actor=world.officer_user,
        summary_record={"certificates_shown": True, "oral_notice": True, "statement": "waived",
                        "party_signature": "signed"},
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
        case_create(org=tree.bureau_a, occurred_on=TODAY(), actor=world.reviewer_user, **CASE_A)
    assert e.value.status == 403


def test_blacklist_decision_and_removal_need_the_head(world, as_user):
    """Putting a subject on the 严重失信主体名单 (and taking it off) is the head's decision, not an officer's."""
    from zhifa.credit.services import list_entry_decide, list_entry_end

    e = world.list_entry
    later = TODAY() + timedelta(days=30)  # past the objection period
    with pytest.raises(DomainError) as err:
        list_entry_decide(entry=e, include=True, on=later, actor=world.officer_user)
    assert err.value.status == 403
    as_user(world.officer_user).post(f"/credit/lists/{e.pk}/decide/", {"include": "1", "reasons": "x"})
    e.refresh_from_db()
    assert e.state == "noticed"
    e = list_entry_decide(entry=e, include=True, on=later, actor=world.head_user)
    with pytest.raises(DomainError) as err:
        list_entry_end(entry=e, on=later, actor=world.officer_user, reason="期满")
    assert err.value.status == 403
    assert list_entry_end(entry=e, on=later, actor=world.head_user, reason="期满").state == "ended"


def test_credit_measures_api(world, as_user, officer_b):
    """Joint measures follow the subject everywhere (the list is public), but only business users ask."""
    from zhifa.credit.services import list_entry_decide

    e = list_entry_decide(
        entry=world.list_entry, include=True, on=TODAY() + timedelta(days=30), actor=world.head_user
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

    def publish(actor, province: str, reason: str):
        return violation_version_create(
            code="DY-016",
            effective_from=date(2030, 1, 1),
            reason=reason,
            changes={},
            actor=actor,
            province=province,
        )

    load_starter_catalogue()
    before = ViolationVersion.objects.filter(violation__code="DY-016").count()
    for province in ("", "44"):
        with pytest.raises(DomainError) as e:
            publish(reviewer_user, province, "县局调整")
        assert e.value.status == 403, province
    r = as_user(reviewer_user).post(
        "/api/v1/rules/violations/DY-016/versions",
        {"effective_from": "2030-01-01", "reason": "县局调整"},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert ViolationVersion.objects.filter(violation__code="DY-016").count() == before
    city_reviewer = make_user("reviewer_city", tree.city, {"legal_reviewer"})
    assert publish(city_reviewer, "44", "市局统一调整").province == "44"


# --- 双公示: who publishes and completes a record by hand ----------------------------------------------------

PUBLISHERS = [  # (who, unit, role, may publish county A's record)
    ("county A officer", "squad_a1", "officer", True),
    ("county A reviewer", "bureau_a", "legal_reviewer", True),
    ("city head", "city", "head", True),  # a superior unit
    ("county B head", "bureau_b", "head", False),
    ("county A sysadmin", "bureau_a", "sysadmin", False),  # 三员分立
    ("city secadmin", "city", "secadmin", False),
    ("province auditadmin", "province", "auditadmin", False),
]


@pytest.mark.parametrize("who,unit,role,allowed", PUBLISHERS, ids=[p[0] for p in PUBLISHERS])
@pytest.mark.parametrize("act", ["publish", "complete"])
def test_who_publishes_or_completes_a_disclosure_record(act, who, unit, role, allowed, world, tree):
    from zhifa.disclosure.models import PublicRecord
    from zhifa.disclosure.services import disclosure_record_complete, disclosure_record_publish

    rec = world.disclosure  # held: its 决定书文号 is missing
    kw = {"record": rec, "on": TODAY(), "actor": make_user(f"pub_{unit}_{role}", getattr(tree, unit), {role})}
    if act == "publish" or not allowed:
        with pytest.raises(DomainError) as e:
            if act == "publish":
                disclosure_record_publish(**kw)
            else:
                disclosure_record_complete(items={"doc_no": "郁交罚〔2026〕12号"}, **kw)
        if allowed:  # past the role check, refused on the merits (no half-published record)
            assert e.value.code == "disclosure.missing_items", e.value.message
        else:
            assert e.value.status == 403 and "三员" in e.value.message, e.value.message
        assert not PublicRecord.objects.filter(record=rec).exists()
        return
    rec = disclosure_record_complete(items={"doc_no": "郁交罚〔2026〕12号"}, **kw)
    assert rec.state == "published" and rec.public.data["doc_no"] == "郁交罚〔2026〕12号"


# --- 监管对象: registering an identifier another county holds reveals nothing (issue 16 item 12) -------------


def test_registering_an_identifier_known_elsewhere_answers_as_for_a_new_one(world, tree, tmp_path, as_user):
    """County B's answer for an enterprise or a person county A holds is the answer for one nobody holds
    ("created", its own record); A's record is untouched and stays invisible to B. It used to be a 409
    "已由其他单位登记": an existence oracle for ID numbers."""
    from tests.factories import fake_idcard, fake_uscc
    from zhifa.core.imports import run_import
    from zhifa.registry.models import Enterprise, Person

    ent = world.enterprise
    fresh_uscc = fake_uscc(random.Random(1616))
    head_b = world.head_b
    answers = {}
    for label, uscc in (("known", ent.uscc), ("fresh", fresh_uscc)):
        path = tmp_path / f"{label}.csv"
        path.write_text(f"统一社会信用代码,企业名称,经营类别\n{uscc},被改名,货运\n", encoding="utf-8")
        job = run_import("enterprises", path, actor=head_b, org=tree.bureau_b)
        answers[label] = (job.status, job.created, job.updated, job.failed, job.errors)
    assert answers["known"] == answers["fresh"] == ("done", 1, 0, 0, [])
    ent.refresh_from_db()
    assert ent.name == "郁南县甲登记物流有限公司" and ent.org == tree.bureau_a
    assert Enterprise.objects.filter(uscc=ent.uscc, org=tree.bureau_b).count() == 1

    # a person over the API: the ID number of a person county A registered, and a new one
    known_id = fake_idcard(random.Random(1617))
    run_import_path = tmp_path / "p.csv"
    run_import_path.write_text(f"姓名,身份证号码\n甲县某人,{known_id}\n", encoding="utf-8")
    assert run_import("persons", run_import_path, actor=None, org=tree.bureau_a).created == 1
    client = as_user(head_b)
    replies = []
    for idcard in (known_id, fake_idcard(random.Random(1618))):
        r = client.put("/api/v1/registry/persons", {"name": "乙县某人", "idcard": idcard},
                       content_type="application/json")
        replies.append((r.status_code, r.json()))
    assert replies[0] == replies[1] == (200, {"result": "created", "message": "新增"})
    assert Person.objects.get(org=tree.bureau_a).name == "甲县某人"
    listed = client.get("/api/v1/registry/persons").json()["items"]
    assert [p["name"] for p in listed] == ["乙县某人", "乙县某人"]


# --- installation-wide settings: the administrators of the top unit only ------------------------------------

SETTINGS = [  # (role, page, what its refusal names)
    ("secadmin", "/security/policy/", "安全策略"),
    ("sysadmin", "/calendar/import/", "工作日历"),
]


def _post_setting(client, url: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhifa.core import calendar as cal

    if url == "/security/policy/":
        return client.post(url, {"password_min_length": "12", "password_min_classes": "3",
                                 "password_max_age_days": "90", "password_history": "5", "lockout_threshold": "5",
                                 "lockout_minutes": "30", "idle_timeout_minutes": "30"})  # fmt: skip
    rows = "\n".join(
        ["日期,类型,名称"] + [f"{d.isoformat()},放假,{n}" for d, n in cal.statutory_holidays(2030)]
    )
    csv = SimpleUploadedFile("2030.csv", rows.encode("utf-8"))
    return client.post(url, {"year": "2030", "document": "国办发明电〔2029〕1号", "file": csv})


def _setting_changed(url: str) -> bool:
    from zhifa.accounts.models import SecurityPolicy
    from zhifa.core.models import HolidaySchedule

    if url == "/security/policy/":
        return SecurityPolicy.current().password_min_length == 12
    return HolidaySchedule.objects.filter(year=2030).exists()


@pytest.mark.parametrize("unit", ["bureau_a", "city"])
@pytest.mark.parametrize("role,url,what", SETTINGS, ids=[s[0] for s in SETTINGS])
def test_installation_settings_refused_below_the_top_unit(role, url, what, unit, tree, as_user):
    c = as_user(make_user(f"{role}_{unit}", getattr(tree, unit), {role}))
    for r in ((c.get(url),) if url == "/security/policy/" else ()) + (_post_setting(c, url),):
        body = r.content.decode()
        assert r.status_code == 403 and what in body and "广东省交通运输厅" in body, (url, r.status_code)
    assert not _setting_changed(url)


@pytest.mark.parametrize("role,url,what", SETTINGS, ids=[s[0] for s in SETTINGS])
def test_installation_settings_by_the_top_units_administrators(role, url, what, request, as_user):
    from zhifa.core.models import AuditRecord

    admin = request.getfixturevalue(f"top_{role}")  # the 三员 of the province, the top unit of the tree
    r = _post_setting(as_user(admin), url)
    assert r.status_code == 302 and _setting_changed(url), r.content[:300]
    assert (
        AuditRecord.objects.filter(actor_id=admin.pk, success=True)
        .exclude(action__startswith="auth.")
        .exists()
    )


def test_installation_settings_in_the_services(tree):
    """The same rule below the pages: ``policy_update`` and ``calendar_schedule_import`` refuse a county's 三员."""
    from zhifa.accounts.services import policy_update
    from zhifa.console import calendar_services as cal

    for unit in ("bureau_a", "city"):
        with pytest.raises(DomainError) as e:
            policy_update(
                actor=make_user(f"sec_{unit}", getattr(tree, unit), {"secadmin"}), lockout_threshold=3
            )
        assert e.value.status == 403 and "安全策略" in e.value.message
        with pytest.raises(DomainError) as e:
            cal.check_schedule_editor(make_user(f"sys_{unit}", getattr(tree, unit), {"sysadmin"}))
        assert e.value.status == 403 and "工作日历" in e.value.message
    assert policy_update(actor=make_user("sec_top", tree.province, {"secadmin"}), lockout_threshold=3)
    cal.check_schedule_editor(make_user("sys_top", tree.province, {"sysadmin"}))
