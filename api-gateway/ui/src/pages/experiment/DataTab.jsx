// The generated data, column by column: a histogram or the top values, the share of NULLs and
// the distinct count, computed where the data is (the gateway's profile), never row by row here.
import { useState } from "preact/hooks";

import { Dialog } from "../../components/Dialog.jsx";
import { Banner, Button, Empty, Icon, Spinner } from "../../components/ui.jsx";
import { api } from "../../lib/api.js";
import { fmtCompact, fmtDuration, fmtInt, fmtPercent } from "../../lib/format.js";
import { useLoad } from "../../lib/hooks.js";
import { href } from "../../lib/router.js";
import { binLabel, Histogram, TopValues } from "./Charts.jsx";

export function DataTab({ record, runs, busy }) {
  const tables = record.schema.tables;
  const [table, setTable] = useState(tables[0].name);
  const hasRun = runs.some((r) => r.status === "completed");
  return (
    <div class="data-tab">
      <nav class="side-list" aria-label="Tables">
        <div class="side-title">Tables</div>
        {tables.map((t) => (
          <button key={t.name} type="button" class={`side-item ${t.name === table ? "on" : ""}`}
            aria-current={t.name === table ? "true" : undefined} onClick={() => setTable(t.name)}>
            <span class="mono">{t.name}</span>
            <span class="muted small">{t.columns.length} cols</span>
          </button>
        ))}
      </nav>
      <div class="data-main">
        {!hasRun && !busy ? (
          <Empty icon="table" title="No data yet"
            actions={<a class="btn btn-primary" href={href.experiment(record.name, "generate")}><Icon name="play" /><span>Generate a run</span></a>}>
            Generate and load a run; each column's distribution then shows here.
          </Empty>
        ) : (
          <TableProfile key={table} name={record.name} table={tables.find((t) => t.name === table)} busy={busy} />
        )}
      </div>
    </div>
  );
}

function TableProfile({ name, table, busy }) {
  const profile = useLoad(() => api.profile(name, table.name, { bins: 20, top: 10 }), [name, table.name]);
  const [open, setOpen] = useState(null);
  const data = profile.data;
  return (
    <section aria-labelledby="profile-title">
      <header class="section-header">
        <div>
          <h2 id="profile-title" class="mono">{table.name}</h2>
          <div class="muted small">
            {data ? `${fmtInt(data.rows)} rows in the warehouse · profiled in ${fmtDuration(data.elapsed_ms / 1000)}` : "Profiling…"}
          </div>
        </div>
        <Button size="sm" icon="reset" busy={profile.loading} onClick={profile.reload}>Refresh</Button>
      </header>
      {busy && <Banner tone="info">A job is running: these figures are from before it, refresh when it is done.</Banner>}
      {profile.error && profile.error.status === 409 && (
        <Empty icon="table" title="No data in the warehouse yet">{profile.error.message}</Empty>
      )}
      {profile.error && profile.error.status !== 409 && (
        <Banner tone="danger" title="The profile could not be computed">{profile.error.message}</Banner>
      )}
      {!data && profile.loading && <div class="loading"><Spinner label="Profiling" /></div>}
      {data && data.rows === 0 && <Empty icon="table" title="This table is empty">Load a run (or generate one) to see its data.</Empty>}
      {data && data.rows > 0 && (
        <div class="profile-grid">
          {data.columns.map((c) => (
            <ColumnCard key={c.name} column={c} onOpen={() => setOpen(c)} />
          ))}
        </div>
      )}
      {open && (
        <Dialog open wide title={<><span class="mono">{table.name}.{open.name}</span> <span class="muted small mono">{open.type}</span></>}
          labelledBy="column-title" onClose={() => setOpen(null)}
          footer={<Button onClick={() => setOpen(null)}>Close</Button>}>
          <Stats column={open} />
          {open.histogram ? (
            <>
              <Histogram bins={open.histogram} large label={`Histogram of ${open.name}`} />
              <BinTable bins={open.histogram} />
            </>
          ) : open.top_values ? (
            <TopValues values={open.top_values} rows={open.rows} limit={50} />
          ) : <p class="muted">No chart for this type.</p>}
        </Dialog>
      )}
    </section>
  );
}

function ColumnCard({ column, onOpen }) {
  const kind = column.histogram ? "histogram" : "top values";
  return (
    <article class="card column-card" data-column={column.name}>
      <header class="column-card-header">
        <span class="mono strong">{column.name}</span>
        <span class="muted small mono">{column.type}</span>
      </header>
      <Stats column={column} compact />
      <div class="column-chart">
        {column.histogram ? <Histogram bins={column.histogram} label={`Histogram of ${column.name}`} />
          : column.top_values ? <TopValues values={column.top_values} rows={column.rows} />
            : <p class="muted small">No chart for this type.</p>}
      </div>
      <Button size="sm" variant="ghost" class="column-open" onClick={onOpen} aria-label={`Open the ${kind} of ${column.name}`}>
        Open {kind}
      </Button>
    </article>
  );
}

function nullShare(f) {
  if (!f) return "0%";
  return fmtPercent(f, f < 0.01 ? 2 : f < 0.1 ? 1 : 0);
}

const short = (v) => (typeof v === "string" && /^\d{4}-\d\d-\d\d/.test(v) ? v.slice(0, 10) : binLabel(v));

function Stats({ column, compact }) {
  const items = [
    ["Nulls", nullShare(column.null_fraction), `${fmtInt(column.nulls)} of ${fmtInt(column.rows)} rows are NULL`],
    ["Distinct", compact ? fmtCompact(column.distinct) : fmtInt(column.distinct), `${fmtInt(column.distinct)} distinct values`],
  ];
  const range = column.min != null || column.max != null;
  if (compact && range) items.push(["Range", `${short(column.min)} – ${short(column.max)}`, `${column.min} – ${column.max}`]);
  if (!compact && column.min != null) items.push(["Min", binLabel(column.min), String(column.min)]);
  if (!compact && column.max != null) items.push(["Max", binLabel(column.max), String(column.max)]);
  return (
    <dl class={`stats ${compact ? "stats-compact" : ""}`}>
      {items.map(([k, v, title]) => (
        <div key={k} title={title} class={k === "Range" ? "stat-range" : ""}><dt>{k}</dt><dd>{v}</dd></div>
      ))}
    </dl>
  );
}

function BinTable({ bins }) {
  return (
    <details class="bins">
      <summary>Bins as a table</summary>
      <table class="table compact">
        <thead><tr><th>From</th><th>To</th><th class="num">Rows</th></tr></thead>
        <tbody>
          {bins.map((b, i) => (
            <tr key={i}><td>{binLabel(b.lower)}</td><td>{binLabel(b.upper)}</td><td class="num">{fmtInt(b.count)}</td></tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
