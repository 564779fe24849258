"""The access log stays append-only but for one change: the erasure of a person
(pilar.beneficiaries.erasure) may replace, in the query and the path of an entry, a
search that named them by the REDACTED mark. Who read, when, what kind of records,
which records and how many stay untouchable; a DELETE or TRUNCATE is still refused.
"""

from collections.abc import Callable

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = """
CREATE FUNCTION pilar_access_log_redaction_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (NEW.id, NEW.at, NEW.user_id, NEW.username, NEW.roles, NEW.action, NEW.record_type,
            NEW.record_ids, NEW.record_count)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.user_id, OLD.username, OLD.roles, OLD.action, OLD.record_type,
            OLD.record_ids, OLD.record_count)
       AND position('*dihapus*' in NEW.query) > 0
       AND length(NEW.query) <= length(OLD.query) + 9
       AND length(NEW.path) <= length(OLD.path) + 9 THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the access log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER access_log_append_only ON audit_accesslog;
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION pilar_access_log_redaction_only();
ALTER TABLE audit_accesslog ENABLE ALWAYS TRIGGER access_log_append_only;
"""
DROP = """
DROP TRIGGER access_log_append_only ON audit_accesslog;
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION pilar_access_log_append_only();
ALTER TABLE audit_accesslog ENABLE ALWAYS TRIGGER access_log_append_only;
DROP FUNCTION pilar_access_log_redaction_only();
"""


def on_postgresql(sql: str) -> Callable[[StateApps, BaseDatabaseSchemaEditor], None]:
    """A step that runs `sql` on PostgreSQL and nothing elsewhere (SQLite has no such triggers)."""

    def run(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_accessed_records")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
