"""The portal's contains-search: a name query that no name starts with finds the names containing it,
through a trigram index on each engine (pg_trgm on PostgreSQL, an FTS5 trigram table on SQLite)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.disclosure import selectors, services
from zhifa.disclosure.models import DisclosureRecord, PublicRecord

from .helpers import emit

pytestmark = pytest.mark.django_db

PG = connection.vendor == "postgresql"
FTS = selectors.NAME_FTS


def _fts5_trigram() -> bool:
    """Whether this SQLite build has FTS5 with the trigram tokenizer (asked of SQLite itself)."""
    import sqlite3

    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
    except sqlite3.OperationalError:
        return False
    return True


HAS_INDEX = PG or _fts5_trigram()


def _names(rows) -> list[str]:
    return [r.name for r in rows]


def _emit_names(tree, user, names, *, first_day=1):
    """One record per name, the later ones decided later (so newest first is the reverse order)."""
    for i, name in enumerate(names):
        emit(tree.squad_a1, user, pk=100 + i, subject_name=name, doc_no=f"郁交罚〔2026〕{100 + i}号",
             plate="", subject_code="", decided_on=date(2026, 3, first_day + i))  # fmt: skip


def test_mid_name_found_when_no_name_starts_with_it(tree, head_user, client):
    _emit_names(
        tree, head_user, ["郁南县顺通达运输有限公司", "云浮市安达物流有限公司", "罗定市新通达运输有限公司"]
    )
    rows = selectors.public_search(q="通达运输", limit=20)
    if not HAS_INDEX:  # a SQLite without FTS5 trigrams: no contains-search, and no error
        assert rows == [] and rows.contains is False
        return
    assert rows.contains is True
    assert _names(rows) == ["罗定市新通达运输有限公司", "郁南县顺通达运输有限公司"]  # newest first
    assert _names(selectors.public_search(q="物流有限")) == ["云浮市安达物流有限公司"]
    body = client.get("/public/records/", {"q": " 通达运输 "}).content.decode()
    assert "未找到以“通达运输”开头的名称，以下为名称中包含“通达运输”的记录。" in body
    assert "郁南县顺通达运输有限公司" in body and "云浮市安达物流" not in body
    api = client.get("/api/v1/public/records", {"q": "顺通达运"}).json()  # a prefix of the name without 郁南县
    assert [i["name"] for i in api["items"]] == ["郁南县顺通达运输有限公司"] and api["contains"] is False
    api = client.get("/api/v1/public/records", {"q": "通达运输"}).json()  # inside both names
    assert len(api["items"]) == 2 and api["contains"] is True


def test_prefix_hits_win_and_no_contains_rows_are_mixed_in(tree, head_user, client):
    _emit_names(tree, head_user, ["郁南县通达物流有限公司", "云浮市新通达物流有限公司"])
    rows = selectors.public_search(q="通达物流", limit=20)  # the first one's name_key starts with it
    assert rows.contains is False and _names(rows) == ["郁南县通达物流有限公司"]
    # a page past the end of a prefix search is empty, not the first page of a contains-search
    assert selectors.public_search(q="通达物流", offset=1, limit=20) == []
    assert selectors.public_search(q="通达物流", offset=0, limit=0) == []
    body = client.get("/public/records/", {"q": "通达物流"}).content.decode()
    assert "未找到以" not in body and "云浮市新通达" not in body
    # the mode follows the filters too: no prefix row of this kind, so the names containing it
    assert selectors.public_search(q="通达物流", kind="permit") == []


def test_every_page_of_a_contains_search_is_a_contains_search(tree, head_user, monkeypatch):
    names = [f"郁南县第{n}顺通达运输有限公司" for n in "一二三四五"]
    _emit_names(tree, head_user, names)
    if not HAS_INDEX:
        assert selectors.public_search(q="顺通达", limit=2) == []
        return
    pages = lambda: [selectors.public_search(q="顺通达", offset=o, limit=2) for o in (0, 2, 4, 6)]  # noqa: E731
    collected = pages()
    assert all(p.contains for p in collected)
    assert sum((_names(p) for p in collected), []) == names[::-1]
    monkeypatch.setattr(selectors, "KEYED_HITS", 2)  # 5 hits > 2: the date-index walk gives the same pages
    assert [_names(p) for p in pages()] == [_names(p) for p in collected]
    assert _names(selectors.public_search(q="顺通达")) == names[::-1]  # no paging (the exports)


def test_short_or_punctuation_only_query_searches_no_contains(tree, head_user):
    _emit_names(tree, head_user, ["郁南县顺通达运输有限公司", "郁南县运%%%输有限公司"])
    for q in ("达运", "通达", "%%%", "(（)", "顺通 达"):
        rows = selectors.public_search(q=q)
        assert rows == [] and rows.contains is False, q


def test_like_and_fts_syntax_characters_are_literal(tree, head_user):
    names = [
        "郁南县顺通达_物流有限公司",
        "郁南县顺通达X物流有限公司",
        "郁南县通达100%运输有限公司",
        "郁南县通达1000运输有限公司",
        "郁南县通达\\运输有限公司",
        '郁南县通达"运输"(NEAR)有限公司',
        "郁南县通达运输AND物流有限公司",
    ]
    _emit_names(tree, head_user, names)
    if not HAS_INDEX:
        return
    assert _names(selectors.public_search(q="顺通达_物流")) == [names[0]]
    assert _names(selectors.public_search(q="100%运输")) == [names[2]]
    assert _names(selectors.public_search(q="通达\\运输")) == [names[4]]
    assert _names(selectors.public_search(q='达"运输"(NEAR)')) == [names[5]]
    assert _names(selectors.public_search(q="运输AND物流")) == [names[6]]
    for q in (
        '通达运输" OR "物流',
        "通达运输 OR 物流",
        "通达运输*",
        "name:通达运输",
        "NEAR(通达运输 物流)",
        "运输AND物流*",
        "通达运输^",
    ):
        rows = selectors.public_search(q=q)
        assert rows == [] and rows.contains is True, q


def test_contains_search_reads_the_trigram_index(tree, head_user):
    _emit_names(tree, head_user, ["郁南县顺通达运输有限公司", "云浮市安达物流有限公司"])
    if not HAS_INDEX:
        return
    with CaptureQueriesContext(connection) as ctx:
        assert _names(selectors.public_search(q="通达运输", limit=21)) == ["郁南县顺通达运输有限公司"]
    sql = [c["sql"] for c in ctx.captured_queries if c["sql"].startswith("WITH hits")][-1]  # the contains one
    with connection.cursor() as cur:
        if PG:
            # the search collects the hits with sequential and plain index scans off, as here
            assert any("set_config('enable_seqscan'" in c["sql"] for c in ctx.captured_queries)
            cur.execute(selectors._BITMAP_ONLY, ["off", "off"])
            cur.execute("EXPLAIN " + sql)
            plan = "\n".join(r[0] for r in cur.fetchall())
            assert "public_name_trgm" in plan and "Seq Scan" not in plan, plan
        else:
            assert f"{FTS} MATCH" in sql
            cur.execute("EXPLAIN QUERY PLAN " + sql)
            plan = "\n".join(str(r[-1]) for r in cur.fetchall())
            assert f"SCAN {FTS} VIRTUAL TABLE INDEX" in plan, plan
            assert "SCAN disclosure_publicrecord" not in plan.replace(f"SCAN {FTS}", ""), plan


def test_withdrawn_renamed_and_masked_rows_follow_the_table(tree, head_user):
    _emit_names(tree, head_user, ["郁南县顺通达运输有限公司", "云浮市安达物流有限公司"])
    emit(
        tree.squad_a1,
        head_user,
        pk=200,
        subject_name="陈大文明",
        subject_kind="自然人",
        plate="",
        subject_code="",
    )
    if not HAS_INDEX:
        return
    assert selectors.public_search(q="大文明") == []  # the public table holds the masked name only
    rec = DisclosureRecord.objects.get(public__name="郁南县顺通达运输有限公司")
    services.disclosure_record_mark_withdrawn(record=rec, on=date(2026, 4, 1), actor=head_user)
    assert selectors.public_search(q="顺通达运") == []
    # a renamed row (a storage-level change: the triggers keep the SQLite index in step)
    PublicRecord.objects.filter(name="云浮市安达物流有限公司").update(
        name="云浮市恒远物流有限公司", name_key="恒远物流有限公司"
    )
    assert selectors.public_search(q="安达物流") == []
    assert _names(selectors.public_search(q="恒远物流")) == ["云浮市恒远物流有限公司"]
    if not PG:
        with connection.cursor() as cur:
            # FTS5 compares its index with the content table and raises if they differ
            cur.execute(f"INSERT INTO {FTS}({FTS}, rank) VALUES ('integrity-check', 1)")
            cur.execute(f"SELECT count(*) FROM {FTS}")
            assert cur.fetchone()[0] == PublicRecord.objects.count() == 2


@pytest.mark.sqlite  # the SQLite full-text table and its triggers
def test_sqlite_index_exists_exactly_when_fts5_trigrams_do(tree, head_user):
    """The migration creates the FTS5 table and its triggers when this SQLite has FTS5 trigrams and
    nothing otherwise; a later migration that rebuilds the table on SQLite would drop the triggers."""
    with connection.cursor() as cur:
        cur.execute("SELECT type, name FROM sqlite_master WHERE name LIKE %s", [FTS + "%"])
        objects = set(cur.fetchall())
    expected = {("table", FTS)} | {("trigger", f"{FTS}_{t}") for t in ("ai", "ad", "au")}
    assert expected <= objects if _fts5_trigram() else not objects


@pytest.mark.sqlite  # the SQLite full-text table
def test_without_the_fts_table_no_contains_search_and_no_error(tree, head_user):
    """A SQLite without FTS5 gets no table from the migration: the search then has no contains-mode."""
    with connection.cursor() as cur:  # rolled back with the test
        for t in ("ai", "ad", "au"):
            cur.execute(f"DROP TRIGGER IF EXISTS {FTS}_{t}")
        cur.execute(f"DROP TABLE IF EXISTS {FTS}")
    _emit_names(tree, head_user, ["郁南县顺通达运输有限公司"])
    rows = selectors.public_search(q="通达运输")
    assert rows == [] and rows.contains is False
    assert _names(selectors.public_search(q="通达运")) == []
    assert _names(selectors.public_search(q="郁南县顺通达")) == ["郁南县顺通达运输有限公司"]
