// Numbers, sizes, durations and ages as a person reads them.

const intFormat = new Intl.NumberFormat("en-US");
const decimalFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const compactFormat = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export const fmtInt = (n) => (n == null ? "–" : intFormat.format(Math.round(n)));
export const fmtCompact = (n) => (n == null ? "–" : compactFormat.format(n));

export function fmtBytes(n) {
  if (n == null) return "–";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  let value = n;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i += 1;
  }
  return `${value >= 100 || i === 0 ? Math.round(value) : value.toFixed(1)} ${units[i]}`;
}

export function fmtDuration(seconds) {
  if (seconds == null || Number.isNaN(seconds)) return "–";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return `${m} min ${s} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function fmtAge(iso, now = Date.now()) {
  if (!iso) return "never";
  const seconds = Math.max(0, (now - parseTime(iso)) / 1000);
  if (seconds < 45) return "just now";
  if (seconds < 90) return "1 min ago";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 5400) return "1 hour ago";
  if (seconds < 86400) return `${Math.round(seconds / 3600)} hours ago`;
  const days = Math.round(seconds / 86400);
  return days === 1 ? "yesterday" : `${days} days ago`;
}

// the API's datetimes are UTC; some have no zone suffix
export function parseTime(iso) {
  if (!iso) return NaN;
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
}

export function fmtTime(iso) {
  const t = parseTime(iso);
  return Number.isNaN(t) ? "–" : new Date(t).toLocaleString();
}

export const fmtPercent = (fraction, digits = 0) =>
  fraction == null ? "–" : `${(fraction * 100).toFixed(digits)}%`;

export function fmtRate(perSecond) {
  if (perSecond == null || !Number.isFinite(perSecond)) return "–";
  return `${perSecond < 1000 ? fmtInt(perSecond) : fmtCompact(perSecond)} rows/s`;
}

export function fmtValue(v) {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") {
    if (Number.isInteger(v)) return fmtInt(v);
    return Math.abs(v) >= 1 ? decimalFormat.format(v) : String(+v.toPrecision(4));
  }
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

export const plural = (n, one, many = `${one}s`) => `${fmtInt(n)} ${n === 1 ? one : many}`;
