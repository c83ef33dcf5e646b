// The entity-relationship diagram: a box per table, keys marked, an edge per foreign-key column
// pair (crow's foot at the child), parents to the left of their children.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";

import { Button } from "../../components/ui.jsx";
import { fmtCompact } from "../../lib/format.js";
import { columnY, HEADER_HEIGHT, layoutTables, ROW_HEIGHT, shownColumns } from "../../lib/layout.js";

const cut = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

export function ErDiagram({ tables, onSelect }) {
  const [zoom, setZoom] = useState(1);
  const [hover, setHover] = useState(null);
  const scroller = useRef(null);
  const layout = useMemo(() => layoutTables(tables), [tables]);
  const fit = () => {
    const width = scroller.current?.clientWidth || layout.width;
    return Math.max(0.5, Math.min(1, (width - 16) / layout.width));
  };
  // a wide schema starts shrunk to the width it has (not below half size: it scrolls then)
  useEffect(() => setZoom(fit()), [layout]);
  const byName = useMemo(() => new Map(tables.map((t) => [t.name.toLowerCase(), t])), [tables]);
  const edges = useMemo(() => buildEdges(tables, byName, layout.boxes), [tables, byName, layout]);

  return (
    <div class="er">
      <div class="er-toolbar" role="group" aria-label="Zoom">
        <Button size="sm" variant="ghost" aria-label="Zoom out" onClick={() => setZoom((z) => Math.max(0.4, z - 0.15))}>−</Button>
        <span class="er-zoom">{Math.round(zoom * 100)}%</span>
        <Button size="sm" variant="ghost" aria-label="Zoom in" onClick={() => setZoom((z) => Math.min(1.6, z + 0.15))}>+</Button>
        <Button size="sm" variant="ghost" onClick={() => setZoom(fit())}>Fit</Button>
      </div>
      <div class="er-scroll" ref={scroller}>
        <svg class="er-svg" role="img" aria-label={`Diagram of ${tables.length} tables and their foreign keys`}
          width={layout.width * zoom} height={layout.height * zoom} viewBox={`0 0 ${layout.width} ${layout.height}`}>
          <defs>
            <marker id="er-one" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="12" markerHeight="12" orient="auto-start-reverse">
              <path d="M3 1v10M7 1v10" class="er-marker" />
            </marker>
            <marker id="er-many" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="12" markerHeight="12" orient="auto-start-reverse">
              <path d="M11 1 1 6l10 5M1 6h10" class="er-marker" />
            </marker>
          </defs>
          <g class="er-edges">
            {edges.map((e) => (
              <path key={e.key} d={e.d} class={`er-edge ${hover && (hover === e.child || hover === e.parent) ? "hot" : ""} ${hover && hover !== e.child && hover !== e.parent ? "dim" : ""}`}
                marker-start="url(#er-many)" marker-end="url(#er-one)">
                <title>{e.title}</title>
              </path>
            ))}
          </g>
          {tables.map((t) => (
            <TableBox key={t.name} table={t} box={layout.boxes.get(t.name)} dim={hover && hover !== t.name && !edges.some((e) => (e.child === hover && e.parent === t.name) || (e.parent === hover && e.child === t.name))}
              onHover={setHover} onSelect={onSelect} />
          ))}
        </svg>
      </div>
    </div>
  );
}

function TableBox({ table, box, dim, onHover, onSelect }) {
  const { shown, hidden } = shownColumns(table);
  const pk = new Set(table.primary_key.map((c) => c.toLowerCase()));
  const fk = new Map();
  for (const k of table.foreign_keys) for (const c of k.columns) fk.set(c.toLowerCase(), k.references_table);
  const uniques = new Set(table.unique.filter((u) => u.columns.length === 1).map((u) => u.columns[0].toLowerCase()));
  const composite = table.primary_key.length > 1;
  const select = () => onSelect(table.name);
  return (
    <g class={`er-table ${dim ? "dim" : ""}`} transform={`translate(${box.x},${box.y})`} tabIndex={0} role="link"
      aria-label={`Table ${table.name}: ${table.columns.length} columns${composite ? `, composite primary key (${table.primary_key.join(", ")})` : ""}`}
      onMouseEnter={() => onHover(table.name)} onMouseLeave={() => onHover(null)}
      onFocus={() => onHover(table.name)} onBlur={() => onHover(null)}
      onClick={select} onKeyDown={(e) => (e.key === "Enter" || e.key === " ") && (e.preventDefault(), select())}>
      <rect class="er-box" width={box.w} height={box.h} rx="8" />
      <path class="er-head" d={`M0 8a8 8 0 0 1 8-8h${box.w - 16}a8 8 0 0 1 8 8v${HEADER_HEIGHT - 8}h-${box.w}z`} />
      <text class="er-title" x="12" y={HEADER_HEIGHT / 2 + 5}>{cut(table.name, 22)}</text>
      <text class="er-rows" x={box.w - 12} y={HEADER_HEIGHT / 2 + 5} text-anchor="end">
        {fmtCompact(table.rows ?? 1000)} rows
      </text>
      {shown.map((c, i) => {
        const y = HEADER_HEIGHT + i * ROW_HEIGHT + 3;
        const name = c.name.toLowerCase();
        const isPk = pk.has(name);
        const isFk = fk.has(name);
        return (
          <g key={c.name} transform={`translate(0,${y})`}>
            {isPk && composite && <rect class="er-cpk" x="0" y="0" width="3" height={ROW_HEIGHT} />}
            {isPk && <g transform="translate(9,4)"><rect class="er-chip er-chip-pk" width="20" height="14" rx="3" /><text class="er-chip-text" x="10" y="10.5" text-anchor="middle">PK</text></g>}
            {isFk && <g transform={`translate(${isPk ? 32 : 9},4)`}><rect class="er-chip er-chip-fk" width="20" height="14" rx="3" /><text class="er-chip-text" x="10" y="10.5" text-anchor="middle">FK</text><title>references {fk.get(name)}</title></g>}
            {!isPk && !isFk && uniques.has(name) && <g transform="translate(9,4)"><rect class="er-chip er-chip-uq" width="20" height="14" rx="3" /><text class="er-chip-text" x="10" y="10.5" text-anchor="middle">UQ</text></g>}
            <text class={`er-col ${isPk ? "pk" : ""}`} x={isPk && isFk ? 58 : isPk || isFk || uniques.has(name) ? 35 : 12} y="15">
              {cut(c.name, isPk && isFk ? 14 : 18)}
              {!c.nullable && !isPk && <tspan class="er-notnull"> *</tspan>}
            </text>
            <text class="er-type" x={box.w - 12} y="15" text-anchor="end">{cut(c.type.raw.toLowerCase(), 16)}</text>
          </g>
        );
      })}
      {hidden > 0 && (
        <text class="er-more" x="12" y={HEADER_HEIGHT + shown.length * ROW_HEIGHT + 18}>+ {hidden} more columns</text>
      )}
    </g>
  );
}

function buildEdges(tables, byName, boxes) {
  const edges = [];
  for (const t of tables) {
    const childBox = boxes.get(t.name);
    t.foreign_keys.forEach((fk, k) => {
      const parent = byName.get(fk.references_table.toLowerCase());
      if (!parent) return;
      const parentBox = boxes.get(parent.name);
      fk.columns.forEach((col, i) => {
        const y1 = columnY(t, childBox, col);
        const y2 = columnY(parent, parentBox, fk.references_columns[i]);
        let d;
        if (parent.name === t.name) {
          const x = childBox.x + childBox.w;
          d = `M${x} ${y1} C${x + 48} ${y1}, ${x + 48} ${y2}, ${x} ${y2}`;
        } else if (parentBox.x + parentBox.w < childBox.x) {
          const x1 = childBox.x;
          const x2 = parentBox.x + parentBox.w;
          const mid = (x1 - x2) / 2;
          d = `M${x1} ${y1} C${x1 - mid} ${y1}, ${x2 + mid} ${y2}, ${x2} ${y2}`;
        } else {
          // same layer (or a cycle): around the right side
          const x1 = childBox.x + childBox.w;
          const x2 = parentBox.x + parentBox.w;
          const out = Math.max(x1, x2) + 40;
          d = `M${x1} ${y1} C${out} ${y1}, ${out} ${y2}, ${x2} ${y2}`;
        }
        const cols = fk.columns.length > 1 ? ` (composite key: ${fk.columns.join(", ")})` : "";
        edges.push({
          key: `${t.name}.${k}.${i}`,
          d,
          child: t.name,
          parent: parent.name,
          title: `${t.name}.${col} → ${parent.name}.${fk.references_columns[i]}${cols}`,
        });
      });
    });
  }
  return edges;
}
