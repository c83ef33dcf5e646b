// A modal dialog on the native <dialog>: focus stays inside, Escape closes it.
import { useEffect, useRef, useState } from "preact/hooks";

import { Banner, Button } from "./ui.jsx";

export function Dialog({ open, title, onClose, children, footer, wide, labelledBy = "dialog-title" }) {
  const ref = useRef(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return (
    <dialog ref={ref} class={`dialog ${wide ? "dialog-wide" : ""}`} aria-labelledby={labelledBy}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => e.target === ref.current && onClose()}>
      {open && (
        <div class="dialog-inner">
          <h2 id={labelledBy} class="dialog-title">{title}</h2>
          <div class="dialog-body">{children}</div>
          {footer && <div class="dialog-footer">{footer}</div>}
        </div>
      )}
    </dialog>
  );
}

// "Are you sure?": runs `onConfirm` (async); its error is shown in the dialog
export function ConfirmDialog({ open, title, children, confirmLabel, tone = "danger", onConfirm, onClose }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (open) setError(null);
  }, [open]);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} title={title} onClose={onClose} labelledBy="confirm-title"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant={tone} busy={busy} onClick={confirm} autoFocus>{confirmLabel}</Button>
        </>
      }>
      {children}
      {error && <Banner tone="danger">{error.message}</Banner>}
    </Dialog>
  );
}
