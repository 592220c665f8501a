"""Issue 15 item 10: the 程序参数 page asked for each parameter on its own (118 queries); it now reads them
in one query, with the same precedence (the province's row over the national one, the data files for a
name not in the database)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.rules.params import all_params, procedure_param

pytestmark = pytest.mark.django_db


def test_all_params_is_two_queries_and_agrees_with_each_param():
    from zhifa.rules.services import load_starter_catalogue

    load_starter_catalogue()
    on = date(2026, 6, 1)
    with CaptureQueriesContext(connection) as ctx:
        listed = all_params(on=on, province="44")
    assert len(ctx) == 2  # the names in the database, then every row in force
    assert len(listed) > 20
    assert listed == [procedure_param(p.name, on=on, province="44") for p in listed]
