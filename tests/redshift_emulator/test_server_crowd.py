"""Many clients at once. Each client session of the Redshift emulator is a PostgreSQL session of
its own, so PostgreSQL's connection limits are the emulator's: past them a client is refused
with PostgreSQL's "too many connections" error (SQLSTATE 53300), the others go on.

The test lowers the limit on its own database (ALTER DATABASE ... CONNECTION LIMIT, which binds
the emulator's client sessions, not its own superuser sessions) rather than filling the whole
PostgreSQL server, which other test runs may share.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest

from tests.redshift_emulator import wire_client as wire

CLIENTS = 200
LIMIT = 40


@pytest.fixture
def limited_database(redshift_emulator):
    admin = psycopg2.connect(redshift_emulator.postgres_url)
    admin.autocommit = True
    database = redshift_emulator.database
    with admin.cursor() as cur:
        cur.execute(f'ALTER DATABASE "{database}" CONNECTION LIMIT {LIMIT}')
    try:
        yield
    finally:
        with admin.cursor() as cur:
            cur.execute(f'ALTER DATABASE "{database}" CONNECTION LIMIT -1')
        admin.close()


def test_crowd_of_clients_is_served_up_to_the_limit_and_refused_cleanly_beyond(
    redshift_emulator, limited_database
):
    app = wire.application_name()
    all_tried = threading.Barrier(CLIENTS, timeout=60)

    def client(n: int) -> str:
        try:
            conn = psycopg2.connect(redshift_emulator.dsn, application_name=app, connect_timeout=30)
        except psycopg2.OperationalError as exc:
            all_tried.wait()
            return str(exc)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT %s + 1", (n,))
                served = cur.fetchone() == (n + 1,)
            conn.commit()
            all_tried.wait()  # hold the session until every client has had its try
            return "served" if served else "wrong answer"
        finally:
            conn.close()

    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = list(pool.map(client, range(CLIENTS)))

    served = outcomes.count("served")
    refused = [o for o in outcomes if o != "served"]
    assert 1 <= served <= LIMIT
    assert served + len(refused) == CLIENTS
    assert all("too many connections for database" in o for o in refused), set(refused)
    wire.wait_released(redshift_emulator, app)
    assert wire.idle_in_transaction(redshift_emulator) == []
    wire.still_serving(redshift_emulator)
