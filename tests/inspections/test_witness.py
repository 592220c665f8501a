"""多方见证随机 (zhifa-draw-v2) through the services: commit with declared witnesses and a public source,
contributions by one-time code and on a witness's behalf, absences, refusals, the draw and its replay."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest

from zhifa.core.audit import audit_verify
from zhifa.core.errors import DomainError
from zhifa.inspections import draw as algo
from zhifa.inspections import selectors
from zhifa.inspections import services as svc
from zhifa.inspections.models import DrawStatus, TaskStatus

pytestmark = pytest.mark.django_db
ROLES = ["纪检监察", "企业代表"]


def commit(county, head_user, **kw):
    kw.setdefault("witnesses", ROLES)
    kw.setdefault("public_source", "中国福利彩票双色球开奖号码")
    kw.setdefault("public_date", county.today)
    return svc.draw_commit(task=county.task, actor=head_user, **kw)


def tokens(d):
    return {s.slot: svc.slot_token(s) for s in d.slots.all() if s.kind == "witness"}


def contribute_all(county, head_user, d):
    t = tokens(d)
    svc.witness_contribute(token=t["W1"], name="王建国", value=" ８８１２ ")
    svc.contribution_enter(task=county.task, slot="W2", name="林小燕", value="林七", actor=head_user)
    svc.public_value_enter(task=county.task, value="03 07 12 19 25 31 + 09", actor=head_user)


def replay(tmp_path, doc, *extra):
    path = tmp_path / f"draw-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    args = [sys.executable, "-m", "zhifa.cli", "inspections", "replay", str(path), *extra]
    return subprocess.run(args, capture_output=True, timeout=120, text=True), path


def test_two_witness_draw_verifies_and_forgeries_are_refused(county, head_user, tmp_path):
    d = commit(county, head_user)
    assert d.algorithm == algo.ALGORITHM_V2 and set(d.digests) == {"task", "targets", "inspectors", "contributors"}
    pre = selectors.draw_file(d)
    assert pre["format"] == algo.FILE_FORMAT_V2 and pre["secret"] is None and pre["witnesses"] == [None, None]
    out, pre_path = replay(tmp_path, pre)
    assert out.returncode == 2 and "抽取尚未揭示" in out.stderr

    with pytest.raises(DomainError, match="W1（纪检监察）、W2（企业代表）、公开随机值.*尚未录入"):
        svc.draw_execute(task=county.task, actor=head_user)
    contribute_all(county, head_user, d)
    svc.draw_execute(task=county.task, actor=head_user)
    d = svc.draw_reveal(task=county.task, actor=head_user)
    doc = selectors.draw_file(d)
    assert doc["witnesses"][0] == {
        "slot": "W1",
        "role": "纪检监察",
        "name": "王**",
        "value": "8812",
        "via": "page",
        "at": doc["witnesses"][0]["at"],
    }
    assert doc["witnesses"][1]["via"] == "officer" and doc["public"]["value"] == "03 07 12 19 25 31 + 09"
    assert selectors.draw_mode(d) == "多方见证随机"

    out, _ = replay(tmp_path, doc, "--against", str(pre_path))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == d.result["assignments"]

    altered = json.loads(json.dumps(doc))
    altered["witnesses"][1]["value"] = "林八"
    out, _ = replay(tmp_path, altered)
    assert out.returncode == 1 and "随机种子不符" in out.stderr

    # the bureau re-forges the whole file with a new secret: consistent in itself, not with the pre-draw file
    forged = json.loads(json.dumps(doc))
    secret = algo.sm3(b"forged").hex()
    forged["secret"] = secret
    forged["commitment"] = algo.commitment(secret, forged["digests"], algo.ALGORITHM_V2)
    seed = algo.derive_seed(secret, forged["commitment"], forged["witnesses"], forged["public"])
    result = algo.run(seed, forged["inputs"], algo.ALGORITHM_V2)
    forged.update(seed=seed.hex(), assignments=result.assignments, strata=result.strata)
    forged["result_digest"] = algo.sm3(result.canonical()).hex()
    assert algo.verify_file(forged).ok
    out, _ = replay(tmp_path, forged, "--against", str(pre_path))
    assert out.returncode == 1 and "承诺值与比对文件不一致" in out.stderr
    assert audit_verify().ok


def test_contributions_are_once_only_and_closed_by_the_draw(county, head_user):
    d = commit(county, head_user)
    t = tokens(d)
    assert svc.slot_for_token(t["W1"].lower().replace("-", " ")).slot == "W1"  # case and dashes do not matter
    svc.witness_contribute(token=t["W1"], name="王建国", value="1")
    assert svc.slot_for_token(t["W1"]) is None  # spent
    with pytest.raises(DomainError, match="录入码无效"):
        svc.witness_contribute(token=t["W1"], name="王建国", value="2")
    with pytest.raises(DomainError, match="已录入，不能更改"):
        svc.contribution_enter(task=county.task, slot="W1", name="王建国", value="2", actor=head_user)
    with pytest.raises(DomainError, match="没有声明 W3"):
        svc.contribution_enter(task=county.task, slot="W3", name="张三", value="2", actor=head_user)
    with pytest.raises(DomainError, match="不能再记录缺席"):
        svc.contribution_absent(task=county.task, slot="W2", reason="未到场", actor=head_user)
    with pytest.raises(DomainError, match="取值无效"):
        svc.contribution_enter(task=county.task, slot="W2", name="林小燕", value="   ", actor=head_user)
    svc.contribution_enter(task=county.task, slot="W2", name="林小燕", value="2", actor=head_user)
    svc.public_value_enter(task=county.task, value="7", actor=head_user)
    svc.draw_execute(task=county.task, actor=head_user)
    with pytest.raises(DomainError, match="尚未抽取"):
        svc.public_value_enter(task=county.task, value="8", actor=head_user)
    assert svc.slot_for_token(t["W2"]) is None  # entered on the witness's behalf: the code is dead too


def test_absence_only_before_any_value(county, head_user, officer_user, tmp_path):
    d = commit(county, head_user, public_source="")
    with pytest.raises(DomainError, match="须说明原因"):
        svc.contribution_absent(task=county.task, slot="W1", reason=" ", actor=head_user)
    with pytest.raises(DomainError, match="需要执法部门负责人"):
        svc.contribution_absent(task=county.task, slot="W1", reason="未到场", actor=officer_user)
    svc.contribution_absent(task=county.task, slot="W1", reason="临时公务未到场", actor=head_user)
    svc.contribution_enter(task=county.task, slot="W2", name="林小燕", value="42", actor=head_user)
    svc.draw_execute(task=county.task, actor=head_user)
    d = svc.draw_reveal(task=county.task, actor=head_user)
    doc = selectors.draw_file(d)
    assert doc["witnesses"][0]["absent"] is True and doc["public"] is None
    assert selectors.draw_mode(d) == "多方见证随机"
    out, _ = replay(tmp_path, doc)
    assert out.returncode == 0, out.stderr


def test_all_absent_is_labelled_single_party(county, head_user):
    d = commit(county, head_user, witnesses=["公证员"], public_source="")
    svc.contribution_absent(task=county.task, slot="W1", reason="公证员未到场", actor=head_user)
    svc.draw_execute(task=county.task, actor=head_user)
    assert selectors.draw_mode(d) == "单方随机（见证人均缺席）"


def test_public_value_named_in_advance(county, head_user):
    with pytest.raises(DomainError, match="日期不能早于今天"):
        commit(county, head_user, public_date=county.today - timedelta(days=1))
    with pytest.raises(DomainError, match="须写明公开随机值的日期"):
        commit(county, head_user, public_date=None)
    county.task.refresh_from_db()
    assert county.task.status == TaskStatus.DRAFT
    commit(county, head_user, witnesses=[], public_date=county.today + timedelta(days=1))
    with pytest.raises(DomainError, match="当日公布后才能录入"):
        svc.public_value_enter(task=county.task, value="123", actor=head_user)


def test_single_party_draw_stays_v1(county, head_user):
    d = svc.draw_commit(task=county.task, actor=head_user)
    assert d.algorithm == algo.ALGORITHM and not d.slots.exists() and selectors.draw_mode(d) == "单方随机"
    assert selectors.draw_file(d)["format"] == algo.FILE_FORMAT


def test_redraw_declares_the_same_witnesses(county, head_user):
    d = commit(county, head_user)
    t = tokens(d)
    d2 = svc.draw_redraw(task=county.task, reason="见证人未按时到场", actor=head_user)
    assert d2.declared == d.declared and d2.commitment != d.commitment
    d.refresh_from_db()
    assert d.status == DrawStatus.SUPERSEDED and d.seed
    assert svc.slot_for_token(t["W1"]) is None  # codes of the superseded draw are dead
    assert tokens(d2)["W1"] != t["W1"]
    doc = selectors.draw_file(d)
    assert algo.verify_file(doc).kind == "unrevealed"  # superseded before any value: nothing to replay
