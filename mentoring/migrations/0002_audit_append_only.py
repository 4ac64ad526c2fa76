from django.db import migrations

# On PostgreSQL the database itself refuses to change history. Flushing a test database uses
# TRUNCATE, which row triggers do not see. SQLite (the single-user embedded default) relies on
# the application alone, because its test flush deletes row by row.
CREATE = """
CREATE FUNCTION mentoring_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER mentoring_auditentry_append_only
    BEFORE UPDATE OR DELETE ON mentoring_auditentry
    FOR EACH ROW EXECUTE FUNCTION mentoring_audit_append_only();
"""
DROP = """
DROP TRIGGER mentoring_auditentry_append_only ON mentoring_auditentry;
DROP FUNCTION mentoring_audit_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
