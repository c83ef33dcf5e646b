// The "API token" dialog: shown when the gateway answers 401 (it was started with
// DWSIM_API_TOKEN); says the gateway's message, takes the token, and the refused calls retry.
import { useEffect, useState } from "preact/hooks";

import { answerPrompt, tokenPrompt } from "../lib/token.js";
import { useStore } from "../lib/store.js";
import { Dialog } from "./Dialog.jsx";
import { Banner, Button, Field } from "./ui.jsx";

export function TokenPrompt() {
  const prompt = useStore(tokenPrompt);
  const [token, setToken] = useState("");
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => {
    setToken("");
    setError(null);
  }, [prompt]);
  const submit = (e) => {
    e?.preventDefault();
    const value = token.trim();
    if (!value) return setError("Enter the token the gateway was started with.");
    answerPrompt(value, remember);
  };
  return (
    <Dialog open={Boolean(prompt)} title="API token" onClose={() => answerPrompt(null)} labelledBy="token-title"
      footer={<><Button onClick={() => answerPrompt(null)}>Cancel</Button><Button variant="primary" icon="key" onClick={submit}>Use token</Button></>}>
      <form onSubmit={submit} class="stack">
        {prompt?.message && <Banner tone={prompt.refused ? "danger" : "info"}>{prompt.message}</Banner>}
        <Field label="API token" id="api-token" error={error}
          hint="The gateway's DWSIM_API_TOKEN. Sent with every API call as 'Authorization: Bearer'.">
          <input id="api-token" type="password" value={token} autoFocus autoComplete="off" spellcheck={false}
            aria-invalid={error ? "true" : undefined} onInput={(e) => setToken(e.currentTarget.value)} />
        </Field>
        <label class="checkbox">
          <input id="api-token-remember" type="checkbox" checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />
          Remember it on this browser (else it is kept until this tab is closed)
        </label>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
