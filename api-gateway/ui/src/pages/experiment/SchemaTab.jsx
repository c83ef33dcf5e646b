// The schema: the diagram, then each table with its columns, types, keys and rules (editable).
import { useState } from "preact/hooks";

import { Banner, Card } from "../../components/ui.jsx";
import { api } from "../../lib/api.js";
import { placeErrors } from "../../lib/errors.js";
import { fmtInt, plural } from "../../lib/format.js";
import { notify } from "../../lib/store.js";
import { ErDiagram } from "./ErDiagram.jsx";
import { TableCard } from "./TableCard.jsx";

export function SchemaTab({ record, onChanged }) {
  const tables = record.schema.tables;
  const [errors, setErrors] = useState([]);
  const fkCount = tables.reduce((n, t) => n + t.foreign_keys.length, 0);
  const columnCount = tables.reduce((n, t) => n + t.columns.length, 0);

  // PATCH; errors are kept where they apply (table, column, field) and rethrown to the editor
  const save = async (patch, what) => {
    try {
      const next = await api.patch(record.name, patch);
      setErrors([]);
      onChanged(next);
      notify(`Saved ${what}`, "success", 3000);
      return next;
    } catch (err) {
      setErrors(placeErrors(err, tables));
      throw err;
    }
  };

  const select = (name) => {
    const el = document.getElementById(`table-${name}`);
    if (!el) return;
    el.scrollIntoView({ behavior: "smooth", block: "start" });
    el.querySelector("h3 a, h3")?.focus?.();
  };

  const unplaced = errors.filter((e) => !e.table);
  return (
    <div class="schema-tab">
      <Card title="Tables and keys" class="er-card"
        subtitle={`${plural(tables.length, "table")} · ${plural(columnCount, "column")} · ${plural(fkCount, "foreign key")} · ${fmtInt(tables.reduce((s, t) => s + (t.rows ?? 1000), 0))} rows per run`}>
        <ErDiagram tables={tables} onSelect={select} />
        <div class="er-legend" aria-hidden="true">
          <span><span class="chip chip-pk">PK</span> primary key</span>
          <span><span class="chip chip-fk">FK</span> foreign key</span>
          <span><span class="chip chip-uq">UQ</span> unique</span>
          <span><span class="legend-bar" /> part of a composite key</span>
          <span><strong>*</strong> not null</span>
        </div>
      </Card>
      {unplaced.map((e, i) => (
        <Banner key={i} tone="danger" title="Not saved" onClose={() => setErrors(errors.filter((x) => x !== e))}>{e.message}</Banner>
      ))}
      <div class="table-cards">
        {tables.map((t) => (
          <TableCard key={t.name} table={t} tables={tables} onSave={save}
            errors={errors.filter((e) => e.table === t.name)} />
        ))}
      </div>
    </div>
  );
}
