// The gateway's API token (DWSIM_API_TOKEN), when it has one: asked for on a 401 by the
// "API token" dialog (TokenPrompt), kept for this tab (sessionStorage) or, if asked to be
// remembered, for this browser (localStorage); sent by every API call as a bearer header.
import { createStore } from "./store.js";

const KEY = "dwsim.apiToken";
let memory = null; // when the browser keeps no storage (private mode)

function storage(kind) {
  try {
    return kind === "local" ? window.localStorage : window.sessionStorage;
  } catch {
    return null;
  }
}

export function getToken() {
  for (const kind of ["session", "local"]) {
    try {
      const token = storage(kind)?.getItem(KEY);
      if (token) return token;
    } catch {
      /* storage refused: try the next */
    }
  }
  return memory;
}

export function setToken(token, remember = false) {
  forgetToken();
  try {
    storage(remember ? "local" : "session").setItem(KEY, token);
  } catch {
    memory = token;
  }
}

export function forgetToken() {
  memory = null;
  for (const kind of ["session", "local"]) {
    try {
      storage(kind)?.removeItem(KEY);
    } catch {
      /* nothing kept there */
    }
  }
}

// `headers` plus "Authorization: Bearer <token>" when there is a token
export function withToken(headers) {
  const token = getToken();
  return token ? { ...headers, Authorization: `Bearer ${token}` } : headers;
}

// the open prompt: {message (the gateway's 401 detail), refused (a token was sent)}, or null
export const tokenPrompt = createStore(null);
let waiting = null;

// Show the prompt with the gateway's message; resolves true once a token is entered (retry),
// false if the person cancels. Calls refused together share one prompt. `sent` is the token
// the refused call carried: if another has been entered since, the call just tries again.
export function askForToken(message, sent) {
  const current = getToken();
  if (current && current !== sent) return Promise.resolve(true);
  const open = tokenPrompt.get();
  const refused = Boolean(current || open?.refused);
  forgetToken(); // refused: the token kept (if any) is wrong
  if (open?.message !== message || open?.refused !== refused) tokenPrompt.set({ message, refused });
  if (!waiting) {
    waiting = new Promise((resolve) => {
      const stop = tokenPrompt.subscribe((value) => {
        if (value !== null) return;
        stop();
        waiting = null;
        resolve(Boolean(getToken()));
      });
    });
  }
  return waiting;
}

// called by the prompt: a token to use (and keep), or null to give up
export function answerPrompt(token, remember) {
  if (token) setToken(token, remember);
  tokenPrompt.set(null);
}
