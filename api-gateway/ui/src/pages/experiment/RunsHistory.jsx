// Every generation run, newest first: status, when, how long, rows, size, seed; a failed run's
// error in full (a cancelled run's reason too); a completed run can be loaded again.
import { Banner, Button, Card, Empty, StatusBadge } from "../../components/ui.jsx";
import { fmtAge, fmtBytes, fmtDuration, fmtInt, fmtTime, parseTime } from "../../lib/format.js";
import { useInterval, useNow } from "../../lib/hooks.js";

export function RunsHistory({ runs, busy, onLoadRun }) {
  const now = useNow();
  const list = runs.data || [];
  // while a job runs, and after it as long as a run is still running: a cancelled job's run
  // ends a moment after the job, once its worker has removed what it staged
  useInterval(runs.reload, 2000, busy || list.some((run) => run.status === "running"));
  return (
    <Card title="Runs" subtitle="Each run is staged as Parquet in S3 and can be loaded again."
      actions={<Button size="sm" variant="ghost" icon="reset" onClick={runs.reload} aria-label="Refresh the runs">Refresh</Button>}>
      {runs.error && <Banner tone="warning">The runs could not be read: {runs.error.message}</Banner>}
      {list.length === 0 ? (
        <Empty icon="file" title="No run yet">A run appears here as soon as it starts.</Empty>
      ) : (
        <div class="table-scroll">
          <table class="table runs-table">
            <thead>
              <tr>
                <th>Status</th><th>Run</th><th>Started</th><th class="num">Duration</th><th class="num">Rows</th>
                <th class="num">Files</th><th class="num">Size</th><th class="num">Seed</th><th><span class="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {list.map((run) => {
                const rows = Object.values(run.rows || {}).reduce((a, b) => a + b, 0);
                const asked = Object.values(run.rows_requested || {}).reduce((a, b) => a + b, 0);
                const end = run.finished_at ? parseTime(run.finished_at) : run.status === "running" ? now : null;
                const duration = end ? (end - parseTime(run.created_at)) / 1000 : null;
                return [
                  <tr key={run.id} data-run={run.id}>
                    <td><StatusBadge status={run.status} /></td>
                    <td class="mono small">{run.id}</td>
                    <td title={fmtTime(run.created_at)}>{fmtAge(run.created_at, now)}</td>
                    <td class="num" title={timings(run.timings)}>{fmtDuration(duration)}</td>
                    <td class="num" title={`${fmtInt(asked)} asked`}>{fmtInt(rows || (run.status === "running" ? 0 : rows))}{run.status === "running" && asked ? <span class="muted"> / {fmtInt(asked)}</span> : null}</td>
                    <td class="num">{fmtInt(run.files)}</td>
                    <td class="num">{fmtBytes(run.bytes)}</td>
                    <td class="num mono">{run.seed}</td>
                    <td class="actions-col">
                      {run.status === "completed" && (
                        <Button size="sm" variant="ghost" icon="load" disabled={busy} onClick={() => onLoadRun(run)}
                          aria-label={`Load run ${run.id}`}>Load</Button>
                      )}
                    </td>
                  </tr>,
                  (run.status === "failed" || (run.status === "cancelled" && run.error)) && (
                    <tr key={`${run.id}-error`} class="error-row">
                      <td colSpan={9}><pre class="error-text run-error">{run.error || "failed without a message"}</pre></td>
                    </tr>
                  ),
                ];
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

const timings = (t) =>
  Object.entries(t || {})
    .map(([stage, s]) => `${stage}: ${fmtDuration(s)}`)
    .join(", ");
