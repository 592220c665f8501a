"""Pages: 通报 with ECharts, DOCX, leads with review, vehicle track with Leaflet; business roles only."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document

from tests.factories import PASSWORD, make_user
from tests.monitoring.test_services import fleet, store  # noqa: F401  (fixtures)
from zhifa.monitoring import services
from zhifa.monitoring.models import ViolationLead


@pytest.fixture
def ran(officer_user, store):  # noqa: F811
    return services.monthly_run(org=officer_user.org, month="2025-03", actor=officer_user, store=store)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_bulletin_page_and_docx(client, officer_user, ran):
    login(client, officer_user)
    r = client.get("/monitoring/runs/2025-03/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "echarts.min.js" in html and "郁南甲客运有限公司" in html and "上线率" in html
    # mileage grouped by thousands with one decimal (it read "2223341.908 公里")
    km = re.search(r"里程 ([\d,.]+) 公里", html).group(1)
    assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d", km), km
    r = client.get("/monitoring/runs/2025-03/bulletin.docx")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "2025年3月道路运输车辆动态监控情况的通报" in text and "疲劳驾驶" in text
    assert client.get("/monitoring/").status_code == 200


def test_leads_page_review_and_track(client, officer_user, ran):
    login(client, officer_user)
    lead = ViolationLead.objects.get()
    assert "粤W10001" in client.get("/monitoring/leads/").content.decode()
    r = client.post(
        f"/monitoring/leads/{lead.pk}/review",
        {"decision": "case", "note": "属实", "next": "https://evil.example/phish"},
    )
    assert r.status_code == 302 and r["Location"] == "/monitoring/leads/"  # no open redirect
    lead.refresh_from_db()
    assert lead.status == "case" and lead.case_source_id
    r = client.get(f"/monitoring/vehicles/{lead.vehicle_id}/?date=2025-03-03")
    assert r.status_code == 200
    html = r.content.decode()
    assert "leaflet.js" in html and "疲劳驾驶" in html
    assert "tileLayer" in html  # drawn only when ZHIFA_MAP_TILE_URL is set; default: the base map
    assert "basemap.js" in html and "G324" in html  # the shipped base map, in the page (no download)


def test_pages_refused_to_admins_and_other_county(client, sysadmin, officer_b, ran):
    login(client, sysadmin)
    assert client.get("/monitoring/").status_code == 403
    client.logout()
    login(client, officer_b)
    assert client.get("/monitoring/runs/2025-03/").status_code == 404
    lead = ViolationLead.objects.get()
    assert client.get(f"/monitoring/vehicles/{lead.vehicle_id}/").status_code == 404
    assert client.post(f"/monitoring/leads/{lead.pk}/review", {"decision": "notice"}).status_code == 404


def test_a_city_account_opens_the_county_runs_it_lists(client, tree, officer_b, ran):
    """Issue 15: /monitoring/runs/<month>/ was listed to a city account (it oversees the county) but
    answered 404 (the page looked in the city's own jurisdiction). The list's link names the unit."""
    city_reviewer = make_user("reviewer_city_a", tree.city, {"legal_reviewer"})
    login(client, city_reviewer)
    index = client.get("/monitoring/").content.decode()
    link = re.search(r'href="(/monitoring/runs/2025-03/[^"]*)"', index).group(1)
    r = client.get(link.replace("&amp;", "&"))
    assert r.status_code == 200 and "2025-03" in r.content.decode()
    docx = re.search(r'href="(/monitoring/runs/2025-03/bulletin.docx[^"]*)"', r.content.decode()).group(1)
    assert client.get(docx).status_code == 200
    # another county's officer still cannot reach it, whatever the org parameter says
    client.logout()
    login(client, officer_b)
    assert client.get(f"/monitoring/runs/2025-03/?org={tree.bureau_a.pk}").status_code == 404
