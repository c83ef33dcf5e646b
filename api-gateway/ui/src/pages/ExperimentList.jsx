// Experiments: warehouse, tables, rows, last run; or, on a first visit, the way in.
import { useEffect, useRef, useState } from "preact/hooks";

import { Banner, Button, Empty, Icon, Spinner, StatusBadge } from "../components/ui.jsx";
import { api } from "../lib/api.js";
import { warehouseLabel } from "../lib/dialects.js";
import { fmtAge, fmtCompact, fmtInt, fmtTime } from "../lib/format.js";
import { useInterval, useLoad, useNow } from "../lib/hooks.js";
import { href, navigate } from "../lib/router.js";
import { SAMPLE } from "../lib/sample.js";
import { notify } from "../lib/store.js";
import { created } from "./CreateExperiment.jsx";

export function ExperimentList() {
  const { data, error, loading, reload } = useLoad(() => api.experiments(), []);
  const [filter, setFilter] = useState("");
  const search = useRef(null);
  const now = useNow();
  const running = (data || []).some((e) => e.last_run_status === "running");
  useInterval(reload, 3000, running);
  useEffect(() => {
    const onKey = (e) => {
      if (e.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement?.tagName)) {
        e.preventDefault();
        search.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  if (data === undefined && loading) return <div class="page"><div class="loading"><Spinner label="Loading experiments" /></div></div>;
  if (data === undefined && error) {
    return (
      <div class="page">
        <Banner tone="danger" title="The experiments could not be listed" action={<Button onClick={reload}>Retry</Button>}>
          {error.message}
        </Banner>
      </div>
    );
  }
  if (data.length === 0) return <div class="page"><FirstVisit /></div>;

  const shown = data.filter((e) => e.name.toLowerCase().includes(filter.toLowerCase()));
  return (
    <div class="page">
      <div class="page-header">
        <div>
          <h1>Experiments</h1>
          <p class="muted">Each experiment is a schema imported from DDL, with its generated data in a local warehouse.</p>
        </div>
        <div class="page-actions">
          <input ref={search} type="search" class="search" placeholder="Filter  /" aria-label="Filter experiments"
            value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
          <Button variant="primary" icon="plus" onClick={() => navigate(href.create())}>New experiment</Button>
        </div>
      </div>
      {error && <Banner tone="warning">Refreshing failed: {error.message}</Banner>}
      <div class="card table-card">
        <table class="table table-hover">
          <thead>
            <tr>
              <th>Name</th>
              <th>Warehouse</th>
              <th class="num">Tables</th>
              <th class="num">Rows</th>
              <th>Last run</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.name} onClick={(ev) => ev.target.tagName !== "A" && navigate(href.experiment(e.name))}>
                <td><a class="strong-link" href={href.experiment(e.name)}>{e.name}</a></td>
                <td><span class={`wh wh-${e.warehouse}`}>{warehouseLabel(e.warehouse)}</span></td>
                <td class="num">{fmtInt(e.tables)}</td>
                <td class="num" title={fmtInt(e.total_rows)}>{fmtCompact(e.total_rows)}</td>
                <td>
                  <span class="run-cell">
                    <StatusBadge status={e.last_run_status} />
                    {e.last_run_at && <span class="muted" title={fmtTime(e.last_run_at)}>{fmtAge(e.last_run_at, now)}</span>}
                  </span>
                </td>
                <td class="muted" title={fmtTime(e.updated_at)}>{fmtAge(e.updated_at, now)}</td>
              </tr>
            ))}
            {shown.length === 0 && (
              <tr><td colSpan={6} class="muted center">No experiment matches “{filter}”.</td></tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

// the empty state: what dw-sim does, and two ways to start
function FirstVisit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const createSample = async () => {
    setBusy(true);
    setError(null);
    try {
      const { record, jobId } = await api.create({ name: SAMPLE.name, warehouse: SAMPLE.warehouse, dialect: SAMPLE.dialect, ddl: SAMPLE.ddl });
      Object.assign(created, { name: record.name, jobId });
      notify(`Created ${record.name} from the sample shop schema`, "success");
      navigate(href.experiment(record.name));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <div class="welcome">
      <Empty icon="database" title="Simulate your data warehouse"
        actions={
          <>
            <Button variant="primary" icon="play" busy={busy} onClick={createSample}>Try the sample shop schema</Button>
            <Button icon="upload" onClick={() => navigate(href.create())}>Start from your DDL</Button>
          </>
        }>
        Paste the DDL of a Redshift, Snowflake or PostgreSQL schema. <span class="nowrap">dw-sim</span> draws its tables and keys,
        generates realistic rows that keep every key intact, loads them into a local warehouse, and lets you query them.
      </Empty>
      {error && <Banner tone="danger" title="The sample could not be created">{error.message}</Banner>}
      <ol class="steps-intro">
        <li><Icon name="file" /><div><strong>Import</strong><span>DDL or experiment JSON; warnings name the line.</span></div></li>
        <li><Icon name="play" /><div><strong>Generate</strong><span>Seeded, per-table row counts, live progress.</span></div></li>
        <li><Icon name="table" /><div><strong>Explore</strong><span>Histograms per column, SQL in the warehouse's dialect.</span></div></li>
      </ol>
    </div>
  );
}
