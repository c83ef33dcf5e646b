"""Results kept for RESULT_SCAN stay within the emulator's limits, however many queries run.

fakesnow kept every statement's result for the life of the process; the emulator keeps the
newest within DWSIM_SNOWFLAKE_RESULT_CACHE_RESULTS and DWSIM_SNOWFLAKE_RESULT_CACHE_MB, and a
RESULT_SCAN of one it let go fails saying so (Snowflake would still have it: an emulator limit).
Here an emulator of its own runs with small limits.
"""

import json
from collections.abc import Iterator

import pytest
from snowflake.connector.errors import ProgrammingError

from tests.fixtures.snowflake import SnowflakeEmulator, running_snowflake_emulator

KEPT = 20


@pytest.fixture(scope="module")
def small_cache(s3_server, tmp_path_factory) -> Iterator[SnowflakeEmulator]:
    limits = {
        "DWSIM_SNOWFLAKE_RESULT_CACHE_RESULTS": str(KEPT),
        "DWSIM_SNOWFLAKE_RESULT_CACHE_MB": "1",
    }
    data_dir = tmp_path_factory.mktemp("snowflake-small-cache")
    with running_snowflake_emulator(data_dir, s3_server, env=limits) as emulator:
        yield emulator


def _kept(cur) -> dict:
    return json.loads(cur.execute("SELECT SYSTEM$DWSIM_RESULT_CACHE()").fetchone()[0])


def test_result_scan_of_an_old_result_fails_naming_the_limit_and_a_recent_one_works(small_cache):
    with small_cache.connect(database="CACHE_COUNT", schema="PUBLIC") as conn:
        cur = conn.cursor()
        ids = [cur.execute(f"SELECT {n} AS n").sfqid for n in range(3 * KEPT)]
        kept = _kept(cur)
        recent = cur.execute(f"SELECT n FROM TABLE(RESULT_SCAN('{ids[-2]}'))").fetchall()
        whole = cur.execute(f"SELECT * FROM TABLE(RESULT_SCAN('{ids[-3]}'))").fetchall()
        with pytest.raises(ProgrammingError) as old:
            cur.execute(f"SELECT * FROM TABLE(RESULT_SCAN('{ids[0]}'))")
        with pytest.raises(ProgrammingError) as old_filtered:
            cur.execute(f"SELECT n FROM TABLE(RESULT_SCAN('{ids[1]}')) WHERE n > 0")
        with pytest.raises(ProgrammingError) as unknown:
            cur.execute("SELECT * FROM TABLE(RESULT_SCAN('01b00000-0000-0000-0000-000000000000'))")
    with small_cache.connect(database="CACHE_COUNT", schema="PUBLIC") as another_session:
        scan = f"SELECT * FROM TABLE(RESULT_SCAN('{ids[-1]}'))"
        from_another_session = another_session.cursor().execute(scan).fetchall()

    assert kept["results"] == KEPT == kept["max_results"]
    assert recent == [(3 * KEPT - 2,)]
    assert whole == [(3 * KEPT - 3,)]
    assert from_another_session == [(3 * KEPT - 1,)]  # kept across sessions, as for a user
    for error in (old.value, old_filtered.value):
        assert (error.errno, error.sqlstate) == (709, "02000")  # Snowflake's unknown statement
        assert "emulator limit" in error.msg
        assert "DWSIM_SNOWFLAKE_RESULT_CACHE_RESULTS" in error.msg
    assert unknown.value.errno == 709
    assert "emulator" not in unknown.value.msg  # never kept: Snowflake's own message


def test_kept_results_stay_within_the_byte_budget(small_cache):
    with small_cache.connect(database="CACHE_BYTES", schema="PUBLIC") as conn:
        cur = conn.cursor()
        sizes = []
        for n in range(12):  # about 300 KB each: the budget holds three
            cur.execute(f"SELECT REPEAT('{n % 10}', 300000) AS s")
            sizes.append(_kept(cur))
        big = cur.execute("SELECT REPEAT('x', 2000000) AS s").sfqid  # more than the whole budget
        with pytest.raises(ProgrammingError) as too_big:
            cur.execute(f"SELECT * FROM TABLE(RESULT_SCAN('{big}'))")

    assert all(s["bytes"] <= s["max_bytes"] == 2**20 for s in sizes)
    assert max(s["bytes"] for s in sizes) > 2**19  # several large results were kept at once
    assert "DWSIM_SNOWFLAKE_RESULT_CACHE_MB" in too_big.value.msg
