"""Sessions whose clients went away without logging out do not pile up: a session idle past
DWSIM_SNOWFLAKE_SESSION_IDLE_SECONDS is ended (Snowflake ends idle sessions too, by default
after 240 minutes), one in use is kept."""

import time

from tests.fixtures.snowflake import running_snowflake_emulator
from tests.snowflake_emulator import rest_client as rest

IDLE_SECONDS = 2


def test_abandoned_sessions_end_and_a_session_in_use_stays(tmp_path, s3_server):
    env = {"DWSIM_SNOWFLAKE_SESSION_IDLE_SECONDS": str(IDLE_SECONDS)}
    with running_snowflake_emulator(tmp_path / "snowflake", s3_server, env=env) as emulator:
        abandoned = [rest.login(emulator) for _ in range(150)]
        for token in abandoned[:10]:
            assert rest.query(emulator, token, "SELECT 1")["success"]
        kept = rest.login(emulator)
        deadline = time.monotonic() + IDLE_SECONDS * 2
        while time.monotonic() < deadline:  # in use, at intervals shorter than the limit
            assert rest.query(emulator, kept, "SELECT 1")["success"]
            time.sleep(IDLE_SECONDS / 4)
        answers = [rest.query(emulator, token, "SELECT 1") for token in abandoned]
        assert {(a["success"], a["code"]) for a in answers} == {(False, "390104")}
        assert "login again" in answers[0]["message"]
        assert rest.query(emulator, kept, "SELECT 2")["success"]
        with emulator.connect() as conn:  # new sessions as before
            assert conn.cursor().execute("SELECT 3").fetchall() == [(3,)]
