// A query's rows as a table, a page at a time.
import { useState } from "preact/hooks";

import { Button } from "../../components/ui.jsx";
import { fmtInt } from "../../lib/format.js";

const PAGE = 50;
const NUMERIC = /int|dec|num|float|double|real|money|serial/i;

function cell(v) {
  if (v === null || v === undefined) return <span class="null">NULL</span>;
  if (typeof v === "boolean") return String(v);
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

export function ResultTable({ result }) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(result.rows.length / PAGE));
  const rows = result.rows.slice(page * PAGE, page * PAGE + PAGE);
  const numeric = result.columns.map((c) => NUMERIC.test(c.type));
  if (result.columns.length === 0) return <p class="muted pad">The statement ran; it returns no rows.</p>;
  return (
    <>
      <div class="table-scroll result-scroll">
        <table class="table result-table">
          <thead>
            <tr>
              <th class="rownum" aria-label="Row number">#</th>
              {result.columns.map((c, i) => (
                <th key={i} class={numeric[i] ? "num" : ""}>
                  <span class="col-head">{c.name}</span>
                  <span class="col-type">{c.type}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={r}>
                <td class="rownum">{page * PAGE + r + 1}</td>
                {row.map((v, i) => <td key={i} class={numeric[i] ? "num" : ""}>{cell(v)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <nav class="pager" aria-label="Result pages">
          <Button size="sm" icon="chevronLeft" disabled={page === 0} onClick={() => setPage(page - 1)} aria-label="Previous page" />
          <span class="muted">
            Rows {fmtInt(page * PAGE + 1)}–{fmtInt(Math.min(result.rows.length, (page + 1) * PAGE))} of {fmtInt(result.rows.length)} · page {page + 1} of {pages}
          </span>
          <Button size="sm" icon="chevronRight" disabled={page >= pages - 1} onClick={() => setPage(page + 1)} aria-label="Next page" />
        </nav>
      )}
    </>
  );
}
