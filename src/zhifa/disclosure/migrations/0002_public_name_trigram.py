"""Trigram indexes on the public record's name, for the portal's contains-search (``public_search``).

PostgreSQL: the pg_trgm extension and a GIN index on ``name`` (``name LIKE '%q%'`` uses it). SQLite: an
external-content FTS5 table with the trigram tokenizer (SQLite 3.34+), kept in step with the table by
triggers. Neither is declared on the model: Django knows no such index on SQLite. A later migration
that makes Django rebuild ``disclosure_publicrecord`` on SQLite (most AlterField) drops the triggers
with the old table and must create them again (tests/disclosure/test_contains_search.py checks them).
"""

from django.db import DatabaseError, migrations, transaction

TABLE = "disclosure_publicrecord"
FTS = "disclosure_publicrecord_name_fts"

SQLITE = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(name, content='{TABLE}', content_rowid='record_id',
        tokenize='trigram case_sensitive 1')""",
    f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS}(rowid, name) VALUES (new.record_id, new.name); END""",
    f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, name) VALUES ('delete', old.record_id, old.name); END""",
    f"""CREATE TRIGGER {FTS}_au AFTER UPDATE OF record_id, name ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, name) VALUES ('delete', old.record_id, old.name);
        INSERT INTO {FTS}(rowid, name) VALUES (new.record_id, new.name); END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {FTS}_{t}" for t in ("ai", "ad", "au")] + [
    f"DROP TABLE IF EXISTS {FTS}"
]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS public_name_trgm ON {TABLE} USING gin (name gin_trgm_ops)",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS public_name_trgm"]  # the extension stays: others may use it


def _fts5_trigram(connection) -> bool:
    """Whether this SQLite has FTS5 with the trigram tokenizer; without it the portal has no
    contains-search (the selector looks for the table)."""
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cur:
            cur.execute("CREATE VIRTUAL TABLE temp.zhifa_fts5_probe USING fts5(x, tokenize='trigram')")
            cur.execute("DROP TABLE temp.zhifa_fts5_probe")
    except DatabaseError:
        return False
    return True


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite" and not _fts5_trigram(schema_editor.connection):
        return
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        schema_editor.connection.vendor, []
    ):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
