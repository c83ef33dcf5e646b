// Generation rules: a one-line description for people, and the fields each kind is edited with.
import { fmtPercent, fmtValue } from "./format.js";

export const RULE_KINDS = [
  { value: "distribution", label: "Distribution", group: "Values" },
  { value: "range", label: "Range", group: "Values" },
  { value: "categorical", label: "Categorical", group: "Values" },
  { value: "sequence", label: "Sequence", group: "Values" },
  { value: "boolean", label: "Boolean", group: "Values" },
  { value: "constant", label: "Constant", group: "Values" },
  { value: "pattern", label: "Pattern", group: "Values" },
  { value: "faker", label: "Faker provider", group: "Values" },
  { value: "text", label: "Text", group: "Values" },
  { value: "uuid", label: "UUID", group: "Values" },
  { value: "json", label: "JSON", group: "Values" },
  { value: "geo", label: "Place (geo)", group: "Correlated" },
  { value: "person", label: "Person", group: "Correlated" },
  { value: "lookup", label: "Lookup (parent column)", group: "Derived" },
  { value: "expression", label: "Expression", group: "Derived" },
  { value: "aggregate", label: "Aggregate (child rows)", group: "Derived" },
  { value: "after", label: "After (a date)", group: "Derived" },
];

export const DISTRIBUTIONS = ["uniform", "normal", "lognormal", "exponential", "beta", "poisson", "zipf"];
const GEO_FIELDS = ["city", "state", "state_code", "postcode", "country", "country_code", "country_code3", "phone", "currency"];
const PERSON_FIELDS = ["gender", "title", "first_name"];
const FUNCTIONS = ["sum", "count", "min", "max"];
export const DERIVED = new Set(["lookup", "expression", "aggregate", "after"]);

// the form of each kind: [field, label, input, options?, hint?]
export const RULE_FIELDS = {
  distribution: [
    ["distribution", "Distribution", "select", DISTRIBUTIONS],
    ["params", "Parameters", "params", null, "mean, std, sigma, lam, a, b, s, scale, min…"],
    ["min", "Clip at min", "scalar"],
    ["max", "Clip at max", "scalar"],
  ],
  range: [
    ["min", "Min", "scalar", null, "a number, or an ISO date for dates"],
    ["max", "Max", "scalar"],
  ],
  categorical: [["values", "Values and weights", "values"]],
  sequence: [
    ["start", "Start", "int"],
    ["step", "Step", "int"],
  ],
  boolean: [["probability", "Probability of true", "number", null, "0 to 1"]],
  constant: [["value", "Value", "scalar"]],
  pattern: [["pattern", "Pattern", "text", null, "# is a digit, ? a letter: AB-####-??"]],
  faker: [
    ["provider", "Provider", "text", null, "a Faker method: email, company, street_address…"],
    ["locale", "Locale", "text", null, "e.g. en_US, de_DE"],
  ],
  text: [
    ["min_length", "Min length", "int"],
    ["max_length", "Max length", "int"],
  ],
  uuid: [],
  json: [],
  geo: [
    ["field", "Field", "select", GEO_FIELDS],
    ["locale", "Countries", "text", null, "US, or US,CA,GB, or a Faker locale"],
    ["group", "Group", "text", null, "columns of one group share a place"],
  ],
  person: [
    ["field", "Field", "select", PERSON_FIELDS],
    ["locale", "Locale", "text"],
    ["group", "Group", "text"],
    ["values", "Gender labels and weights", "values"],
  ],
  lookup: [
    ["ref", "Parent column", "text", null, "parent_table.column"],
    ["noise", "Noise", "number", null, "numbers times 1 ± noise, below 1"],
    ["via", "Via foreign key", "list", null, "the key's columns, when two link the tables"],
  ],
  expression: [["expression", "Expression", "text", null, "quantity * unit_price, first_name || ' ' || last_name"]],
  aggregate: [
    ["function", "Function", "select", FUNCTIONS],
    ["ref", "Child rows", "text", null, "child_table or child_table.column"],
    ["expression", "Expression", "text", null, "over the child's columns (instead of a column)"],
  ],
  after: [
    ["ref", "After", "text", null, "column, or parent_table.column"],
    ["distribution", "Offset (days)", "select", ["", ...DISTRIBUTIONS]],
    ["params", "Parameters", "params"],
    ["max", "Not after", "scalar", null, "ISO date; default the reference date"],
  ],
};

const params = (p) =>
  Object.entries(p || {})
    .map(([k, v]) => `${k}=${+Number(v).toPrecision(4)}`)
    .join(", ");


const when = (v) => (typeof v === "string" && /^\d{4}-\d\d-\d\dT/.test(v) ? v.replace("T", " ").replace(/( 00:00)?:00$/, "") : v);

const bounds = (r) => {
  const min = when(r.min);
  const max = when(r.max);
  if (min == null && max == null) return "";
  if (min != null && max != null) return `${fmtValue(min)} – ${fmtValue(max)}`;
  return min != null ? `≥ ${fmtValue(min)}` : `≤ ${fmtValue(max)}`;
};

// a short phrase for the rule's parameters (its kind is shown beside it)
export function describeRule(rule) {
  if (!rule) return "no rule: filled by type";
  switch (rule.kind) {
    case "distribution": {
      const b = bounds(rule);
      return `${rule.distribution}(${params(rule.params)})${b ? `, ${b}` : ""}`;
    }
    case "range":
      return bounds(rule) || "any value";
    case "categorical":
      return `${rule.values.length} values${rule.weights ? "" : ", skewed by default"}`;
    case "sequence":
      return `from ${rule.start ?? 1}, step ${rule.step ?? 1}`;
    case "boolean":
      return `true in ${fmtPercent(rule.probability ?? 0.5)} of rows`;
    case "constant":
      return `always ${fmtValue(rule.value)}`;
    case "pattern":
      return rule.pattern;
    case "faker":
      return `${rule.provider}${rule.locale ? ` (${rule.locale})` : ""}`;
    case "text":
      return rule.min_length != null || rule.max_length != null ? `${rule.min_length ?? 0}–${rule.max_length ?? "…"} characters` : "random words";
    case "uuid":
      return "random UUIDs";
    case "json":
      return "JSON documents";
    case "geo":
      return `${rule.field}${rule.locale ? ` in ${rule.locale}` : ""}${rule.group ? ` · group ${rule.group}` : ""}`;
    case "person":
      return `${rule.field}${rule.locale ? ` (${rule.locale})` : ""}`;
    case "lookup":
      return `= ${rule.ref}${rule.noise ? ` ± ${fmtPercent(rule.noise)}` : ""}`;
    case "expression":
      return `= ${rule.expression}`;
    case "aggregate":
      return `= ${rule.function}(${rule.expression ? `${rule.ref}: ${rule.expression}` : rule.ref})`;
    case "after": {
      const offset = rule.distribution ? ` + ${rule.distribution}(${params(rule.params)}) days` : "";
      return `after ${rule.ref}${offset}`;
    }
    default:
      return rule.kind;
  }
}

// categorical values with their share, largest first
export function valueShares(rule) {
  const values = rule.values || [];
  const weights = rule.weights || values.map(() => 1);
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  return values.map((value, i) => ({ value, share: weights[i] / total }));
}

// the rule as the PATCH sends it: empty fields dropped, numbers as numbers
export function cleanRule(rule) {
  const out = {};
  for (const [key, value] of Object.entries(rule)) {
    if (key === "source") continue;
    if (value === "" || value === null || value === undefined) continue;
    if (key === "params" && Object.keys(value).length === 0) continue;
    if (key === "unique" && value === false) continue;
    if (key === "null_ratio" && value === 0) continue;
    out[key] = value;
  }
  return out;
}
