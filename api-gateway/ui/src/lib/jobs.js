// Following an experiment's job: found again after a reload (active jobs), polled to its end,
// with rows/s per table measured between polls.
import { useEffect, useRef, useState } from "preact/hooks";

import { api } from "./api.js";
import { useInterval } from "./hooks.js";

export const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);
const POLL_MS = 500;

// the stages a job of each kind goes through, in order
export function stagesOf(job) {
  if (job.kind === "generate") {
    const stages = ["plan", "generate", "stage"];
    const loads = "load" in (job.progress.timings || {}) || job.progress.stage === "load" || job.loadRequested !== false;
    return loads ? [...stages, "load"] : stages;
  }
  return [job.kind];
}

export function useJobTracker(name, { onFinished, initialJobId } = {}) {
  const [job, setJob] = useState(null);
  const [rates, setRates] = useState({});
  const [pollError, setPollError] = useState(null);
  const samples = useRef({}); // table -> {t, done, rate, first, finished}
  const finished = useRef(onFinished);
  finished.current = onFinished;

  const follow = (id, extra = {}) => {
    samples.current = {};
    setRates({});
    setJob({ id, kind: extra.kind || "generate", status: "queued", progress: { tables: {}, timings: {} }, ...extra });
  };

  // on opening the page: the job just started elsewhere, else a job still running
  useEffect(() => {
    let cancelled = false;
    (async () => {
      if (initialJobId) return follow(initialJobId, { kind: "materialize" });
      try {
        const active = await api.activeJobs(name);
        if (!cancelled && active && active.length) follow(active[0].id, active[0]);
      } catch {
        /* no list of active jobs: nothing to follow */
      }
    })();
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [name]);

  const active = job && !TERMINAL.has(job.status);
  useInterval(async () => {
    let next;
    try {
      next = await api.job(job.id);
      setPollError(null);
    } catch (err) {
      setPollError(err);
      return;
    }
    measure(next);
    setJob((prev) => ({ ...next, loadRequested: prev?.loadRequested }));
    if (TERMINAL.has(next.status)) finished.current?.(next);
  }, POLL_MS, Boolean(active));

  function measure(next) {
    const now = performance.now() / 1000;
    const out = {};
    for (const [table, p] of Object.entries(next.progress.tables || {})) {
      const s = samples.current[table];
      const done = p.rows_done || 0;
      if (!s) {
        samples.current[table] = { t: now, done, rate: null, first: done > 0 ? now : null, finished: null };
      } else {
        const dt = now - s.t;
        if (dt > 0 && done > s.done) {
          const instant = (done - s.done) / dt;
          s.rate = s.rate == null ? instant : 0.6 * instant + 0.4 * s.rate;
        }
        if (s.first == null && done > 0) s.first = s.t;
        if (s.finished == null && p.rows_total && done >= p.rows_total) {
          s.finished = now;
          const span = now - (s.first ?? s.t);
          s.average = span > 0.25 ? done / span : s.rate;
        }
        s.t = now;
        s.done = done;
      }
      const cur = samples.current[table];
      out[table] = cur.finished != null ? cur.average : cur.rate;
    }
    setRates(out);
  }

  return { job, rates, pollError, follow, active: Boolean(active) };
}
