// Editing one column's generation rule: a form per kind; the server's errors beside their field.
import { useState } from "preact/hooks";

import { Dialog } from "../../components/Dialog.jsx";
import { Banner, Button, Field, Icon, Select } from "../../components/ui.jsx";
import { placeErrors } from "../../lib/errors.js";
import { cleanRule, describeRule, RULE_FIELDS, RULE_KINDS } from "../../lib/rules.js";

const NUMERIC = new Set(["smallint", "integer", "bigint", "decimal", "real", "double"]);

export function RuleEditor({ table, tables, column, onSave, onClose }) {
  const [draft, setDraft] = useState(() => ({ ...(column.rule || { kind: "text" }) }));
  const [errors, setErrors] = useState([]);
  const [busy, setBusy] = useState(false);
  const numeric = NUMERIC.has(column.type.kind);
  const set = (field, value) => setDraft((d) => ({ ...d, [field]: value }));
  const fieldError = (field) => errors.filter((e) => e.field === field).map((e) => e.message).join("; ") || null;
  const known = new Set(["kind", "null_ratio", "unique", ...(RULE_FIELDS[draft.kind] || []).map((f) => f[0])]);
  const general = errors.filter((e) => !e.field || !known.has(e.field));

  const save = async (e) => {
    e?.preventDefault();
    setBusy(true);
    setErrors([]);
    try {
      await onSave(cleanRule(draft));
      onClose();
    } catch (err) {
      const placed = placeErrors(err, tables).filter((p) => !p.table || (p.table === table.name && (!p.column || p.column === column.name)));
      setErrors(placed.length ? placed : [{ message: err.message }]);
    } finally {
      setBusy(false);
    }
  };

  const kinds = RULE_KINDS.map((k) => ({ value: k.value, label: `${k.label}` }));
  return (
    <Dialog open title={<>Rule of <span class="mono">{table.name}.{column.name}</span></>} onClose={onClose} wide labelledBy="rule-title"
      footer={
        <>
          <span class="muted small rule-preview">{describeRule(cleanRule(draft))}</span>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" busy={busy} onClick={save}>Save rule</Button>
        </>
      }>
      <form class="rule-form" onSubmit={save}>
        <p class="muted small">
          <span class="mono">{column.type.raw}</span>{column.nullable ? ", nullable" : ", not null"}. Saved rules are marked as yours; they
          apply to the next generated run.
        </p>
        <div class="form-grid">
          <Field label="Kind" id="rule-kind" error={fieldError("kind")}>
            <Select id="rule-kind" options={kinds} value={draft.kind} onChange={(v) => set("kind", v)} />
          </Field>
          {(RULE_FIELDS[draft.kind] || []).map(([field, label, input, options, hint]) => (
            <Field key={`${draft.kind}-${field}`} label={label} id={`rule-${field}`} hint={hint} error={fieldError(field)}
              class={input === "values" || input === "params" ? "span-2" : ""}>
              <RuleInput id={`rule-${field}`} input={input} options={options} value={draft[field]} numeric={numeric}
                onChange={(v) => set(field, v)} weights={draft.weights} onWeights={(w) => set("weights", w)} />
            </Field>
          ))}
          {column.nullable && (
            <Field label="Share of NULLs" id="rule-null" hint="0 to 1" error={fieldError("null_ratio")}>
              <input id="rule-null" type="number" min="0" max="1" step="0.01" value={draft.null_ratio ?? 0}
                onInput={(e) => set("null_ratio", e.currentTarget.value === "" ? 0 : Number(e.currentTarget.value))} />
            </Field>
          )}
          <Field label="Unique" id="rule-unique" error={fieldError("unique")}>
            <label class="checkbox">
              <input id="rule-unique" type="checkbox" checked={Boolean(draft.unique)} onChange={(e) => set("unique", e.currentTarget.checked)} />
              every value different
            </label>
          </Field>
        </div>
        {fieldError("weights") && !(RULE_FIELDS[draft.kind] || []).some((f) => f[0] === "weights") && (
          <div class="field-error" role="alert">weights: {fieldError("weights")}</div>
        )}
        {general.map((e, i) => <Banner key={i} tone="danger" title="Not saved">{e.field ? `${e.field}: ` : ""}{e.message}</Banner>)}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}

const asScalar = (text, numeric) => {
  if (text === "") return null;
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text.trim()) && (numeric || !/^0\d/.test(text))) return Number(text);
  return text;
};

function RuleInput({ id, input, options, value, onChange, numeric, weights, onWeights }) {
  switch (input) {
    case "select":
      return <Select id={id} options={options} value={value ?? ""} onChange={(v) => onChange(v || null)} />;
    case "int":
    case "number":
      return (
        <input id={id} type="number" step={input === "int" ? "1" : "any"} value={value ?? ""}
          onInput={(e) => onChange(e.currentTarget.value === "" ? null : Number(e.currentTarget.value))} />
      );
    case "scalar":
      return <input id={id} value={value ?? ""} spellcheck={false} onInput={(e) => onChange(asScalar(e.currentTarget.value, true))} />;
    case "list":
      return (
        <input id={id} value={(value || []).join(", ")} spellcheck={false}
          onInput={(e) => onChange(e.currentTarget.value.split(",").map((s) => s.trim()).filter(Boolean))} />
      );
    case "params":
      return <ParamsInput id={id} value={value || {}} onChange={onChange} />;
    case "values":
      return <ValuesInput id={id} values={value || []} weights={weights} numeric={numeric} onChange={onChange} onWeights={onWeights} />;
    default:
      return <input id={id} value={value ?? ""} spellcheck={false} class="mono" onInput={(e) => onChange(e.currentTarget.value)} />;
  }
}

function ParamsInput({ id, value, onChange }) {
  const entries = Object.entries(value);
  const update = (i, key, val) => {
    const next = entries.map((e, j) => (j === i ? [key, val] : e));
    onChange(Object.fromEntries(next.filter(([k]) => k !== "")));
  };
  return (
    <div class="kv" id={id}>
      {entries.map(([k, v], i) => (
        <div class="kv-row" key={i}>
          <input aria-label="parameter" value={k} class="mono" onInput={(e) => update(i, e.currentTarget.value, v)} />
          <input aria-label={`value of ${k}`} type="number" step="any" value={v} onInput={(e) => update(i, k, Number(e.currentTarget.value))} />
          <button type="button" class="icon-btn" aria-label={`Remove ${k}`} onClick={() => onChange(Object.fromEntries(entries.filter((_, j) => j !== i)))}><Icon name="x" /></button>
        </div>
      ))}
      <Button size="sm" variant="ghost" icon="plus" onClick={() => onChange({ ...value, [`p${entries.length + 1}`]: 0 })}>Add parameter</Button>
    </div>
  );
}

function ValuesInput({ id, values, weights, numeric, onChange, onWeights }) {
  const w = weights || values.map(() => null);
  const total = w.reduce((s, x) => s + (x || 0), 0);
  const setRow = (i, value, weight) => {
    onChange(values.map((v, j) => (j === i ? value : v)));
    const nextW = w.map((x, j) => (j === i ? weight : x));
    onWeights(nextW.every((x) => x == null) ? null : nextW.map((x) => x ?? 0));
  };
  const remove = (i) => {
    onChange(values.filter((_, j) => j !== i));
    if (weights) onWeights(weights.filter((_, j) => j !== i));
  };
  return (
    <div class="kv" id={id}>
      <div class="kv-row kv-head"><span>Value</span><span>Weight</span><span /></div>
      {values.map((v, i) => (
        <div class="kv-row" key={i}>
          <input aria-label={`value ${i + 1}`} value={v ?? ""} class="mono" onInput={(e) => setRow(i, asScalar(e.currentTarget.value, numeric), w[i])} />
          <span class="weight">
            <input aria-label={`weight of value ${i + 1}`} type="number" min="0" step="any" value={w[i] ?? ""}
              onInput={(e) => setRow(i, v, e.currentTarget.value === "" ? null : Number(e.currentTarget.value))} />
            {total > 0 && <span class="muted small">{Math.round(((w[i] || 0) / total) * 100)}%</span>}
          </span>
          <button type="button" class="icon-btn" aria-label={`Remove value ${i + 1}`} onClick={() => remove(i)}><Icon name="x" /></button>
        </div>
      ))}
      <Button size="sm" variant="ghost" icon="plus" onClick={() => { onChange([...values, ""]); if (weights) onWeights([...weights, 1]); }}>Add value</Button>
    </div>
  );
}
