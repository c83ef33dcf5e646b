// Hash routes (#/, #/new, #/e/NAME/TAB): the gateway serves one page at / for all of them.
import { useEffect, useState } from "preact/hooks";

export function parseRoute(hash) {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "new") return { page: "new" };
  if (parts[0] === "e" && parts[1]) return { page: "experiment", name: parts[1], tab: parts[2] || "schema" };
  return { page: "list" };
}

export const href = {
  list: () => "#/",
  create: () => "#/new",
  experiment: (name, tab) => `#/e/${encodeURIComponent(name)}${tab ? `/${tab}` : ""}`,
};

export function navigate(to) {
  if (window.location.hash !== to) window.location.hash = to;
}

export function useRoute() {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
