// Charts of a column's data as SVG: a histogram (numbers, dates) and the most common values.
import { fmtCompact, fmtInt, fmtPercent, fmtValue } from "../../lib/format.js";

const isDateText = (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v);

export function binLabel(v) {
  if (isDateText(v)) return v.length > 10 && !v.slice(10).match(/^T?00:00(:00)?/) ? v.slice(0, 16).replace("T", " ") : v.slice(0, 10);
  if (typeof v === "string" && v !== "" && !Number.isNaN(Number(v))) return fmtValue(Number(v));
  return fmtValue(v);
}

export function Histogram({ bins, large = false, label }) {
  const width = large ? 720 : 300;
  const height = large ? 260 : 110;
  const padL = large ? 48 : 6;
  const padB = large ? 34 : 20;
  const padT = 8;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const plotW = width - padL - 6;
  const plotH = height - padB - padT;
  const barW = plotW / bins.length;
  const ticks = large ? [0, 0.5, 1] : [];
  return (
    <svg class={`chart histogram ${large ? "chart-large" : ""}`} viewBox={`0 0 ${width} ${height}`} role="img"
      aria-label={label || `Histogram in ${bins.length} bins`} preserveAspectRatio="xMidYMid meet">
      {ticks.map((t) => {
        const y = padT + plotH * (1 - t);
        return (
          <g key={t}>
            <line class="grid" x1={padL} x2={width - 6} y1={y} y2={y} />
            <text class="axis" x={padL - 6} y={y + 4} text-anchor="end">{fmtCompact(max * t)}</text>
          </g>
        );
      })}
      {bins.map((b, i) => {
        const h = (b.count / max) * plotH;
        return (
          <rect key={i} class="bar" x={padL + i * barW + 1} y={padT + plotH - h} width={Math.max(1, barW - 2)} height={Math.max(b.count ? 1 : 0, h)} rx="1.5">
            <title>{`${binLabel(b.lower)} – ${binLabel(b.upper)}: ${fmtInt(b.count)} rows`}</title>
          </rect>
        );
      })}
      <line class="baseline" x1={padL} x2={width - 6} y1={padT + plotH} y2={padT + plotH} />
      {large && bins.length >= 8 && [0.25, 0.5, 0.75].map((f) => {
        const i = Math.round(bins.length * f);
        return <text key={f} class="axis" x={padL + i * barW} y={height - 12} text-anchor="middle">{binLabel(bins[i].lower)}</text>;
      })}
      {bins.length > 0 && (
        <>
          <text class="axis" x={padL} y={height - (large ? 12 : 5)}>{binLabel(bins[0].lower)}</text>
          <text class="axis" x={width - 6} y={height - (large ? 12 : 5)} text-anchor="end">{binLabel(bins[bins.length - 1].upper)}</text>
        </>
      )}
    </svg>
  );
}

export function TopValues({ values, rows, limit = 6 }) {
  const shown = values.slice(0, limit);
  const max = Math.max(1, ...shown.map((v) => v.count));
  return (
    <ul class="top-values" aria-label="Most common values">
      {shown.map((v) => (
        <li key={String(v.value)} title={`${fmtValue(v.value)}: ${fmtInt(v.count)} rows`}>
          <span class="tv-label">{fmtValue(v.value)}</span>
          <span class="tv-bar"><span style={{ width: `${(v.count / max) * 100}%` }} /></span>
          <span class="tv-count">{rows ? fmtPercent(v.count / rows, v.count / rows < 0.1 ? 1 : 0) : fmtCompact(v.count)}</span>
        </li>
      ))}
    </ul>
  );
}
