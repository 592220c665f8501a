"""法制工作 pages: each answers for the business roles, refuses the 三员, hides another county's records (404),
shows a refusal's Chinese message, and exports the indicators as XLSX."""

import pytest

from tests.factories import PASSWORD
from tests.legal.conftest import doc_to


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.mark.parametrize(
    "url",
    [
        "/legal/",
        "/legal/decisions/",
        "/legal/reviews/",
        "/legal/appeals/",
        "/legal/powers/",
        "/legal/indicators/",
        "/legal/documents/new/",
    ],
)
def test_pages_for_business_roles_not_for_the_admins(client, people, sysadmin, url):
    _login(client, people["officer"])
    r = client.get(url)
    assert r.status_code == 200 and "法制工作" in r.content.decode()
    _login(client, sysadmin)
    assert client.get(url).status_code == 403


def test_document_page_scoped_and_refusal_shown(client, people, officer_b):
    p = people
    doc = doc_to("legal", tree=p["tree"], officer=p["officer"], reviewer=p["reviewer"], head=p["head"])
    _login(client, officer_b)
    assert client.get(f"/legal/documents/{doc.pk}/").status_code == 404
    _login(client, p["head"])
    page = client.get(f"/legal/documents/{doc.pk}/").content.decode()
    assert "公平竞争审查" in page and "违反但符合例外情形（第十二条）" in page
    r = client.post(
        f"/legal/documents/{doc.pk}/act/",
        {"action": "deliberate", "on": "2026-03-10", "minutes": "纪要"},
        follow=True,
    )
    assert "《公平竞争审查条例》第十八条" in r.content.decode()


def test_indicators_count_and_export(client, people):
    import io

    from openpyxl import load_workbook

    p = people
    doc_to("publish", tree=p["tree"], officer=p["officer"], reviewer=p["reviewer"], head=p["head"])
    _login(client, p["head"])
    page = client.get("/legal/indicators/?start=2026-01-01&end=2026-12-31").content.decode()
    assert "合法性审核文件数" in page
    r = client.get("/legal/indicators/?start=2026-01-01&end=2026-12-31&export=xlsx")
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    values = {row[0]: row[2] for row in rows[1:]}
    assert values["合法性审核文件数"] == 1 and values["公平竞争审查文件数"] == 1
    assert values["按期备案率"] == 0  # published 2026-03-02, 备案 due 04-01, not filed: 0 of 1
