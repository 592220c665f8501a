"""Issue 15 item 10: the 文书模板 page parsed every DOCX template on every request (about a second at demo
scale). Each file is now parsed once per version (path, size, modification time): a bureau's replacement
is read again the moment it is saved."""

from __future__ import annotations

import os
import shutil

import pytest
from docx import Document

from zhifa.documents import selectors
from zhifa.documents.services import template_dir

pytestmark = pytest.mark.django_db


@pytest.fixture
def parses(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    monkeypatch.delenv("ZHIFA_TEMPLATE_DIR", raising=False)
    selectors._placeholders_of.cache_clear()
    calls: list[str] = []
    real = selectors.placeholders_in

    def counting(path):
        calls.append(str(path))
        return real(path)

    monkeypatch.setattr(selectors, "placeholders_in", counting)
    return calls


def _undeclared() -> dict[str, list[str]]:
    return {tf.spec.name: selectors.template_undeclared(tf) for tf in selectors.templates_catalogue()}


def test_templates_are_parsed_once_per_file_version(parses):
    first = _undeclared()
    assert len(parses) == len(first) > 10
    parses.clear()
    assert _undeclared() == first and parses == []  # the second listing opens no DOCX


def test_a_replaced_template_is_read_again(parses):
    tf = selectors.templates_catalogue()[0]
    custom = template_dir() / tf.spec.filename
    custom.parent.mkdir(parents=True, exist_ok=True)
    doc = Document(str(tf.path))
    doc.add_paragraph("{{ party.nmae }}")
    doc.save(str(custom))
    assert "party.nmae" in selectors.template_undeclared(selectors.templates_catalogue()[0])
    shutil.copyfile(tf.path, custom)  # the bureau puts the right file back
    stat = custom.stat()
    os.utime(custom, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert selectors.template_undeclared(selectors.templates_catalogue()[0]) == selectors.template_undeclared(tf)
