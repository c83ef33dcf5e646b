// Generate: seed and rows, then the job's live progress; below, the history of runs.
import { useState } from "preact/hooks";

import { Banner, Button, Card, Field, modKey } from "../../components/ui.jsx";
import { api } from "../../lib/api.js";
import { fmtBytes, fmtInt } from "../../lib/format.js";
import { notify } from "../../lib/store.js";
import { JobPanel } from "./JobPanel.jsx";
import { RunsHistory } from "./RunsHistory.jsx";

const SIZING = [
  ["schema", "Schema's"],
  ["tables", "Per table"],
  ["scale", "Scale"],
  ["total", "Total"],
];

export function GenerateTab({ record, tracker, runs, busy, onLoadRun }) {
  const tables = record.schema.tables;
  const lastSeed = runs.data?.[0]?.seed;
  const [seed, setSeed] = useState(String(lastSeed ?? 42));
  const [sizing, setSizing] = useState("schema");
  const [perTable, setPerTable] = useState(() => Object.fromEntries(tables.map((t) => [t.name, String(t.rows ?? 1000)])));
  const [scale, setScale] = useState("1");
  const [total, setTotal] = useState("");
  const [load, setLoad] = useState(true);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState(null);
  const [fieldErrors, setFieldErrors] = useState({});
  const [estimate, setEstimate] = useState(null);
  const [estimating, setEstimating] = useState(false);

  const schemaRows = tables.reduce((s, t) => s + (t.rows ?? 1000), 0);

  // The request body from the form, or null (with the fields' errors shown) when it is invalid.
  const buildBody = () => {
    setError(null);
    const errs = {};
    const body = { load };
    if (seed.trim() !== "") {
      if (!/^-?\d+$/.test(seed.trim())) errs.seed = "A whole number.";
      else body.seed = Number(seed);
    }
    if (sizing === "tables") {
      body.rows = {};
      for (const t of tables) {
        const v = perTable[t.name];
        if (!/^\d+$/.test(String(v).trim())) errs[`rows.${t.name}`] = "0 or more";
        else body.rows[t.name] = Number(v);
      }
    } else if (sizing === "scale") {
      if (!(Number(scale) > 0)) errs.scale = "A number above 0, such as 0.5 or 10.";
      else body.scale = Number(scale);
    } else if (sizing === "total") {
      if (!/^\d+$/.test(total.trim()) || Number(total) < 1) errs.total = "A whole number, 1 or more.";
      else body.rows_total = Number(total);
    }
    setFieldErrors(errs);
    return Object.keys(errs).length ? null : body;
  };

  const placeErrors = (err) => {
    const placed = {};
    for (const f of err.fieldErrors) {
      const key = f.loc.filter((p) => p !== "body").join(".");
      placed[key === "rows_total" ? "total" : key] = f.msg.replace(/^Value error, /, "");
    }
    const tableMatch = /table (\w+)/.exec(err.message);
    if (tableMatch && sizing === "tables") placed[`rows.${tableMatch[1]}`] = err.message;
    setFieldErrors(placed);
    if (!Object.keys(placed).length) setError(err);
  };

  // The cost model's prediction (POST .../estimate): nothing generated, nothing enqueued.
  const predict = async () => {
    const body = buildBody();
    if (!body) return;
    setEstimating(true);
    try {
      setEstimate(await api.estimate(record.name, body));
    } catch (err) {
      setEstimate(null);
      placeErrors(err);
    } finally {
      setEstimating(false);
    }
  };

  const submit = async (e) => {
    e?.preventDefault();
    const body = buildBody();
    if (!body) return;
    setStarting(true);
    try {
      const accepted = await api.generate(record.name, body);
      tracker.follow(accepted.job_id, { kind: "generate", run_id: accepted.run_id, loadRequested: load,
        progress: { rows_total: accepted.rows_total || 0, rows_done: 0, tables: {}, timings: {} } });
      notify(`Run ${accepted.run_id}: ${fmtInt(accepted.rows_total)} rows, about ${fmtBytes(accepted.bytes_estimate)} staged`, "info");
    } catch (err) {
      placeErrors(err);
    } finally {
      setStarting(false);
    }
  };

  return (
    <div class="generate-tab">
      <div class="generate-grid">
        <Card title="Generate a run" subtitle="Same schema, rules and seed: the same rows, every time.">
          <form class="generate-form" onSubmit={submit}
            onKeyDown={(e) => (e.metaKey || e.ctrlKey) && e.key === "Enter" && submit(e)}>
            <div class="form-row">
              <Field label="Seed" id="gen-seed" error={fieldErrors.seed} hint="Any whole number">
                <input id="gen-seed" inputMode="numeric" value={seed} onInput={(e) => setSeed(e.currentTarget.value)} />
              </Field>
              <Field label="Rows" id="gen-sizing">
                <div class="segmented" role="radiogroup" aria-label="Rows" id="gen-sizing">
                  {SIZING.map(([value, label]) => (
                    <button key={value} type="button" role="radio" aria-checked={sizing === value ? "true" : "false"}
                      class={sizing === value ? "on" : ""} onClick={() => setSizing(value)}>{label}</button>
                  ))}
                </div>
              </Field>
            </div>
            {sizing === "schema" && <p class="muted small">{fmtInt(schemaRows)} rows over {tables.length} tables, as set on the Schema tab.</p>}
            {sizing === "scale" && (
              <Field label="Scale" id="gen-scale" error={fieldErrors.scale}
                hint="Multiplies each table's rows; lookup tables keep their size.">
                <input id="gen-scale" type="number" min="0" step="any" value={scale} onInput={(e) => setScale(e.currentTarget.value)} />
              </Field>
            )}
            {sizing === "total" && (
              <Field label="Total rows" id="gen-total" error={fieldErrors.total}
                hint="The schema sized as a whole to about this many rows, along its keys.">
                <input id="gen-total" type="number" min="1" step="1" value={total} placeholder={String(schemaRows)}
                  onInput={(e) => setTotal(e.currentTarget.value)} />
              </Field>
            )}
            {sizing === "tables" && (
              <div class="per-table">
                {tables.map((t) => (
                  <Field key={t.name} label={t.name} id={`gen-rows-${t.name}`} error={fieldErrors[`rows.${t.name}`]}>
                    <input id={`gen-rows-${t.name}`} type="number" min="0" step="1" value={perTable[t.name]}
                      onInput={(e) => setPerTable({ ...perTable, [t.name]: e.currentTarget.value })} />
                  </Field>
                ))}
              </div>
            )}
            <label class="checkbox">
              <input type="checkbox" checked={load} onChange={(e) => setLoad(e.currentTarget.checked)} />
              Load into the warehouse when staged
            </label>
            {estimate && (
              <p class="muted small estimate" role="status">
                Estimate: {fmtInt(estimate.rows_total)} rows in about {estimate.seconds.toFixed(1)} s of generation
                on {estimate.workers} worker{estimate.workers > 1 ? "s" : ""}, {fmtBytes(estimate.bytes)} staged
                (before the load).
              </p>
            )}
            {error && <Banner tone="danger" title="Not started">{error.message}</Banner>}
            <div class="form-footer">
              <span class="muted small">{busy ? "A job is running: one at a time per experiment." : `${modKey}+Enter`}</span>
              <Button type="button" busy={estimating} onClick={predict}>Estimate</Button>
              <Button variant="primary" icon="play" type="submit" busy={starting} disabled={busy}>Generate</Button>
            </div>
          </form>
        </Card>
        <JobPanel tracker={tracker} tables={tables} />
      </div>
      <RunsHistory runs={runs} busy={busy} onLoadRun={onLoadRun} />
    </div>
  );
}
