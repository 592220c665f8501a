import pytest


@pytest.mark.django_db
def test_login_page_renders_in_chinese(client):
    r = client.get("/login/")
    assert r.status_code == 200
    assert "登录" in r.content.decode()


@pytest.mark.django_db
def test_home_requires_login(client):
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")
