// A layered layout of the tables for the entity-relationship diagram: parents left of their
// children (by the longest chain of foreign keys), each layer ordered to keep edges short.

export const BOX_WIDTH = 236;
export const HEADER_HEIGHT = 34;
export const ROW_HEIGHT = 22;
export const MAX_ROWS = 12; // columns shown in a box; the rest are counted
const GAP_X = 72;
const GAP_Y = 28;
const PAD = 16;

// the columns a box shows: keys first, then the others in order, up to MAX_ROWS
export function shownColumns(table) {
  const keyCols = new Set([...table.primary_key, ...table.foreign_keys.flatMap((fk) => fk.columns)]);
  const cols = table.columns;
  if (cols.length <= MAX_ROWS) return { shown: cols, hidden: 0 };
  const keys = cols.filter((c) => keyCols.has(c.name));
  const rest = cols.filter((c) => !keyCols.has(c.name));
  const shown = [...keys, ...rest].slice(0, MAX_ROWS - 1);
  const order = new Map(cols.map((c, i) => [c.name, i]));
  shown.sort((a, b) => order.get(a.name) - order.get(b.name));
  return { shown, hidden: cols.length - shown.length };
}

export function boxHeight(table) {
  const { shown, hidden } = shownColumns(table);
  return HEADER_HEIGHT + (shown.length + (hidden ? 1 : 0)) * ROW_HEIGHT + 6;
}

export function layoutTables(tables) {
  const byName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  const parents = new Map(
    tables.map((t) => [
      t.name,
      [...new Set(t.foreign_keys.map((fk) => byName.get(fk.references_table.toLowerCase())?.name))].filter(
        (p) => p && p !== t.name,
      ),
    ]),
  );
  // layer = longest chain of parents (cycles broken by the path being walked)
  const layer = new Map();
  const depth = (name, path) => {
    if (layer.has(name)) return layer.get(name);
    if (path.has(name)) return 0;
    path.add(name);
    const d = Math.max(-1, ...parents.get(name).map((p) => depth(p, path))) + 1;
    path.delete(name);
    layer.set(name, d);
    return d;
  };
  tables.forEach((t) => depth(t.name, new Set()));
  // a table with no parent sits just left of its nearest child (products beside order_lines)
  for (const t of tables) {
    if (parents.get(t.name).length) continue;
    const children = tables.filter((c) => c.name !== t.name && parents.get(c.name).includes(t.name));
    if (children.length) layer.set(t.name, Math.max(0, Math.min(...children.map((c) => layer.get(c.name))) - 1));
  }

  const layers = [];
  for (const t of tables) (layers[layer.get(t.name)] ||= []).push(t);
  // order each layer by the mean position of its parents (barycenter), one sweep left to right
  const position = new Map();
  layers.forEach((list, i) => {
    if (i > 0) {
      const score = (t) => {
        const ps = parents.get(t.name).filter((p) => position.has(p));
        return ps.length ? ps.reduce((s, p) => s + position.get(p), 0) / ps.length : Infinity;
      };
      list.sort((a, b) => score(a) - score(b));
    }
    list.forEach((t, j) => position.set(t.name, j));
  });

  const boxes = new Map();
  const heights = layers.map((list) => list.reduce((s, t) => s + boxHeight(t) + GAP_Y, -GAP_Y));
  const tallest = Math.max(...heights);
  layers.forEach((list, i) => {
    let y = PAD + (tallest - heights[i]) / 2;
    for (const t of list) {
      const h = boxHeight(t);
      boxes.set(t.name, { x: PAD + i * (BOX_WIDTH + GAP_X), y, w: BOX_WIDTH, h });
      y += h + GAP_Y;
    }
  });
  return {
    boxes,
    width: PAD * 2 + layers.length * BOX_WIDTH + (layers.length - 1) * GAP_X,
    height: PAD * 2 + tallest,
  };
}

// y of a column's row inside its box (the middle of the row), or the header when hidden
export function columnY(table, box, column) {
  const { shown } = shownColumns(table);
  const i = shown.findIndex((c) => c.name.toLowerCase() === column.toLowerCase());
  if (i < 0) return box.y + HEADER_HEIGHT / 2;
  return box.y + HEADER_HEIGHT + i * ROW_HEIGHT + ROW_HEIGHT / 2 + 3;
}
