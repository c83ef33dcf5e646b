// One table: row count (editable), keys, and per column its type, key marks and rule.
import { useEffect, useState } from "preact/hooks";

import { Badge, Button, Icon } from "../../components/ui.jsx";
import { fmtInt, fmtPercent, fmtValue } from "../../lib/format.js";
import { DERIVED, describeRule, valueShares } from "../../lib/rules.js";
import { RuleEditor } from "./RuleEditor.jsx";

const ROLE_TEXT = {
  lookup: "lookup", calendar: "calendar", entity: "entity", event: "events",
  line: "lines", bridge: "bridge", extension: "extension",
};

export function TableCard({ table, tables, errors, onSave }) {
  const [rows, setRows] = useState(String(table.rows ?? 1000));
  const [saving, setSaving] = useState(false);
  const [editing, setEditing] = useState(null); // column being edited
  useEffect(() => setRows(String(table.rows ?? 1000)), [table.rows]);

  const rowsError = errors.find((e) => !e.column && (e.field === "rows" || /rows/.test(e.message)));
  const changed = rows !== String(table.rows ?? 1000);
  const saveRows = async () => {
    const n = Number(rows);
    if (!Number.isInteger(n) || n < 0) return;
    setSaving(true);
    try {
      await onSave({ tables: { [table.name]: { rows: n } } }, `${table.name}: ${fmtInt(n)} rows`);
    } catch {
      /* shown under the field */
    } finally {
      setSaving(false);
    }
  };
  const localRowsError = rows !== "" && !(Number.isInteger(Number(rows)) && Number(rows) >= 0) ? "A whole number, 0 or more." : null;

  const fkOf = new Map();
  for (const fk of table.foreign_keys) fk.columns.forEach((c, i) => fkOf.set(c, { fk, ref: fk.references_columns[i] }));
  const pk = new Set(table.primary_key);
  const uniques = table.unique.map((u) => u.columns);
  const sizing = table.sizing;
  const tableErrors = errors.filter((e) => !e.column && e !== rowsError);

  return (
    <section class="card table-detail" id={`table-${table.name}`} aria-labelledby={`table-title-${table.name}`}>
      <header class="table-detail-header">
        <div class="table-detail-title">
          <h3 id={`table-title-${table.name}`} tabIndex={-1}><Icon name="table" /> {table.name}</h3>
          {sizing && <Badge title={sizing.parent ? `about ${sizing.per_parent} per ${sizing.parent} row` : "its place in the key graph"}>{ROLE_TEXT[sizing.role] || sizing.role}{sizing.parent ? ` of ${sizing.parent}` : ""}</Badge>}
          {table.schema_name && <Badge>{table.schema_name}</Badge>}
          <div class="keys">
            {table.primary_key.length > 0 && <span class="key-pill"><span class="chip chip-pk">PK</span> {table.primary_key.join(", ")}</span>}
            {uniques.map((u) => <span key={u.join()} class="key-pill"><span class="chip chip-uq">UQ</span> {u.join(", ")}</span>)}
            {table.foreign_keys.map((fk) => (
              <span key={fk.columns.join()} class="key-pill"><span class="chip chip-fk">FK</span> {fk.columns.join(", ")} → {fk.references_table}</span>
            ))}
          </div>
        </div>
        <form class="rows-edit" onSubmit={(e) => { e.preventDefault(); saveRows(); }}>
          <label for={`rows-${table.name}`}>Rows</label>
          <input id={`rows-${table.name}`} type="number" min="0" step="1" inputMode="numeric" value={rows}
            aria-invalid={rowsError || localRowsError ? "true" : undefined}
            onInput={(e) => setRows(e.currentTarget.value)} onKeyDown={(e) => e.key === "Escape" && setRows(String(table.rows ?? 1000))} />
          {changed && <Button size="sm" variant="primary" type="submit" busy={saving} disabled={Boolean(localRowsError)}>Save</Button>}
          {(localRowsError || rowsError) && <div class="field-error" role="alert">{localRowsError || rowsError.message}</div>}
        </form>
      </header>
      {tableErrors.map((e, i) => <div key={i} class="inline-error" role="alert"><Icon name="alert" /> {e.message}</div>)}
      <div class="table-scroll">
        <table class="table columns-table">
          <thead>
            <tr><th>Column</th><th>Type</th><th>Generation rule</th><th class="actions-col"><span class="sr-only">Edit</span></th></tr>
          </thead>
          <tbody>
            {table.columns.map((c) => {
              const colErrors = errors.filter((e) => e.column && e.column.toLowerCase() === c.name.toLowerCase());
              const link = fkOf.get(c.name);
              return [
                <tr key={c.name} class={colErrors.length ? "row-error" : ""}>
                  <td class="col-name">
                    <span class="mono">{c.name}</span>
                    {pk.has(c.name) && <span class="chip chip-pk" title={table.primary_key.length > 1 ? `part of the primary key (${table.primary_key.join(", ")})` : "primary key"}>PK</span>}
                    {link && <span class="chip chip-fk" title={`references ${link.fk.references_table}.${link.ref}`}>FK</span>}
                    {uniques.some((u) => u.length === 1 && u[0] === c.name) && <span class="chip chip-uq">UQ</span>}
                  </td>
                  <td class="mono type-cell">{c.type.raw}{!c.nullable && <span class="muted"> not null</span>}</td>
                  <td><RuleCell column={c} link={link} /></td>
                  <td class="actions-col">
                    <Button size="sm" variant="ghost" icon="edit" aria-label={`Edit the rule of ${c.name}`} onClick={() => setEditing(c)}>Edit</Button>
                  </td>
                </tr>,
                ...colErrors.map((e, i) => (
                  <tr key={`${c.name}-err-${i}`} class="error-row">
                    <td colSpan={4}><div class="inline-error" role="alert"><Icon name="alert" /> {c.name}{e.field ? ` (${e.field})` : ""}: {e.message}</div></td>
                  </tr>
                )),
              ];
            })}
          </tbody>
        </table>
      </div>
      {editing && (
        <RuleEditor table={table} tables={tables} column={editing} onClose={() => setEditing(null)}
          onSave={(rule) => onSave({ tables: { [table.name]: { columns: { [editing.name]: rule } } } }, `the rule of ${table.name}.${editing.name}`)} />
      )}
    </section>
  );
}

function RuleCell({ column, link }) {
  const rule = column.rule;
  const extras = [];
  if (rule?.null_ratio) extras.push(`${fmtPercent(rule.null_ratio, rule.null_ratio < 0.01 ? 1 : 0)} null`);
  if (rule?.unique) extras.push("unique");
  if (link) {
    const fan = link.fk.fanout;
    return (
      <div class="rule">
        <span class="rule-text">values of <span class="mono">{link.fk.references_table}.{link.ref}</span></span>
        {fan && <span class="muted"> · {fan.distribution} fan-out{fan.params?.min ? `, at least ${fan.params.min}` : ""}</span>}
        {link.fk.null_ratio ? <span class="muted"> · {fmtPercent(link.fk.null_ratio)} null</span> : null}
      </div>
    );
  }
  return (
    <div class="rule">
      {rule && <span class={`rule-kind kind-${DERIVED.has(rule.kind) ? "derived" : "value"}`}>{rule.kind}</span>}
      <span class={`rule-text ${DERIVED.has(rule?.kind) ? "mono" : ""}`}>{describeRule(rule)}</span>
      {extras.length > 0 && <span class="muted"> · {extras.join(" · ")}</span>}
      {rule?.source && rule.source !== "user" && <span class={`source source-${rule.source}`} title={rule.source === "inferred" ? "guessed from the name and type" : "taken from the DDL"}>{rule.source}</span>}
      {rule?.source === "user" && <span class="source source-user" title="set by you">edited</span>}
      {rule?.kind === "categorical" && <Shares rule={rule} />}
    </div>
  );
}

function Shares({ rule }) {
  const shares = valueShares(rule);
  const shown = shares.slice(0, 8);
  return (
    <div class="shares">
      {shown.map((s) => (
        <span key={String(s.value)} class="share" title={`${fmtValue(s.value)}: ${fmtPercent(s.share, 1)}`}>
          <span class="share-bar" style={{ width: `${Math.max(4, s.share * 100)}%` }} />
          <span class="share-label">{fmtValue(s.value)}</span>
          <span class="share-pct">{fmtPercent(s.share)}</span>
        </span>
      ))}
      {shares.length > shown.length && <span class="muted small">+{shares.length - shown.length} more</span>}
    </div>
  );
}
