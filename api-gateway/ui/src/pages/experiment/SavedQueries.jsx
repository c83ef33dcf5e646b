// The experiment's saved queries: open one, save the editor's SQL under a name, delete one.
import { useState } from "preact/hooks";

import { ConfirmDialog, Dialog } from "../../components/Dialog.jsx";
import { Banner, Button, Field, Icon } from "../../components/ui.jsx";
import { api } from "../../lib/api.js";
import { fmtAge } from "../../lib/format.js";
import { useLoad } from "../../lib/hooks.js";
import { notify } from "../../lib/store.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/;

export function SavedQueries({ name, sql, loadedName, onOpen }) {
  const saved = useLoad(() => api.savedQueries(name), [name]);
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState(null);
  const list = saved.data || [];
  return (
    <aside class="side-list saved" aria-label="Saved queries">
      <div class="side-title">
        Saved queries
        <Button size="sm" variant="ghost" icon="save" onClick={() => setSaving(true)}>Save</Button>
      </div>
      {saved.error && <p class="muted small pad-x">Could not list them: {saved.error.message}</p>}
      {!saved.error && list.length === 0 && !saved.loading && (
        <p class="muted small pad-x">None yet. Save the query in the editor to keep it with this experiment.</p>
      )}
      {list.map((q) => (
        <div key={q.name} class={`side-item saved-item ${q.name === loadedName ? "on" : ""}`}>
          <button type="button" class="saved-open" onClick={() => onOpen(q)} title={q.sql}>
            <span class="saved-name">{q.name}</span>
            <span class="muted small">{q.description || fmtAge(q.updated_at)}</span>
          </button>
          <button type="button" class="icon-btn" aria-label={`Delete saved query ${q.name}`} onClick={() => setDeleting(q)}>
            <Icon name="trash" size={14} />
          </button>
        </div>
      ))}
      {saving && (
        <SaveDialog name={name} sql={sql} initial={loadedName} existing={list} onClose={() => setSaving(false)}
          onSaved={(q) => { saved.reload(); onOpen(q); }} />
      )}
      <ConfirmDialog open={Boolean(deleting)} title={`Delete the saved query ${deleting?.name}?`} confirmLabel="Delete"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          await api.deleteQuery(name, deleting.name);
          notify(`Deleted the saved query ${deleting.name}`, "success", 3000);
          saved.reload();
        }}>
        <pre class="code-preview">{deleting?.sql}</pre>
      </ConfirmDialog>
    </aside>
  );
}

function SaveDialog({ name, sql, initial, existing, onClose, onSaved }) {
  const [queryName, setQueryName] = useState(initial || "");
  const [description, setDescription] = useState(existing.find((q) => q.name === initial)?.description || "");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const replaces = existing.some((q) => q.name === queryName.trim());
  const save = async (e) => {
    e?.preventDefault();
    const n = queryName.trim();
    if (!NAME.test(n)) return setError({ field: true, message: "Start with a letter or digit; then letters, digits, spaces, _ . - (up to 100)." });
    if (!sql.trim()) return setError({ message: "The editor is empty." });
    setBusy(true);
    try {
      const q = await api.saveQuery(name, n, { sql, description: description.trim() || null });
      notify(`Saved the query ${n}`, "success", 3000);
      onSaved(q);
      onClose();
    } catch (err) {
      setError({ message: err.message, field: err.status === 422 });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open title="Save the query" onClose={onClose} labelledBy="save-query-title"
      footer={<><Button onClick={onClose}>Cancel</Button><Button variant="primary" busy={busy} onClick={save}>{replaces ? "Replace" : "Save"}</Button></>}>
      <form onSubmit={save} class="stack">
        <Field label="Name" id="saved-name" error={error?.field && error.message}
          hint={replaces ? "A saved query has this name: saving replaces it." : "Letters, digits, spaces, _ . -"}>
          <input id="saved-name" value={queryName} autoFocus onInput={(e) => setQueryName(e.currentTarget.value)} />
        </Field>
        <Field label="Description" id="saved-description" hint="Optional">
          <input id="saved-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </Field>
        {error && !error.field && <Banner tone="danger">{error.message}</Banner>}
        <pre class="code-preview">{sql}</pre>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
