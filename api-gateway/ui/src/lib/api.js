// The gateway's public HTTP API (/api), the only thing the UI talks to.

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
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, `the gateway does not answer (${err.message}); is dw-sim running?`, path);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    const detail = data && typeof data === "object" && "detail" in data ? data.detail : data;
    throw new ApiError(response.status, detail || response.statusText, path);
  }
  return { data, headers: response.headers };
}

const get = async (path, opts) => (await request("GET", path, undefined, opts)).data;
const send = async (method, path, body) => (await request(method, path, body)).data;

export const api = {
  health: () => get("/health"),
  experiments: () => get("/api/experiments"),
  experiment: (name) => get(`/api/experiments/${enc(name)}`),
  create: async (body) => {
    const { data, headers } = await request("POST", "/api/experiments", body);
    return { record: data, jobId: headers.get("X-Job-Id") };
  },
  patch: (name, body) => send("PATCH", `/api/experiments/${enc(name)}`, body),
  remove: (name) => send("DELETE", `/api/experiments/${enc(name)}`),
  generate: (name, body) => send("POST", `/api/experiments/${enc(name)}/generate`, body),
  estimate: (name, body) => send("POST", `/api/experiments/${enc(name)}/estimate`, body),
  load: (name, body) => send("POST", `/api/experiments/${enc(name)}/load`, body || {}),
  reset: (name) => send("POST", `/api/experiments/${enc(name)}/reset`),
  runs: (name) => get(`/api/experiments/${enc(name)}/runs`),
  activeJobs: (name) => get(`/api/experiments/${enc(name)}/jobs?active=true`),
  job: (id) => get(`/api/jobs/${enc(id)}`),
  cancelJob: (id) => send("POST", `/api/jobs/${enc(id)}/cancel`),
  query: (name, body, opts) =>
    request("POST", `/api/experiments/${enc(name)}/query`, body, opts).then((r) => r.data),
  checkSql: (name, body) => send("POST", `/api/experiments/${enc(name)}/check-sql`, body),
  cancelQuery: (queryId) => send("POST", `/api/queries/${enc(queryId)}/cancel`),
  profile: (name, table, { bins = 20, top = 10 } = {}, opts) =>
    get(`/api/experiments/${enc(name)}/tables/${enc(table)}/profile?bins=${bins}&top=${top}`, opts),
  savedQueries: (name) => get(`/api/experiments/${enc(name)}/queries`),
  saveQuery: (name, query, body) =>
    send("PUT", `/api/experiments/${enc(name)}/queries/${enc(query)}`, body),
  deleteQuery: (name, query) => send("DELETE", `/api/experiments/${enc(name)}/queries/${enc(query)}`),
};

// The full result of a query as CSV, streamed by the gateway, saved as a file.
export async function downloadCsv(name, sql, filename) {
  let response;
  try {
    response = await fetch(`/api/experiments/${enc(name)}/query?format=csv`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sql }),
    });
  } catch (err) {
    throw new ApiError(0, `the gateway does not answer (${err.message})`, "query");
  }
  if (!response.ok) {
    const text = await response.text();
    let detail = text;
    try {
      detail = JSON.parse(text).detail;
    } catch {
      /* not JSON: the text itself */
    }
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
