// The gateway's public HTTP API (/api), the only thing the UI talks to. Every call carries the
// API token when there is one; a 401 asks for it (token.js) and, once given, is tried again.
import { askForToken, getToken, withToken } from "./token.js";

export class ApiError extends Error {
  constructor(status, detail, path) {
    super(describeDetail(detail) || `HTTP ${status} from ${path}`);
    this.status = status;
    this.detail = detail;
    this.path = path;
  }

  // FastAPI's 422 list: [{loc, msg, type}], else []
  get fieldErrors() {
    return Array.isArray(this.detail) ? this.detail.filter((e) => e && e.loc) : [];
  }
}

export function describeDetail(detail) {
  if (detail == null) return "";
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((e) => (e && e.loc ? `${where(e.loc)}: ${e.msg}` : String(e)))
      .join("\n");
  }
  return JSON.stringify(detail);
}

function where(loc) {
  return loc.filter((p) => p !== "body" && p !== "experiment").join(".");
}

const enc = encodeURIComponent;

export async function request(method, path, body, { signal, headers } = {}) {
  for (;;) {
    const sent = getToken();
    const response = await send(path, {
      method,
      headers: withToken(body === undefined ? headers : { "content-type": "application/json", ...headers }),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    if (response.ok) return { data, headers: response.headers };
    const detail = data && typeof data === "object" && "detail" in data ? data.detail : data;
    if (response.status === 401 && (await askForToken(describeDetail(detail), sent))) continue;
    throw new ApiError(response.status, detail || response.statusText, path);
  }
}

async function send(path, init) {
  try {
    return await fetch(path, init);
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, `the gateway does not answer (${err.message}); is dw-sim running?`, path);
  }
}

const get = async (path, opts) => (await request("GET", path, undefined, opts)).data;
const call = async (method, path, body) => (await request(method, path, body)).data;

export const api = {
  health: () => get("/health"),
  experiments: () => get("/api/experiments"),
  experiment: (name) => get(`/api/experiments/${enc(name)}`),
  create: async (body) => {
    const { data, headers } = await request("POST", "/api/experiments", body);
    return { record: data, jobId: headers.get("X-Job-Id") };
  },
  patch: (name, body) => call("PATCH", `/api/experiments/${enc(name)}`, body),
  remove: (name) => call("DELETE", `/api/experiments/${enc(name)}`),
  generate: (name, body) => call("POST", `/api/experiments/${enc(name)}/generate`, body),
  estimate: (name, body) => call("POST", `/api/experiments/${enc(name)}/estimate`, body),
  load: (name, body) => call("POST", `/api/experiments/${enc(name)}/load`, body || {}),
  reset: (name) => call("POST", `/api/experiments/${enc(name)}/reset`),
  runs: (name) => get(`/api/experiments/${enc(name)}/runs`),
  activeJobs: (name) => get(`/api/experiments/${enc(name)}/jobs?active=true`),
  job: (id) => get(`/api/jobs/${enc(id)}`),
  cancelJob: (id) => call("POST", `/api/jobs/${enc(id)}/cancel`),
  query: (name, body, opts) =>
    request("POST", `/api/experiments/${enc(name)}/query`, body, opts).then((r) => r.data),
  checkSql: (name, body) => call("POST", `/api/experiments/${enc(name)}/check-sql`, body),
  cancelQuery: (queryId) => call("POST", `/api/queries/${enc(queryId)}/cancel`),
  profile: (name, table, { bins = 20, top = 10 } = {}, opts) =>
    get(`/api/experiments/${enc(name)}/tables/${enc(table)}/profile?bins=${bins}&top=${top}`, opts),
  savedQueries: (name) => get(`/api/experiments/${enc(name)}/queries`),
  saveQuery: (name, query, body) =>
    call("PUT", `/api/experiments/${enc(name)}/queries/${enc(query)}`, body),
  deleteQuery: (name, query) => call("DELETE", `/api/experiments/${enc(name)}/queries/${enc(query)}`),
};

// The full result of a query as CSV, streamed by the gateway, saved as a file.
export async function downloadCsv(name, sql, filename) {
  const path = `/api/experiments/${enc(name)}/query?format=csv`;
  let response;
  for (;;) {
    const sent = getToken();
    response = await send(path, {
      method: "POST",
      headers: withToken({ "content-type": "application/json" }),
      body: JSON.stringify({ sql }),
    });
    if (response.ok) break;
    const text = await response.text();
    let detail = text;
    try {
      detail = JSON.parse(text).detail;
    } catch {
      /* not JSON: the text itself */
    }
    if (response.status === 401 && (await askForToken(describeDetail(detail), sent))) continue;
    throw new ApiError(response.status, detail, "query");
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return blob.size;
}
