// SQL on the experiment's warehouse: an editor in its dialect, paged results, errors at their
// position, the full result as CSV, and the experiment's saved queries.
import { useMemo, useRef, useState } from "preact/hooks";

import { CodeEditor } from "../../components/CodeEditor.jsx";
import { Banner, Button, Kbd, modKey, Select, Spinner } from "../../components/ui.jsx";
import { api, downloadCsv } from "../../lib/api.js";
import { dialectForWarehouse, warehouseLabel } from "../../lib/dialects.js";
import { errorPosition } from "../../lib/errors.js";
import { fmtBytes, fmtDuration, fmtInt } from "../../lib/format.js";
import { notify } from "../../lib/store.js";
import { CheckReport } from "./CheckReport.jsx";
import { ResultTable } from "./ResultTable.jsx";
import { SavedQueries } from "./SavedQueries.jsx";

const LIMITS = ["100", "1000", "10000"].map((v) => ({ value: v, label: `${fmtInt(Number(v))} rows` }));
const key = (name) => `dwsim.sql.${name}`;

function initialSql(record) {
  try {
    const saved = localStorage.getItem(key(record.name));
    if (saved) return saved;
  } catch {
    /* no storage */
  }
  const t = record.schema.tables[0];
  return `select *\nfrom ${t.name}\nlimit 100;`;
}

export function SqlTab({ record }) {
  const [sql, setSql] = useState(() => initialSql(record));
  const [limit, setLimit] = useState("1000");
  const [running, setRunning] = useState(null); // {id, controller}
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [downloading, setDownloading] = useState(false);
  const [check, setCheck] = useState(null); // the compatibility report of the editor's SQL
  const [checking, setChecking] = useState(false);
  const [loadedName, setLoadedName] = useState(null);
  const sqlRef = useRef(sql);
  const editor = useRef(null);
  sqlRef.current = sql;

  const schema = useMemo(
    () => Object.fromEntries(record.schema.tables.map((t) => [t.name, t.columns.map((c) => c.name)])),
    [record],
  );
  const dialect = dialectForWarehouse(record.warehouse);

  const change = (text) => {
    setSql(text);
    try {
      localStorage.setItem(key(record.name), text);
    } catch {
      /* no storage */
    }
  };

  const run = async () => {
    const text = sqlRef.current.trim();
    if (!text || running) return;
    const id = `ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const controller = new AbortController();
    setRunning({ id, controller });
    setError(null);
    try {
      const data = await api.query(record.name, { sql: text, limit: Number(limit) }, { signal: controller.signal, headers: { "X-Query-Id": id } });
      setResult({ ...data, sql: text });
      setCheck(null);
    } catch (err) {
      if (err.name === "AbortError") setError({ message: "Cancelled." });
      else setError({ message: err.message, at: errorPosition(err.message), status: err.status });
      setResult(null);
    } finally {
      setRunning(null);
    }
  };

  const cancel = async () => {
    if (!running) return;
    try {
      await api.cancelQuery(running.id);
    } catch {
      /* it may have finished already */
    }
    running.controller.abort();
  };

  // each statement run on the emulator and rolled back: faithful, rewritten, unsupported, error
  const checkSql = async () => {
    const text = sqlRef.current;
    if (!text.trim() || checking) return;
    setChecking(true);
    setError(null);
    try {
      setCheck(await api.checkSql(record.name, { sql: text }));
      setResult(null);
    } catch (err) {
      setError({ message: err.message, status: err.status, title: "The check failed" });
      setCheck(null);
    } finally {
      setChecking(false);
    }
  };

  const download = async () => {
    const text = sqlRef.current.trim();
    if (!text) return;
    setDownloading(true);
    try {
      const size = await downloadCsv(record.name, text, `${loadedName || record.name}.csv`);
      notify(`Downloaded ${fmtBytes(size)} of CSV`, "success", 3000);
    } catch (err) {
      setError({ message: err.message, at: errorPosition(err.message) });
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div class="sql-tab">
      <SavedQueries name={record.name} sql={sql} loadedName={loadedName}
        onOpen={(q) => { editor.current?.setText(q.sql); change(q.sql); setLoadedName(q.name); setError(null); }} />
      <div class="sql-main">
        <div class="card editor-card">
          <div class="editor-toolbar">
            <span class="editor-label">
              {warehouseLabel(record.warehouse)} SQL{loadedName ? <> · <span class="mono">{loadedName}</span></> : null}
            </span>
            <div class="toolbar-actions">
              <label class="inline-label" for="sql-limit">Show up to</label>
              <Select id="sql-limit" options={LIMITS} value={limit} onChange={setLimit} class="select-sm" />
              <Button size="sm" icon="check" busy={checking} onClick={checkSql}
                title="Run each statement on the emulator, rolled back: faithful, rewritten, unsupported or an error">Check SQL</Button>
              <Button size="sm" icon="download" busy={downloading} onClick={download} title="Every row of the result, as CSV">Download CSV</Button>
              {running ? (
                <Button size="sm" variant="danger" icon="stop" onClick={cancel}>Cancel</Button>
              ) : (
                <Button size="sm" variant="primary" icon="play" onClick={run} title={`${modKey}+Enter`}>Run</Button>
              )}
            </div>
          </div>
          <CodeEditor value={sql} editorRef={editor} onChange={change} onRun={run} dialect={dialect} schema={schema}
            errorAt={error?.at} label="SQL query" minHeight="200px" />
          <div class="editor-hint muted small"><Kbd>{modKey}</Kbd>+<Kbd>Enter</Kbd> runs the query · <Kbd>Ctrl</Kbd>+<Kbd>Space</Kbd> completes table and column names</div>
        </div>
        {error && (
          <Banner tone="danger" title={error.at ? `Error at line ${error.at.line}${error.at.column ? `, column ${error.at.column}` : ""}` : error.title || "The query failed"}>
            <pre class="error-text">{error.message}</pre>
          </Banner>
        )}
        {running && <div class="loading"><Spinner label="Running the query" /> <span class="muted">Running…</span></div>}
        {checking && <div class="loading"><Spinner label="Checking the SQL" /> <span class="muted">Checking…</span></div>}
        {check && !checking && !running && <CheckReport report={check} />}
        {result && !running && (
          <div class="card result-card">
            <div class="result-header">
              <span><strong>{fmtInt(result.row_count)}</strong> {result.row_count === 1 ? "row" : "rows"}{result.truncated ? ` shown (the first ${fmtInt(result.row_count)}; download the CSV for all)` : ""}</span>
              <span class="muted">{fmtDuration(result.elapsed_ms / 1000)}</span>
            </div>
            <ResultTable key={result.sql + result.elapsed_ms} result={result} />
          </div>
        )}
      </div>
    </div>
  );
}
