"""Issue 15 item 4: production-like errors. With DEBUG off a person sees Chinese 403/404/500 pages with a
way home (never Django's English debug page); a 403 is logged as one line; static files and the favicon
are still served; `zhifa demo` serves with DEBUG off."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path

from zhifa.config import urls as project_urls


def _refuse(request):
    raise PermissionDenied("demo refusal")


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("refuse/", _refuse),
    path("boom/", _boom),
    *project_urls.urlpatterns,
]
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.fixture
def client_nodebug(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_404_is_a_chinese_page_with_a_link_home(db, client_nodebug):
    r = client_nodebug.get("/no-such-page/")
    assert r.status_code == 404
    body = r.content.decode()
    assert "页面不存在" in body and 'href="/public/"' in body
    assert "Page not found" not in body and "URLconf" not in body


def test_404_for_a_signed_in_user_links_to_the_start_page(client_nodebug, officer_user):
    client_nodebug.force_login(officer_user)
    body = client_nodebug.get("/cases/999999/").content.decode()
    assert "页面不存在" in body and 'href="/"' in body and "返回首页" in body


@override_settings(ROOT_URLCONF=__name__)
def test_403_is_chinese_and_logged_as_one_line(db, client_nodebug):
    # the console handler LOGGING configures, writing into a buffer for the test
    console = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    buffer = io.StringIO()
    old, console.stream = console.stream, buffer  # not setStream: it flushes the old stream
    try:
        r = client_nodebug.get("/refuse/")
    finally:
        console.stream = old
    assert r.status_code == 403
    assert "无权访问" in r.content.decode() and "返回" in r.content.decode()
    assert buffer.getvalue() == "Forbidden (Permission denied): /refuse/\n"


def test_the_console_handler_carries_the_refusal_filter():
    from django.conf import settings

    assert "one_line_refusal" in settings.LOGGING["handlers"]["console"]["filters"]


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_chinese(db, client_nodebug):
    r = client_nodebug.get("/boom/")
    assert r.status_code == 500
    body = r.content.decode()
    assert "系统内部错误" in body and "Traceback" not in body


def test_static_files_and_the_favicon_are_served_without_debug(db, client_nodebug):
    r = client_nodebug.get("/favicon.ico")
    assert r.status_code == 301
    icon = client_nodebug.get(r["Location"])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)
    css = client_nodebug.get("/static/zhifa/zhifa.css")
    assert css.status_code == 200


def test_pages_link_the_local_favicon(db, client_nodebug):
    assert 'rel="icon" href="/static/zhifa/favicon.svg"' in client_nodebug.get("/public/").content.decode()


def test_zhifa_demo_serves_with_debug_off(tmp_path):
    code = ("import zhifa.cli as c; c.demo_environment(); c.setup_django(); "
            "from django.conf import settings; print(settings.DEBUG)")
    env = {k: v for k, v in os.environ.items() if k != "ZHIFA_DEBUG"} | {"ZHIFA_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    env["ZHIFA_DEBUG"] = "1"  # an explicit choice still wins
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
