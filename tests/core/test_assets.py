"""``{% asset %}``: the URL Django's ``{% static %}`` gives, looked up once per process."""

from __future__ import annotations

from django.template import engines
from django.templatetags.static import static

from zhifa.core.templatetags.assets import asset


def test_asset_is_the_static_url_and_is_escaped():
    assert asset("zhifa/zhifa.css") == static("zhifa/zhifa.css") == "/static/zhifa/zhifa.css"
    html = engines["django"].from_string("{% load assets %}{% asset 'a b&c.js' %}").render({})
    assert html == "/static/a%20b%26c.js"  # what {% static %} renders for the same path


def test_every_page_links_its_local_assets(client, db):
    body = client.get("/public/records/").content.decode()
    assert '<link rel="stylesheet" href="/static/zhifa/zhifa.css">' in body
    assert '<script src="/static/zhifa/vendor/htmx.min.js" defer></script>' in body
