"""The records server's PostgreSQL role keeps records but cannot rewrite history: no
TRUNCATE, no changing events or the audit log, no disabling triggers."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from simulator.store import Store, StoreUnavailable
from simulator.store.grants import create_server_role
from tests.store.helpers import drop_pg_schema, fresh_pg_schema

pytestmark = pytest.mark.postgres


def test_the_server_role_records_but_cannot_truncate_rewrite_or_disable_triggers() -> None:
    schema, owner_url = fresh_pg_schema()
    role = f"parolesim_srv_{uuid.uuid4().hex[:10]}"
    owner = Store.open(owner_url)
    try:
        admin = owner.add_person(None, "rae", role="admin", password="admin-pass-1")
        with owner._db.write() as conn:
            assert create_server_role(conn, role, "server-pass-1") is True
        as_role = sa.make_url(owner_url).set(username=role, password="server-pass-1")
        url = as_role.render_as_string(hide_password=False)
        with Store.open(url, local_paths=False) as served:
            rae = served.sign_in("rae", "admin-pass-1")
            served.add_person(rae, "alice")
            assert [p.username for p in served.people(rae)] == ["alice", "rae"]
            for statement in (
                "TRUNCATE audit_log",
                "TRUNCATE events, evaluation_signatures",
                "DELETE FROM audit_log",
                "UPDATE events SET t = 0",
                "ALTER TABLE audit_log DISABLE TRIGGER ALL",
                "SET session_replication_role = replica",
                "DROP TABLE events",
            ):
                with (
                    pytest.raises((sa.exc.DatabaseError, StoreUnavailable)),
                    served._db.write() as conn,
                ):
                    conn.exec_driver_sql(statement)
        assert [e.action for e in owner.audit_log(admin, limit=2)] == ["add_person", "sign_in"]
        with Store.open(url) as served:
            refused = pytest.raises(StoreUnavailable, match="upgrade` as the database owner")
            with refused, served._db.write() as conn:
                conn.exec_driver_sql("CREATE TABLE parolesim_extra (id integer)")
    finally:
        owner.close()
        drop_pg_schema(schema)
        engine = sa.create_engine(sa.make_url(owner_url).set(query={}))
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        engine.dispose()
