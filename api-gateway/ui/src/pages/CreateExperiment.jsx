// A new experiment from DDL (pasted or uploaded; dialect and warehouse chosen) or experiment JSON.
import { useRef, useState } from "preact/hooks";

import { CodeEditor } from "../components/CodeEditor.jsx";
import { Banner, Button, Field, Icon, modKey, Select } from "../components/ui.jsx";
import { api } from "../lib/api.js";
import { DIALECTS, dialectForDdl, WAREHOUSES } from "../lib/dialects.js";
import { errorPosition } from "../lib/errors.js";
import { href, navigate } from "../lib/router.js";
import { SAMPLE } from "../lib/sample.js";
import { notify } from "../lib/store.js";

export const created = { name: null, jobId: null }; // the materialize job, for the experiment page

const NAME_RULE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function CreateExperiment() {
  const [source, setSource] = useState("ddl");
  const [name, setName] = useState("");
  const [warehouse, setWarehouse] = useState("redshift");
  const [dialect, setDialect] = useState("redshift");
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null); // {message, at?, field?}
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef(null);
  const editor = useRef(null);
  const replaceText = (value) => {
    editor.current?.setText(value);
    setText(value);
  };

  const chooseWarehouse = (w) => {
    setWarehouse(w);
    if (!text.trim()) setDialect(WAREHOUSES.find((x) => x.value === w).dialect);
  };

  const readFile = async (file) => {
    if (!file) return;
    const content = await file.text();
    const isJson = /\.json$/i.test(file.name) || /^\s*[{[]/.test(content);
    setSource(isJson ? "json" : "ddl");
    replaceText(content);
    setError(null);
    if (!name) {
      const base = file.name.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9_]+/g, "_").replace(/^(\d)/, "_$1");
      if (base) setName(base.toLowerCase());
    }
    if (!isJson && /\bDISTKEY|SORTKEY|DISTSTYLE|ENCODE\b/i.test(content)) setDialect("redshift");
    else if (!isJson && /\bVARIANT|CLUSTER BY|TRANSIENT|NUMBER\(/i.test(content)) setDialect("snowflake");
  };

  const useSample = () => {
    setSource("ddl");
    replaceText(SAMPLE.ddl);
    setDialect(SAMPLE.dialect);
    if (!name) setName(SAMPLE.name);
    setError(null);
  };

  const submit = async (e) => {
    e?.preventDefault();
    setError(null);
    if (source === "ddl" && !name.trim()) return setError({ field: "name", message: "Give the experiment a name." });
    if (name && !NAME_RULE.test(name.trim())) {
      return setError({ field: "name", message: "Letters, digits and _ only, not starting with a digit." });
    }
    if (!text.trim()) return setError({ message: source === "ddl" ? "Paste or upload the DDL first." : "Paste or upload the experiment JSON first." });
    let body;
    if (source === "ddl") {
      body = { name: name.trim(), warehouse, dialect, ddl: text };
    } else {
      let schema;
      try {
        schema = JSON.parse(text);
      } catch (err) {
        return setError({ message: `This is not valid JSON: ${err.message}`, at: jsonErrorAt(text, err.message) });
      }
      body = { warehouse, schema };
      if (name.trim()) body.name = name.trim();
    }
    setBusy(true);
    try {
      const { record, jobId } = await api.create(body);
      Object.assign(created, { name: record.name, jobId });
      notify(`Created ${record.name}: ${record.schema.tables.length} tables`, "success");
      navigate(href.experiment(record.name));
    } catch (err) {
      setBusy(false);
      const nameError = err.fieldErrors.find((f) => f.loc.includes("name") && f.loc.length <= 2);
      if (err.status === 409 || nameError) return setError({ field: "name", message: nameError ? nameError.msg : err.message });
      setError({ message: err.message, at: errorPosition(err.message) });
    }
  };

  const at = error?.at;
  return (
    <div class="page page-narrow">
      <div class="page-header">
        <div>
          <a class="back" href={href.list()}><Icon name="chevronLeft" /> Experiments</a>
          <h1>New experiment</h1>
        </div>
      </div>
      <form class="card form-card" onSubmit={submit}
        onKeyDown={(e) => (e.metaKey || e.ctrlKey) && e.key === "Enter" && submit(e)}>
        <div class="segmented" role="radiogroup" aria-label="Import from">
          {[["ddl", "DDL"], ["json", "Experiment JSON"]].map(([value, label]) => (
            <button key={value} type="button" role="radio" aria-checked={source === value ? "true" : "false"}
              class={source === value ? "on" : ""} onClick={() => { setSource(value); setError(null); }}>
              {label}
            </button>
          ))}
        </div>
        <div class="form-row">
          <Field label="Name" id="exp-name" error={error?.field === "name" && error.message}
            hint={source === "json" ? "Optional: the JSON's own name is used otherwise." : "Letters, digits and _."}>
            <input id="exp-name" value={name} onInput={(e) => setName(e.currentTarget.value)}
              placeholder="shop" autoComplete="off" spellcheck={false} />
          </Field>
          <Field label="Warehouse" id="exp-warehouse" hint="Where the data is loaded and queried.">
            <Select id="exp-warehouse" options={WAREHOUSES} value={warehouse} onChange={chooseWarehouse} />
          </Field>
          {source === "ddl" && (
            <Field label="DDL dialect" id="exp-dialect" hint="The dialect the DDL is written in.">
              <Select id="exp-dialect" options={DIALECTS} value={dialect} onChange={setDialect} />
            </Field>
          )}
        </div>
        <div class={`dropzone ${dragging ? "dragging" : ""}`}
          onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => { e.preventDefault(); setDragging(false); readFile(e.dataTransfer.files[0]); }}>
          <div class="editor-toolbar">
            <span class="editor-label">{source === "ddl" ? "CREATE TABLE statements" : "Experiment JSON (dw-sim's or dw-simulator's format)"}</span>
            <div class="toolbar-actions">
              {source === "ddl" && <Button size="sm" variant="ghost" onClick={useSample}>Use the sample shop</Button>}
              <Button size="sm" icon="upload" onClick={() => fileInput.current.click()}>Upload file</Button>
              <input ref={fileInput} type="file" accept=".sql,.ddl,.txt,.json" hidden
                aria-label="Upload a DDL or JSON file" onChange={(e) => readFile(e.currentTarget.files[0])} />
            </div>
          </div>
          <CodeEditor key={source === "ddl" ? dialect : "json"} editorRef={editor} value={text} onChange={setText} onRun={submit} errorAt={at} minHeight="320px"
            dialect={source === "ddl" ? dialectForDdl(dialect) : null}
            label={source === "ddl" ? "DDL" : "Experiment JSON"}
            placeholder={source === "ddl" ? "CREATE TABLE customers (\n  customer_id BIGINT PRIMARY KEY,\n  ...\n);\n\nPaste here, drop a .sql file, or upload one." : '{"name": "shop", "tables": [...]}'} />
        </div>
        {error && error.field !== "name" && (
          <Banner tone="danger" title={at ? `Line ${at.line}${at.column ? `, column ${at.column}` : ""}` : "The experiment was not created"}>
            <span class="pre-wrap">{error.message}</span>
          </Banner>
        )}
        <div class="form-footer">
          <span class="muted small">Unsupported statements and types are kept as warnings, each naming its line.</span>
          <div class="toolbar-actions">
            <Button onClick={() => navigate(href.list())}>Cancel</Button>
            <Button variant="primary" type="submit" busy={busy} icon="check" title={`${modKey}+Enter`}>Create experiment</Button>
          </div>
        </div>
      </form>
    </div>
  );
}

function jsonErrorAt(text, message) {
  let m = /line (\d+) column (\d+)/.exec(message);
  if (m) return { line: +m[1], column: +m[2] };
  m = /position (\d+)/.exec(message);
  if (!m) return null;
  const before = text.slice(0, +m[1]);
  return { line: before.split("\n").length, column: +m[1] - before.lastIndexOf("\n") };
}
