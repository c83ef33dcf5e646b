"""Several workers reporting at once: no lost report and no "database is locked" on SQLite."""

from concurrent.futures import ThreadPoolExecutor

from dwsim_shared.contracts.enums import JobKind, JobStage, JobStatus
from dwsim_shared.contracts.metadata import TableReport
from dwsim_shared.metadata_client import MetadataClient
from tests.metadata.test_runs import new_run, part

WORKERS = 8
CHUNKS = 12  # per worker


def test_concurrent_reports(client: MetadataClient, experiment) -> None:
    run_id = f"{experiment.name}_run"
    job = client.create_job(JobKind.GENERATE, experiment.name, run_id=run_id)
    client.create_run(new_run(experiment.name, run_id, {"orders": WORKERS * CHUNKS * 100}))
    client.transition(job.id, JobStatus.RUNNING)
    client.report_stage(job.id, JobStage.GENERATE)

    def worker(n: int) -> None:
        with MetadataClient(client.base_url) as own:
            for i in range(CHUNKS):
                chunk = n * CHUNKS + i
                own.report_parts(run_id, [part("orders", chunk)])
                own.report_parts(run_id, [part("orders", chunk)])  # redelivered
                own.report_tables(job.id, {f"t{n}": TableReport(rows_loaded=i)})
                own.report_stage(job.id, JobStage.GENERATE, {f"w{n}": float(i)})
                own.get_job(job.id)
                own.update_run(run_id, timings={f"w{n}": float(i)})

    with ThreadPoolExecutor(WORKERS) as pool:
        for future in [pool.submit(worker, n) for n in range(WORKERS)]:
            future.result()  # re-raises any error a report got

    detail = client.get_job(job.id)
    assert detail.progress.tables["orders"].rows_done == WORKERS * CHUNKS * 100
    assert detail.progress.tables["orders"].files == WORKERS * CHUNKS
    assert {f"t{n}": detail.progress.tables[f"t{n}"].rows_loaded for n in range(WORKERS)} == {
        f"t{n}": CHUNKS - 1 for n in range(WORKERS)
    }
    # every worker's timing merged in: no report overwrote another's
    expected = {f"w{n}": float(CHUNKS - 1) for n in range(WORKERS)}
    assert detail.progress.timings == expected
    assert client.get_run(run_id).timings == expected
