// The job being followed: overall progress, its stages, and rows done / total and rows/s per table.
import { useState } from "preact/hooks";

import { Banner, Button, Card, Empty, Icon, ProgressBar, Spinner, StatusBadge } from "../../components/ui.jsx";
import { api } from "../../lib/api.js";
import { fmtBytes, fmtDuration, fmtInt, fmtPercent, fmtRate, parseTime } from "../../lib/format.js";
import { useNow } from "../../lib/hooks.js";
import { stagesOf, TERMINAL } from "../../lib/jobs.js";

const TITLES = {
  generate: ["Generating", "Generated"],
  load: ["Loading", "Loaded"],
  reset: ["Resetting", "Reset"],
  drop: ["Deleting", "Deleted"],
  materialize: ["Creating the tables", "Tables created"],
};
const title = (job, done) => {
  const [active, finished] = TITLES[job.kind] || [job.kind, job.kind];
  if (!done) return active;
  return job.status === "succeeded" ? finished : `${active} ${job.status === "failed" ? "failed" : "cancelled"}`;
};
const STAGE_LABELS = { plan: "Plan", generate: "Generate", stage: "Stage", load: "Load", materialize: "Create tables", reset: "Reset", drop: "Drop" };

export function JobPanel({ tracker, tables }) {
  const { job, rates, pollError } = tracker;
  const now = useNow(1000);
  const [cancelling, setCancelling] = useState(false);
  if (!job) {
    return (
      <Card title="Progress" class="job-card">
        <Empty icon="play" title="No job running">Generate a run to watch it here: each table's rows, rows per second, and each stage.</Empty>
      </Card>
    );
  }
  const p = job.progress || {};
  const done = TERMINAL.has(job.status);
  const fraction = job.status === "succeeded" ? 1 : p.rows_total ? p.rows_done / p.rows_total : 0;
  const started = parseTime(job.started_at || job.created_at);
  const ended = job.finished_at ? parseTime(job.finished_at) : now;
  const elapsed = Number.isNaN(started) ? null : (ended - started) / 1000;
  const cancel = async () => {
    setCancelling(true);
    try {
      await api.cancelJob(job.id);
    } finally {
      setCancelling(false);
    }
  };
  const tableRows = Object.entries(p.tables || {});
  const order = new Map(tables.map((t, i) => [t.name, i]));
  tableRows.sort((a, b) => (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0));

  return (
    <Card class="job-card" title={<>{title(job, done)}{job.run_id ? <span class="muted mono small"> run {job.run_id}</span> : null}</>}
      actions={
        <>
          <StatusBadge status={job.status} />
          {!done && <Button size="sm" icon="stop" busy={cancelling} onClick={cancel}>Cancel</Button>}
        </>
      }>
      <div class="job-overall" aria-live="polite">
        <div class="job-figure">
          <span class="job-pct" data-testid="job-percent">{fmtPercent(fraction)}</span>
          <span class="muted">
            {p.rows_total ? `${fmtInt(p.rows_done)} / ${fmtInt(p.rows_total)} rows` : job.status}
          </span>
        </div>
        <ProgressBar value={fraction} label="Overall progress" tone={job.status === "failed" ? "danger" : done ? "success" : "accent"} />
        <div class="job-stats">
          <span title={done ? "rows generated per second of the generate stage" : "rows generated per second, now"}>
            {fmtRate(done && p.timings?.generate ? (p.rows_done || 0) / Math.max(p.timings.generate, 0.001) : p.rows_per_s)}
          </span>
          <span>{fmtBytes(p.bytes)}{p.bytes_total ? ` of ${fmtBytes(p.bytes_total)}` : ""}</span>
          <span>{done ? `took ${fmtDuration(elapsed)}` : `${fmtDuration(elapsed)} elapsed${p.eta_s != null ? ` · ${fmtDuration(p.eta_s)} left` : ""}`}</span>
        </div>
      </div>
      <ol class="stages" aria-label="Stages">
        {stagesOf(job).map((stage, i, all) => {
          const current = p.stage === stage && !done;
          const currentIndex = all.indexOf(p.stage);
          const finished = stage in (p.timings || {}) || (currentIndex > i) || job.status === "succeeded";
          const failed = job.status === "failed" && (p.stage === stage || (!p.stage && i === 0));
          const state = failed ? "failed" : finished ? "done" : current ? "current" : "pending";
          return (
            <li key={stage} class={`stage stage-${state}`} aria-current={current ? "step" : undefined}>
              <span class="stage-dot">{state === "done" ? <Icon name="check" size={12} /> : state === "current" ? <Spinner /> : state === "failed" ? <Icon name="x" size={12} /> : i + 1}</span>
              <span class="stage-name">{STAGE_LABELS[stage] || stage}</span>
              <span class="stage-time muted">{p.timings?.[stage] != null ? fmtDuration(p.timings[stage]) : state === "current" ? "running" : ""}</span>
            </li>
          );
        })}
      </ol>
      {job.status === "failed" && (
        <Banner tone="danger" title={`The ${job.kind} job failed`}><pre class="error-text">{job.error || "no error message"}</pre></Banner>
      )}
      {job.status === "cancelled" && <Banner tone="warning">Cancelled{job.error ? `: ${job.error}` : ""}.</Banner>}
      {pollError && <Banner tone="warning">Progress could not be read: {pollError.message}</Banner>}
      {tableRows.length > 0 && (
        <table class="table progress-table">
          <thead>
            <tr><th>Table</th><th class="bar-col">Progress</th><th class="num">Rows</th><th class="num">Rows/s</th><th class="num">Loaded</th></tr>
          </thead>
          <tbody>
            {tableRows.map(([name, t]) => {
              const f = job.status === "succeeded" ? 1 : t.rows_total ? t.rows_done / t.rows_total : 0;
              return (
                <tr key={name} data-table={name}>
                  <td class="mono">{name}</td>
                  <td class="bar-col"><ProgressBar value={f} label={`${name} progress`} tone={f >= 1 ? "success" : "accent"} /></td>
                  <td class="num nowrap">{fmtInt(t.rows_done)} / {fmtInt(t.rows_total)}</td>
                  <td class="num nowrap">{rates[name] != null ? fmtRate(rates[name]).replace(" rows/s", "") : "–"}</td>
                  <td class="num">{t.rows_loaded == null ? <span class="muted">–</span> : fmtInt(t.rows_loaded)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Card>
  );
}
