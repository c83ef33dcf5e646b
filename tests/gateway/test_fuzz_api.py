"""The public API fuzzed from its own OpenAPI (schemathesis): no input, however bad, gets a 5xx,
and every answer has the shape the OpenAPI promises.

The gateway runs in-process over the real metadata service, Redis and query service. Half the
cases aim at a real experiment (``known``) rather than a random name, so the fuzzer gets past
the 404 into the checks behind it. Every operation is fuzzed, generate and load too, yet
nothing can run or fill a disk: no worker consumes the queue here, the jobs the fuzzer queued
on ``known`` are cancelled after each case (so the next may queue one again), every job queued
on an experiment the fuzzer made is cancelled at the end, and the queue is emptied.
"""

import contextlib
from collections.abc import Iterator

import pytest
import redis
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from dwsim_gateway.config import Settings
from dwsim_gateway.main import create_app
from dwsim_shared.contracts.enums import Dialect, JobStatus, Warehouse
from dwsim_shared.ddl import import_ddl
from dwsim_shared.metadata_client import MetadataClient, MetadataError
from tests.fixtures.fuzz import CHECKS, fuzz_config
from tests.fixtures.redis import REDIS_URL
from tests.gateway.conftest import DDL, QueryServer, closed_url, new_name

# the OpenAPI as the gateway serves it at /openapi.json (it does not depend on the settings)
schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi(), config=fuzz_config())


@pytest.fixture
def gateway_app(metadata_url: str, query_server: QueryServer) -> Iterator[FastAPI]:
    """A new app per operation: schemathesis ends the app's lifespan (which closes its
    clients) at the end of each test."""
    settings = Settings(
        metadata_url=metadata_url,
        redis_url=REDIS_URL,
        query_url=query_server.url,
        s3_endpoint_url=closed_url(),
        metadata_timeout_s=5.0,
        query_timeout_s=5.0,
        log_json=True,
    )
    yield create_app(settings)
    redis.Redis.from_url(REDIS_URL).flushdb()  # the tasks the fuzzer queued: none will run


@pytest.fixture(scope="module")
def known(metadata_url: str) -> Iterator[str]:
    """A real experiment for the fuzzer to aim at; every job queued on any experiment the
    fuzzer made is cancelled at the end."""
    name = new_name()
    with MetadataClient(metadata_url) as metadata:
        before = {e.name for e in metadata.list_experiments()}
        experiment = import_ddl(
            DDL, dialect=Dialect.REDSHIFT, name=name, warehouse=Warehouse.SQLITE
        )
        metadata.create_experiment(experiment)
        yield name
        for experiment in {e.name for e in metadata.list_experiments()} - before:
            _cancel_active(metadata, experiment)


def _cancel_active(metadata: MetadataClient, experiment: str) -> None:
    for job in metadata.list_jobs(experiment, active=True):
        with contextlib.suppress(MetadataError):  # ended meanwhile
            metadata.transition(job.id, JobStatus.CANCELLED)


@schema.parametrize()
@schema.given(aim_at_known=st.booleans())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # one app per operation
def test_no_server_error(
    case: schemathesis.Case, aim_at_known: bool, gateway_app: FastAPI, known: str, metadata_url: str
):
    if aim_at_known and "name" in (case.path_parameters or {}):
        case.path_parameters["name"] = known
    case.call_and_validate(app=gateway_app, checks=CHECKS)
    if aim_at_known:
        with MetadataClient(metadata_url) as metadata:
            _cancel_active(metadata, known)  # so the next case can queue a job again
