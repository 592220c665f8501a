"""Fixtures of 行政许可: the catalogue's first version, a freight company in 郁南县, an application."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.core.identifiers import uscc_check_char
from zhifa.permits import selectors, services
from zhifa.registry.enums import BusinessType
from zhifa.registry.models import Enterprise

USCC = "91445322MA4X0YRE3" + uscc_check_char("91445322MA4X0YRE3")


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path, monkeypatch):
    """Issued 文书 go under a fresh data dir; the shipped templates, the default 文号 pattern."""
    settings.DATA_DIR = tmp_path / "data"
    monkeypatch.setenv("ZHIFA_TEMPLATE_DIR", str(tmp_path / "custom"))
    monkeypatch.delenv("ZHIFA_DOC_NUMBER_PATTERN", raising=False)


@pytest.fixture
def catalogue(db):
    services.catalogue_seed(on=date(2025, 1, 1))


@pytest.fixture
def company(tree):
    return Enterprise.objects.create(
        uscc=USCC, name="郁南县顺安物流有限公司", org=tree.bureau_a, business_type=BusinessType.FREIGHT
    )


def new_app(tree, *, code="dlhy", received_on=date(2026, 3, 2), actor=None, **kw):
    item = selectors.item_current(code, received_on)
    kw.setdefault("applicant", "郁南县顺安物流有限公司")
    kw.setdefault("applicant_uscc", USCC)
    return services.application_submit(
        actor=actor,
        org=tree.bureau_a,
        item=item,
        channel=kw.pop("channel", "portal"),
        received_on=received_on,
        **kw,
    )
