// A compatibility report of the editor's SQL (POST /api/experiments/{name}/check-sql): per
// statement its line, a status badge, and why (the reason, or the rewrites that applied).
import { fmtDuration, fmtInt, fmtPercent } from "../../lib/format.js";

const TONES = { faithful: "success", rewritten: "info", unsupported: "warning", error: "danger" };
const STATUSES = Object.keys(TONES);

function firstWords(sql, chars = 60) {
  const text = sql.split(/\s+/).filter(Boolean).join(" ");
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
}

function detail(s) {
  const parts = [];
  if (s.status === "rewritten" && s.rewrites.length) parts.push(`Rewrites: ${s.rewrites.join(", ")}`);
  if (s.reason) {
    const at = s.error_line != null ? ` (line ${s.error_line}${s.error_column != null ? `, column ${s.error_column}` : ""})` : "";
    parts.push(s.reason.split(/\s+/).join(" ") + at);
  }
  if (s.note) parts.push(s.note);
  return parts.join(" · ");
}

export function CheckReport({ report }) {
  const { summary } = report;
  return (
    <div class="card result-card check-card" aria-label="SQL check">
      <div class="result-header check-summary">
        <span>
          <strong>{fmtInt(summary.total)}</strong> {summary.total === 1 ? "statement" : "statements"}:{" "}
          {STATUSES.map((s, i) => (
            <span key={s}>{i ? ", " : ""}{fmtInt(summary.counts[s] || 0)} {s}</span>
          ))}
          {" · "}<strong>{fmtPercent(summary.pass_rate)}</strong> pass
        </span>
        <span class="muted">{report.warehouse} emulator · {fmtDuration(report.elapsed_ms / 1000)}</span>
      </div>
      <div class="table-scroll">
        <table class="table check-table">
          <thead>
            <tr><th>Line</th><th>Statement</th><th>Status</th><th>Detail</th></tr>
          </thead>
          <tbody>
            {report.statements.map((s) => (
              <tr key={`${s.line}:${s.column}`} data-line={s.line} data-status={s.status}>
                <td class="num">{s.line}</td>
                <td class="mono" title={s.sql}>{firstWords(s.sql)}</td>
                <td><span class={`badge badge-${TONES[s.status]}`} data-status={s.status}>{s.status}</span></td>
                <td class="check-detail">{detail(s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {report.notes.map((n) => <p key={n} class="muted small pad">Note: {n}</p>)}
    </div>
  );
}
