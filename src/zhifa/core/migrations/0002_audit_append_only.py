"""Make the audit table append-only at the database (等保 8.1.4.3 c) and create the chain head."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS core_auditrecord_no_update BEFORE UPDATE ON core_auditrecord
       BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改'); END;""",
    """CREATE TRIGGER IF NOT EXISTS core_auditrecord_no_delete BEFORE DELETE ON core_auditrecord
       BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能删除'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS core_auditrecord_no_update;",
                  "DROP TRIGGER IF EXISTS core_auditrecord_no_delete;"]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION core_auditrecord_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '审计记录只能追加，不能修改或删除'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER core_auditrecord_append_only BEFORE UPDATE OR DELETE ON core_auditrecord
       FOR EACH ROW EXECUTE FUNCTION core_auditrecord_append_only();""",
    """CREATE TRIGGER core_auditrecord_no_truncate BEFORE TRUNCATE ON core_auditrecord
       FOR EACH STATEMENT EXECUTE FUNCTION core_auditrecord_append_only();""",
]
POSTGRES_REVERSE = ["DROP TRIGGER IF EXISTS core_auditrecord_no_truncate ON core_auditrecord;",
                    "DROP TRIGGER IF EXISTS core_auditrecord_append_only ON core_auditrecord;",
                    "DROP FUNCTION IF EXISTS core_auditrecord_append_only();"]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)
    apps.get_model("core", "AuditHead").objects.get_or_create(pk=1)


def backwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
