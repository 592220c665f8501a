"""双随机 pages, the public portal (no login, masked) and the API: permissions, scoping, the flow."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.factories import PASSWORD
from tests.inspections.test_services import SIG, run_draw
from zhifa.accounts import services as acc
from zhifa.inspections import draw as algo
from zhifa.inspections import services as svc
from zhifa.inspections.models import Assignment, RecordStatus, TaskStatus

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_pages_for_business_roles_only(client, county, officer_user, sysadmin):
    assert client.get("/inspections/").status_code == 302  # anonymous: to the login page
    login(client, sysadmin)
    assert client.get("/inspections/").status_code == 403  # 三员 see no business data
    client.logout()
    login(client, officer_user)
    for url in (
        "/inspections/",
        "/inspections/items/",
        "/inspections/targets/?business_type=freight",
        "/inspections/inspectors/",
        f"/inspections/plans/{county.plan.pk}/",
        f"/inspections/plans/{county.plan.pk}/stats/",
        f"/inspections/tasks/{county.task.pk}/",
        "/inspections/mine/",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
    assert "道路运输企业安全生产主体责任落实情况检查" in client.get("/inspections/items/").content.decode()


def test_other_county_gets_404(client, county, officer_b):
    login(client, officer_b)
    assert client.get(f"/inspections/tasks/{county.task.pk}/").status_code == 404
    assert client.get(f"/inspections/plans/{county.plan.pk}/").status_code == 404
    assert client.post(f"/inspections/tasks/{county.task.pk}/commit/").status_code == 404


def test_officer_cannot_commit_through_the_page(client, county, officer_user):
    login(client, officer_user)
    r = client.post(f"/inspections/tasks/{county.task.pk}/commit/", follow=True)
    assert "需要执法部门负责人或法制审核人员" in r.content.decode()
    county.task.refresh_from_db()
    assert county.task.status == TaskStatus.DRAFT


def test_flow_through_pages_and_public_replay(client, county, head_user, tmp_path):
    login(client, head_user)
    base = f"/inspections/tasks/{county.task.pk}/"
    r = client.post(base + "commit/", follow=True)
    assert "承诺值已公布" in r.content.decode()
    # before the draw the public sees the commitment, not the seed
    client.logout()
    public = client.get(f"/public/inspections/tasks/{county.task.pk}/").content.decode()
    d = county.task.current_draw()
    assert d.commitment in public and "抽取后公开" in public
    login(client, head_user)
    client.post(base + "draw/")
    client.post(base + "reveal/")
    client.post(base + "redraw/", {"reason": ""}, follow=True)  # refused: no reason
    county.task.refresh_from_db()
    assert county.task.status == TaskStatus.REVEALED
    client.logout()
    body = client.get(f"/public/inspections/tasks/{county.task.pk}/draw.json").content
    path = tmp_path / "published.json"
    path.write_bytes(body)
    out = subprocess.run(
        [sys.executable, "-m", "zhifa.cli", "inspections", "replay", str(path)],
        capture_output=True,
        timeout=120,
    )
    d.refresh_from_db()
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout.rstrip(b"\n") == algo.canonical(d.result["assignments"])
    page = client.get(f"/public/inspections/tasks/{county.task.pk}/").content.decode()
    assert d.seed in page
    assert "陈伟强" not in page and "陈**" in page  # officers masked on the portal (PIPL)


def test_record_form_on_a_tablet_and_publication(client, county, head_user, officer_user):
    d = run_draw(county.task, head_user)
    a = Assignment.objects.filter(draw=d).first()
    inspector = a.inspectors.first()
    if inspector.user_id is None:
        inspector.user = acc.user_create(
            username="insp",
            display_name="insp",
            org=inspector.org,
            roles={"officer"},
            password=PASSWORD,
            actor=None,
        )
        inspector.save()
    login(client, inspector.user)
    url = f"/inspections/assignments/{a.pk}/record/"
    page = client.get(url).content.decode()
    assert "sigpad" in page and "安全生产管理制度" in page
    r = client.post(
        url,
        {
            "inspected_on": county.today.isoformat(),
            "ok_0": "1",
            "ok_1": "0",
            "ok_2": "1",
            "findings": "动态监控值守记录不全",
            "result": "rectify",
            "rectify_due": county.today.replace(day=28).isoformat()
            if county.today.day < 28
            else county.today.isoformat(),
            "signer_name": "企业安全员",
            "signature": SIG,
            "submit": "1",
        },
        follow=True,
    )
    assert "检查记录已提交" in r.content.decode()
    rec = a.__class__.objects.get(pk=a.pk).record
    assert rec.status == RecordStatus.SUBMITTED and rec.checklist[1]["ok"] is False
    r = client.post(f"/inspections/records/{rec.pk}/case/", follow=True)
    assert "已生成案源线索" in r.content.decode()
    client.logout()
    login(client, head_user)
    client.post(f"/inspections/records/{rec.pk}/publish/")
    client.logout()
    results = client.get("/public/inspections/results/").content.decode()
    assert a.enterprise.name in results and "责令整改" in results
    assert "动态监控值守记录不全" not in results  # free text is not published
    assert client.get("/public/inspections/results.json").json()["count"] == 1


def test_public_lists_without_login(client, county, head_user):
    login(client, head_user)
    client.post("/inspections/lists/publish/")
    client.logout()
    index = client.get("/public/inspections/").content.decode()
    assert "随机抽查事项清单" in index and "第1版" in index
    org = county.plan.org.pk
    for kind in ("items", "targets", "inspectors"):
        assert client.get(f"/public/inspections/lists/{org}/{kind}/").status_code == 200
    inspectors = client.get(f"/public/inspections/lists/{org}/inspectors/").content.decode()
    assert "陈伟强" not in inspectors and "陈**" in inspectors
    assert client.get(f"/public/inspections/lists/{org}/nonsense/").status_code == 404


def test_api_flow_and_permissions(client, county, head_user, officer_user):
    head_token = acc.api_token_create(user=head_user, name="测试", actor=head_user)[1]
    officer_token = acc.api_token_create(user=officer_user, name="测试", actor=officer_user)[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {head_token}"}
    url = f"/api/v1/inspections/tasks/{county.task.pk}/"
    r = client.post(url + "commit", HTTP_AUTHORIZATION=f"Bearer {officer_token}")
    assert r.status_code == 403 and r.json()["code"] == "inspections.forbidden"
    assert client.post(url + "commit", **auth).json()["status"] == "committed"
    assert client.post(url + "draw", **auth).json()["status"] == "drawn"
    body = client.post(url + "reveal", **auth).json()
    assert body["status"] == "revealed" and len(body["seed"]) == 64
    assert len(client.get(url + "assignments", **auth).json()) == 4
    r = client.post(url + "redraw", data={"reason": ""}, content_type="application/json", **auth)
    assert r.status_code == 422 and "原因" in r.json()["message"]
    doc = client.get(f"/api/v1/inspections/public/tasks/{county.task.pk}/draw-file").json()  # no auth
    assert algo.verify_file(doc).ok
    r = client.post(
        "/api/v1/inspections/plans",
        data={"year": 2027, "title": "x", "items": []},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {officer_token}",
    )
    assert r.status_code == 403


def test_head_declares_conflict_through_the_page(client, county, head_user):
    login(client, head_user)
    r = client.post(
        "/inspections/conflicts/new/",
        {
            "officer": county.officers[1].pk,
            "enterprise": county.enterprises[0].pk,
            "kind": "relative",
            "valid_from": county.today.isoformat(),
            "note": "配偶任该公司出纳",
        },
        follow=True,
    )
    assert "回避关系已登记" in r.content.decode()
    assert svc.selectors.conflicts_visible(head_user).count() == 1
