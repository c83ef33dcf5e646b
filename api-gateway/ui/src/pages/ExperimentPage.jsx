// One experiment: its header and actions (load, reset, delete), import warnings, and four tabs.
import { useState } from "preact/hooks";

import { ConfirmDialog } from "../components/Dialog.jsx";
import { Badge, Banner, Button, Icon, Spinner, StatusBadge, Tabs } from "../components/ui.jsx";
import { api } from "../lib/api.js";
import { warehouseLabel } from "../lib/dialects.js";
import { fmtAge, fmtCompact, fmtInt, fmtPercent, plural } from "../lib/format.js";
import { useLoad } from "../lib/hooks.js";
import { useJobTracker } from "../lib/jobs.js";
import { href, navigate } from "../lib/router.js";
import { notify } from "../lib/store.js";
import { created } from "./CreateExperiment.jsx";
import { DataTab } from "./experiment/DataTab.jsx";
import { GenerateTab } from "./experiment/GenerateTab.jsx";
import { SchemaTab } from "./experiment/SchemaTab.jsx";
import { SqlTab } from "./experiment/SqlTab.jsx";

const TABS = [
  { id: "schema", label: "Schema" },
  { id: "generate", label: "Generate" },
  { id: "data", label: "Data" },
  { id: "sql", label: "SQL" },
];

const DONE_MESSAGES = {
  generate: "Generation finished",
  load: "Load finished",
  reset: "Every table was emptied",
  materialize: "Tables created in the warehouse",
};

export function ExperimentPage({ name, tab }) {
  const experiment = useLoad(() => api.experiment(name), [name]);
  const runs = useLoad(() => api.runs(name), [name]);
  const [confirm, setConfirm] = useState(null); // "load" | "reset" | "delete"
  const [warningsOpen, setWarningsOpen] = useState(false);
  const [warningsHidden, setWarningsHidden] = useState(false);
  const initialJobId = created.name === name ? created.jobId : null;
  if (initialJobId) created.name = null;

  const tracker = useJobTracker(name, {
    initialJobId,
    onFinished: (job) => {
      runs.reload();
      if (job.kind === "drop") {
        if (job.status === "succeeded") {
          notify(`Deleted ${name}`, "success");
          navigate(href.list());
        } else notify(`Deleting ${name} ${job.status}: ${job.error || ""}`, "danger", 0);
        return;
      }
      if (job.status === "succeeded") notify(DONE_MESSAGES[job.kind] || `${job.kind} finished`, "success");
      else if (job.status === "failed" && job.kind !== "generate") notify(`${job.kind} failed: ${job.error}`, "danger", 0);
    },
  });

  if (experiment.data === undefined) {
    if (experiment.error) {
      return (
        <div class="page">
          <a class="back" href={href.list()}><Icon name="chevronLeft" /> Experiments</a>
          <Banner tone="danger" title={experiment.error.status === 404 ? `No experiment named ${name}` : "The experiment could not be read"}>
            {experiment.error.message}
          </Banner>
        </div>
      );
    }
    return <div class="page"><div class="loading"><Spinner label="Loading the experiment" /></div></div>;
  }

  const record = experiment.data;
  const schema = record.schema;
  const totalRows = schema.tables.reduce((s, t) => s + (t.rows ?? 1000), 0);
  const runList = runs.data || [];
  const lastRun = runList[0];
  const completed = runList.find((r) => r.status === "completed");
  const job = tracker.job;
  const busy = tracker.active;
  const current = TABS.some((t) => t.id === tab) ? tab : "schema";
  const warnings = schema.warnings || [];
  const pct = job && job.progress.rows_total ? job.progress.rows_done / job.progress.rows_total : null;

  const start = async (what) => {
    const actions = {
      load: () => api.load(name, { run_id: completed.id }),
      reset: () => api.reset(name),
      delete: () => api.remove(name),
    };
    const started = await actions[what]();
    tracker.follow(started.id, started);
    if (what !== "delete") navigate(href.experiment(name, "generate"));
  };

  const tabs = TABS.map((t) => ({
    ...t,
    href: href.experiment(name, t.id),
    badge: t.id === "generate" && busy ? <span class="tab-pulse" aria-label="a job is running" /> : null,
  }));

  return (
    <div class="page">
      <div class="page-header experiment-header">
        <div>
          <a class="back" href={href.list()}><Icon name="chevronLeft" /> Experiments</a>
          <div class="title-row">
            <h1>{record.name}</h1>
            <span class={`wh wh-${record.warehouse}`}>{warehouseLabel(record.warehouse)}</span>
            {schema.dialect && schema.dialect !== record.warehouse && <Badge title="The DDL's dialect">from {schema.dialect} DDL</Badge>}
          </div>
          <div class="meta">
            <span>{plural(schema.tables.length, "table")}</span>
            <span title={`${fmtInt(totalRows)} rows`}>{fmtCompact(totalRows)} rows</span>
            <span class="meta-run">
              Last run <StatusBadge status={lastRun?.status} />
              {lastRun && <span class="muted">{fmtAge(lastRun.created_at)}</span>}
            </span>
            {busy && (
              <a class="meta-job" href={href.experiment(name, "generate")}>
                <Spinner /> {job.kind} {job.status}{pct != null ? ` · ${fmtPercent(pct)}` : ""}
              </a>
            )}
          </div>
        </div>
        <div class="page-actions">
          <Button icon="load" disabled={busy || !completed} onClick={() => setConfirm("load")}
            title={completed ? `Load run ${completed.id} into ${warehouseLabel(record.warehouse)}` : "Generate a run first"}>
            Load
          </Button>
          <Button icon="reset" disabled={busy} onClick={() => setConfirm("reset")}>Reset</Button>
          <Button icon="trash" variant="danger-ghost" disabled={busy && job?.kind === "drop"} onClick={() => setConfirm("delete")}>Delete</Button>
        </div>
      </div>

      {warnings.length > 0 && !warningsHidden && (
        <div class="warnings">
          {(warningsOpen ? warnings : warnings.slice(0, 3)).map((w, i) => (
            <Banner key={i} tone="warning" title={warningTitle(w)}>{w.message}</Banner>
          ))}
          <div class="warnings-footer">
            {warnings.length > 3 && (
              <Button size="sm" variant="ghost" onClick={() => setWarningsOpen(!warningsOpen)}>
                {warningsOpen ? "Show fewer" : `Show all ${warnings.length} import warnings`}
              </Button>
            )}
            <Button size="sm" variant="ghost" onClick={() => setWarningsHidden(true)}>Hide warnings</Button>
          </div>
        </div>
      )}
      {experiment.error && <Banner tone="warning">Refreshing failed: {experiment.error.message}</Banner>}

      <Tabs tabs={tabs} current={current} label="Experiment" />
      <div class="tab-panel">
        {current === "schema" && <SchemaTab record={record} onChanged={experiment.set} />}
        {current === "generate" && (
          <GenerateTab record={record} tracker={tracker} runs={runs} busy={busy}
            onLoadRun={(run) => setConfirm({ load: run })} />
        )}
        {current === "data" && <DataTab record={record} runs={runList} busy={busy} />}
        {current === "sql" && <SqlTab record={record} />}
      </div>

      <ConfirmDialog open={confirm === "load" || Boolean(confirm?.load)} title="Load the run into the warehouse?"
        confirmLabel="Load" tone="primary" onClose={() => setConfirm(null)}
        onConfirm={async () => {
          if (confirm?.load) {
            const started = await api.load(name, { run_id: confirm.load.id });
            tracker.follow(started.id, started);
            navigate(href.experiment(name, "generate"));
          } else await start("load");
        }}>
        <p>
          Run <code>{(confirm?.load || completed)?.id}</code> is loaded into {warehouseLabel(record.warehouse)} with{" "}
          {record.warehouse === "snowflake" ? "COPY INTO" : "COPY"}, table by table. Loading the same run again never duplicates rows.
        </p>
      </ConfirmDialog>
      <ConfirmDialog open={confirm === "reset"} title={`Reset ${name}?`} confirmLabel="Reset every table"
        onClose={() => setConfirm(null)} onConfirm={() => start("reset")}>
        <p>Every table of {name} is emptied in {warehouseLabel(record.warehouse)}. The schema, the rules and the staged runs are kept.</p>
      </ConfirmDialog>
      <ConfirmDialog open={confirm === "delete"} title={`Delete ${name}?`} confirmLabel="Delete experiment"
        onClose={() => setConfirm(null)} onConfirm={() => start("delete")}>
        <p>
          This drops its {plural(schema.tables.length, "table")} from {warehouseLabel(record.warehouse)}, deletes{" "}
          {plural(runList.length, "staged run")} and the experiment itself. It cannot be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}

function warningTitle(w) {
  const where = [w.table, w.column].filter(Boolean).join(".");
  if (w.line) return `Line ${w.line}${where ? ` · ${where}` : ""}`;
  return where || "Import warning";
}
