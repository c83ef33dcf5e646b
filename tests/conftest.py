"""Test configuration: real servers are started by the fixtures in tests/fixtures/."""

pytest_plugins = [
    "tests.fixtures.servers",
    "tests.fixtures.postgres",
    "tests.fixtures.s3",
    "tests.fixtures.redis",
    "tests.fixtures.redshift",
    "tests.fixtures.snowflake",
    "tests.fixtures.metadata",
    "tests.fixtures.stack",
]
