// Small shared state: toasts (notices that outlive a page) and the theme.
import { useEffect, useState } from "preact/hooks";

export function createStore(initial) {
  let value = initial;
  const listeners = new Set();
  return {
    get: () => value,
    set(next) {
      value = typeof next === "function" ? next(value) : next;
      for (const listener of listeners) listener(value);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useStore(store) {
  const [value, setValue] = useState(store.get());
  useEffect(() => store.subscribe(setValue), [store]);
  return value;
}

export const toasts = createStore([]);
let nextToast = 1;

export function notify(message, tone = "info", timeoutMs = 6000) {
  const id = nextToast++;
  toasts.set((list) => [...list, { id, message, tone }]);
  if (timeoutMs) setTimeout(() => dismiss(id), timeoutMs);
  return id;
}

export const dismiss = (id) => toasts.set((list) => list.filter((t) => t.id !== id));

const THEME_KEY = "dwsim.theme";
const saved = (() => {
  try {
    return localStorage.getItem(THEME_KEY);
  } catch {
    return null;
  }
})();
export const theme = createStore(saved === "light" || saved === "dark" ? saved : "system");

export function setTheme(next) {
  theme.set(next);
  if (next === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = next;
  try {
    if (next === "system") localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, next);
  } catch {
    /* private mode: the choice lasts for this page */
  }
}

export function effectiveTheme(choice) {
  if (choice !== "system") return choice;
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}
