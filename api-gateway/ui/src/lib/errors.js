// Where an error applies: a table, a column, a rule's field, a line of the DDL or SQL.

// The position a warehouse error names: "at line 2, column 7" (Redshift emulator),
// "line 1 at position 7" (Snowflake), "line 3, column 5" (DDL import).
export function errorPosition(message) {
  if (!message) return null;
  let m = /line (\d+),? (?:column|col\.?) (\d+)/i.exec(message);
  if (m) return { line: +m[1], column: +m[2] };
  m = /line (\d+) at position (\d+)/i.exec(message);
  if (m) return { line: +m[1], column: +m[2] + 1 };
  m = /\bline (\d+)\b/i.exec(message);
  if (m) return { line: +m[1], column: null };
  return null;
}

// Errors of a PATCH, keyed by "table" and "table.column", with the rule field when named.
// 422 details are lists of {loc, msg}; 400 details are messages naming the table and column.
export function placeErrors(error, tables) {
  const placed = [];
  const items = Array.isArray(error?.detail) ? error.detail : [{ loc: [], msg: error?.message || String(error) }];
  for (const item of items) {
    const loc = (item.loc || []).map(String);
    let table = null;
    let column = null;
    let field = null;
    const t = loc.indexOf("tables");
    if (t >= 0 && loc[t + 1] !== undefined) {
      table = loc[t + 1];
      const c = loc.indexOf("columns", t);
      if (c >= 0 && loc[c + 1] !== undefined) {
        column = loc[c + 1];
        const rest = loc.slice(c + 2).filter((p) => p !== "rule");
        field = rest.length ? rest[0] : null;
      } else if (loc[t + 2]) {
        field = loc[t + 2];
      }
    }
    const msg = item.msg || "";
    if (!table) ({ table, column } = mentioned(msg, tables));
    if (!field) field = /'([a-z_]+)'/.exec(msg)?.[1] || null; // "'weights' must have one entry..."
    placed.push({ table, column, field, message: msg.replace(/^Value error, /, "") });
  }
  return placed;
}

function mentioned(message, tables) {
  const names = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  let table = null;
  let column = null;
  const dotted = /\b([A-Za-z_][\w$]*)\.([A-Za-z_][\w$]*)\b/g;
  for (const m of message.matchAll(dotted)) {
    const found = names.get(m[1].toLowerCase());
    if (found && found.columns.some((c) => c.name.toLowerCase() === m[2].toLowerCase())) {
      return { table: found.name, column: found.columns.find((c) => c.name.toLowerCase() === m[2].toLowerCase()).name };
    }
  }
  const tm = /\btable "?([\w$]+)"?/i.exec(message);
  if (tm && names.get(tm[1].toLowerCase())) table = names.get(tm[1].toLowerCase()).name;
  const cm = /\bcolumn "?([\w$]+)"?/i.exec(message);
  if (table && cm) {
    const col = names.get(table.toLowerCase()).columns.find((c) => c.name.toLowerCase() === cm[1].toLowerCase());
    if (col) column = col.name;
  }
  return { table, column };
}
