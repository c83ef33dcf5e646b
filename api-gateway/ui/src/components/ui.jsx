// The building blocks every page uses: buttons, badges, banners, tabs, fields, progress.
import { useRef } from "preact/hooks";

const ICONS = {
  plus: "M12 5v14M5 12h14",
  play: "M7 4.5v15l12-7.5z",
  upload: "M12 16V4m0 0L7 9m5-5 5 5M5 20h14",
  download: "M12 4v12m0 0-5-5m5 5 5-5M5 20h14",
  trash: "M4 7h16M9 7V4h6v3m-8 0 1 13h8l1-13",
  reset: "M4 12a8 8 0 1 0 2.3-5.6M4 4v4h4",
  database: "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3v12c0 1.7-3.6 3-8 3s-8-1.3-8-3zM4 6c0 1.7 3.6 3 8 3s8-1.3 8-3M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3",
  load: "M12 3v10m0 0-4-4m4 4 4-4M4 15v3c0 1.7 3.6 3 8 3s8-1.3 8-3v-3",
  sun: "M12 4V2m0 20v-2m8-8h2M2 12h2m13.7-5.7 1.4-1.4M4.9 19.1l1.4-1.4m0-11.4L4.9 4.9m14.2 14.2-1.4-1.4M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z",
  moon: "M20 14.5A8 8 0 0 1 9.5 4 8 8 0 1 0 20 14.5z",
  monitor: "M3 5h18v11H3zM8 20h8M12 16v4",
  edit: "M4 20h4L19 9l-4-4L4 16zM14 6l4 4",
  x: "M6 6l12 12M18 6 6 18",
  check: "M5 12.5 10 17l9-10",
  key: "M14 10a4 4 0 1 0-3.5 4L12 15.5h2v2h2v2h3v-3l-5.5-5.5z",
  link: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
  save: "M5 4h11l3 3v13H5zM8 4v5h7V4M8 20v-6h8v6",
  alert: "M12 9v4m0 3.5v.5M10.3 4.3 2.6 18a2 2 0 0 0 1.7 3h15.4a2 2 0 0 0 1.7-3L13.7 4.3a2 2 0 0 0-3.4 0z",
  info: "M12 11v6m0-9.5v.5M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z",
  chevronLeft: "M15 6l-6 6 6 6",
  chevronRight: "M9 6l6 6-6 6",
  stop: "M7 7h10v10H7z",
  file: "M6 3h8l4 4v14H6zM14 3v4h4",
  table: "M4 5h16v14H4zM4 10h16M10 10v9",
};

export function Icon({ name, size = 16, class: cls = "" }) {
  return (
    <svg class={`icon ${cls}`} width={size} height={size} viewBox="0 0 24 24" aria-hidden="true"
      fill={name === "play" || name === "stop" ? "currentColor" : "none"} stroke="currentColor"
      stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      <path d={ICONS[name]} />
    </svg>
  );
}

export function Button({ variant = "secondary", size, icon, busy, children, class: cls = "", ...rest }) {
  return (
    <button type="button" class={`btn btn-${variant} ${size ? `btn-${size}` : ""} ${cls}`}
      disabled={busy || rest.disabled} aria-busy={busy ? "true" : undefined} {...rest}>
      {busy ? <Spinner /> : icon && <Icon name={icon} />}
      {children && <span>{children}</span>}
    </button>
  );
}

export const Spinner = ({ label }) => (
  <span class="spinner" role={label ? "status" : undefined} aria-label={label} />
);

const TONES = {
  completed: "success", succeeded: "success", ok: "success",
  running: "info", queued: "neutral",
  failed: "danger", down: "danger",
  cancelled: "warning", degraded: "warning",
};

export function StatusBadge({ status, children }) {
  if (!status) return <span class="badge badge-neutral">never run</span>;
  return (
    <span class={`badge badge-${TONES[status] || "neutral"}`} data-status={status}>
      {status === "running" && <span class="pulse" aria-hidden="true" />}
      {children || status}
    </span>
  );
}

export const Badge = ({ tone = "neutral", children, title, class: cls = "" }) => (
  <span class={`badge badge-${tone} ${cls}`} title={title}>{children}</span>
);

export function Banner({ tone = "info", title, children, onClose, action }) {
  return (
    <div class={`banner banner-${tone}`} role={tone === "danger" ? "alert" : "status"}>
      <Icon name={tone === "danger" || tone === "warning" ? "alert" : "info"} size={18} class="banner-icon" />
      <div class="banner-body">
        {title && <div class="banner-title">{title}</div>}
        <div class="banner-text">{children}</div>
      </div>
      {action}
      {onClose && (
        <button type="button" class="icon-btn" onClick={onClose} aria-label="Dismiss">
          <Icon name="x" />
        </button>
      )}
    </div>
  );
}

export function Empty({ icon = "database", title, children, actions }) {
  return (
    <div class="empty">
      <div class="empty-icon"><Icon name={icon} size={28} /></div>
      <h2>{title}</h2>
      {children && <p>{children}</p>}
      {actions && <div class="empty-actions">{actions}</div>}
    </div>
  );
}

// tabs as links (each tab has its own address); arrow keys move between them
export function Tabs({ tabs, current, label }) {
  const list = useRef(null);
  const onKeyDown = (e) => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const links = [...list.current.querySelectorAll("a")];
    const i = links.indexOf(document.activeElement);
    const next = links[(i + (e.key === "ArrowRight" ? 1 : links.length - 1)) % links.length];
    next.focus();
    e.preventDefault();
  };
  return (
    <nav class="tabs" aria-label={label} ref={list} onKeyDown={onKeyDown}>
      {tabs.map((t) => (
        <a key={t.id} href={t.href} class={`tab ${t.id === current ? "active" : ""}`}
          aria-current={t.id === current ? "page" : undefined}>
          {t.label}
          {t.badge}
        </a>
      ))}
    </nav>
  );
}

export function Field({ label, hint, error, children, id, class: cls = "" }) {
  return (
    <div class={`field ${error ? "has-error" : ""} ${cls}`}>
      {label && <label for={id}>{label}</label>}
      {children}
      {error ? <div class="field-error" role="alert">{error}</div> : hint && <div class="field-hint">{hint}</div>}
    </div>
  );
}

export function Select({ options, value, onChange, ...rest }) {
  return (
    <select value={value} onChange={(e) => onChange(e.currentTarget.value)} {...rest}>
      {options.map((o) => {
        const opt = typeof o === "string" ? { value: o, label: o || "—" } : o;
        return <option key={opt.value} value={opt.value}>{opt.label}</option>;
      })}
    </select>
  );
}

export function ProgressBar({ value, tone = "accent", label }) {
  const pct = Math.max(0, Math.min(1, value || 0));
  return (
    <div class={`progress progress-${tone}`} role="progressbar" aria-label={label}
      aria-valuemin="0" aria-valuemax="100" aria-valuenow={Math.round(pct * 100)}>
      <div class="progress-fill" style={{ width: `${pct * 100}%` }} />
    </div>
  );
}

export function Card({ title, actions, children, class: cls = "", id, subtitle }) {
  return (
    <section class={`card ${cls}`} id={id} aria-label={typeof title === "string" ? title : undefined}>
      {(title || actions) && (
        <header class="card-header">
          <div>
            {title && <h3 class="card-title">{title}</h3>}
            {subtitle && <div class="card-subtitle">{subtitle}</div>}
          </div>
          {actions && <div class="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

export const Kbd = ({ children }) => <kbd class="kbd">{children}</kbd>;

export const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
export const modKey = isMac ? "⌘" : "Ctrl";
