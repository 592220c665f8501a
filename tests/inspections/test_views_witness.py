"""多方见证随机 through the pages and the API: the commit form, the witness's phone page (no login, CSRF,
one-time code), entering on a witness's behalf, the public page's labels, the method page and its files."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.inspections.test_views import login
from zhifa.accounts import services as acc
from zhifa.inspections import draw as algo
from zhifa.inspections import services as svc
from zhifa.inspections.models import DrawSlot, TaskStatus

pytestmark = pytest.mark.django_db


def _commit_form(county, **extra):
    return {
        "mode": "multi",
        "witness_role": ["纪检监察", "企业代表", "", ""],
        "public_source": "中国福利彩票双色球开奖号码",
        "public_date": county.today.isoformat(),
        **extra,
    }


def test_two_witness_draw_through_the_pages(client, county, head_user):
    login(client, head_user)
    base = f"/inspections/tasks/{county.task.pk}/"
    form = client.get(base).content.decode()
    assert "多方见证随机（推荐）" in form and "纪检监察" in form
    page = client.post(base + "commit/", _commit_form(county), follow=True).content.decode()
    assert "承诺值已公布" in page and "见证录入" in page and "/inspections/witness/" in page
    d = county.task.current_draw()
    assert d.algorithm == algo.ALGORITHM_V2
    w1 = svc.slot_token(d.slots.get(slot="W1"))
    assert w1 in page
    assert "后才能执行抽取" in page and 'action="draw/"' not in page

    # the witness, on a phone, not signed in, with CSRF enforced
    phone = Client(enforce_csrf_checks=True)
    r = phone.post("/inspections/witness/", {"code": "nonsense"})
    assert r.status_code == 403  # no CSRF token yet: refused
    entry = phone.get("/inspections/witness/")
    token = entry.cookies["csrftoken"].value
    r = phone.post("/inspections/witness/", {"code": w1.lower(), "csrfmiddlewaretoken": token})
    assert r.status_code == 302 and r["Location"] == f"/inspections/witness/{w1.replace('-', '')}/"
    page = phone.get(r["Location"]).content.decode()
    assert "W1 · 纪检监察" in page and d.commitment[:16] in page
    done = phone.post(
        r["Location"], {"name": "王建国", "value": " ８８１２ ", "csrfmiddlewaretoken": token}
    ).content.decode()
    assert "已记录" in done and "8812" in done and "王**" in done
    assert phone.get(r["Location"]).status_code == 404  # the code is spent
    r = phone.post("/inspections/witness/", {"code": w1, "csrfmiddlewaretoken": token})
    assert r.status_code == 422 and "录入码无效、已使用" in r.content.decode()

    client.post(base + "contribute/", {"slot": "W2", "name": "林小燕", "value": "林七"})
    page = client.post(base + "public/", {"value": "03 07 12 19 25 31 + 09"}, follow=True).content.decode()
    assert "公开随机值已录入" in page and "工作人员代为录入" in page and "见证人本人录入" in page
    client.post(base + "draw/")
    client.post(base + "reveal/")
    county.task.refresh_from_db()
    assert county.task.status == TaskStatus.REVEALED

    client.logout()
    public = client.get(f"/public/inspections/tasks/{county.task.pk}/").content.decode()
    assert "多方见证随机" in public and "王**" in public and "林**" in public and "8812" in public
    assert "王建国" not in public and "林小燕" not in public  # names masked on the portal
    assert 'href="/public/inspections/method/"' in public
    doc = client.get(f"/public/inspections/tasks/{county.task.pk}/draw.json").json()
    assert algo.verify_file(doc).ok and doc["witnesses"][0]["via"] == "page"
    assert "多方见证随机" in client.get("/public/inspections/").content.decode()


def test_commit_form_choices(client, county, head_user):
    login(client, head_user)
    base = f"/inspections/tasks/{county.task.pk}/"
    r = client.post(base + "commit/", _commit_form(county, witness_role=["", ""], public_source=""), follow=True)
    assert "多方见证随机至少需要一名见证人或一个公开随机值" in r.content.decode()
    r = client.post(base + "commit/", {"mode": "single", "witness_role": ["纪检监察"]}, follow=True)
    d = county.task.current_draw()
    assert d.algorithm == algo.ALGORITHM and "单方随机" in r.content.decode()
    client.logout()
    assert "单方随机" in client.get(f"/public/inspections/tasks/{county.task.pk}/").content.decode()


def test_pending_draw_shows_the_pre_draw_file(client, county, head_user):
    svc.draw_commit(task=county.task, actor=head_user, witnesses=["公证员"])
    page = client.get(f"/public/inspections/tasks/{county.task.pk}/").content.decode()
    assert "下载抽取前文件" in page and "--against" in page and "待录入" in page
    doc = client.get(f"/public/inspections/tasks/{county.task.pk}/draw.json").json()
    assert doc["format"] == algo.FILE_FORMAT_V2 and doc["secret"] is None
    assert algo.verify_file(doc).kind == "unrevealed"


def test_method_page_and_files(client):
    page = client.get("/public/inspections/method/").content.decode()
    assert "多方见证随机" in page and "单方随机" in page and "权重" in page and "--against" in page
    spec = client.get("/public/inspections/ALGORITHM.md")
    assert spec.status_code == 200 and "zhifa-draw-v2" in spec.content.decode()
    vec = client.get("/public/inspections/testvectors/zhifa-draw-v2-example.json")
    assert vec.status_code == 200 and algo.verify_file(vec.json()).ok
    assert client.get("/public/inspections/testvectors/..%2Fviews.py").status_code == 404
    assert "/public/inspections/method/" in client.get("/public/inspections/").content.decode()


def test_api_multi_party_flow(client, county, head_user, officer_user):
    head = {"HTTP_AUTHORIZATION": f"Bearer {acc.api_token_create(user=head_user, name='t', actor=head_user)[1]}"}
    url = f"/api/v1/inspections/tasks/{county.task.pk}/"
    body = client.post(
        url + "commit",
        data={"witnesses": ["纪检监察", "企业代表"]},
        content_type="application/json",
        **head,
    ).json()
    assert body["algorithm"] == algo.ALGORITHM_V2 and body["mode"] == "多方见证随机"
    assert [c["slot"] for c in body["contributors"]] == ["W1", "W2"]
    r = client.post(url + "draw", **head)
    assert r.status_code == 409 and "尚未录入" in r.json()["message"]
    r = client.post(
        url + "absences", data={"slot": "W1", "reason": "未到场"}, content_type="application/json", **head
    )
    assert r.json()["contributors"][0]["record"]["absent"] is True
    r = client.post(
        url + "contributions",
        data={"slot": "W2", "name": "林小燕", "value": "7"},
        content_type="application/json",
        **head,
    )
    assert r.json()["contributors"][1]["record"]["name"] == "林**"
    r = client.post(
        url + "contributions",
        data={"slot": "W2", "name": "林小燕", "value": "8"},
        content_type="application/json",
        **head,
    )
    assert r.status_code == 409 and "不能更改" in r.json()["message"]
    assert client.post(url + "draw", **head).json()["status"] == "drawn"
    client.post(url + "reveal", **head)
    doc = client.get(f"/api/v1/inspections/public/tasks/{county.task.pk}/draw-file").json()
    assert algo.verify_file(doc).ok
    assert DrawSlot.objects.filter(draw__task=county.task).count() == 2
