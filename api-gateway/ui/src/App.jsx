// The shell: top bar (home, health, theme), the page of the current address, toasts.
import { useEffect, useState } from "preact/hooks";

import { TokenPrompt } from "./components/TokenPrompt.jsx";
import { Icon } from "./components/ui.jsx";
import { api } from "./lib/api.js";
import { useInterval } from "./lib/hooks.js";
import { href, useRoute } from "./lib/router.js";
import { dismiss, setTheme, theme, toasts, useStore } from "./lib/store.js";
import { CreateExperiment } from "./pages/CreateExperiment.jsx";
import { ExperimentList } from "./pages/ExperimentList.jsx";
import { ExperimentPage } from "./pages/ExperimentPage.jsx";

export function App() {
  const route = useRoute();
  useEffect(() => {
    const titles = { list: "Experiments", new: "New experiment", experiment: route.name };
    document.title = `${titles[route.page]} · dw-sim`;
  }, [route.page, route.name]);
  return (
    <>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href={href.list()} aria-label="dw-sim: experiments">
          <span class="brand-mark"><Icon name="database" size={18} /></span>
          <span class="brand-name">dw-sim</span>
        </a>
        <nav class="topnav" aria-label="Main">
          <a href={href.list()} class={route.page === "list" ? "active" : ""}>Experiments</a>
          <a href="/docs" target="_blank" rel="noopener">API docs</a>
        </nav>
        <div class="topbar-right">
          <HealthDot />
          <ThemeToggle />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === "list" && <ExperimentList />}
        {route.page === "new" && <CreateExperiment />}
        {route.page === "experiment" && <ExperimentPage key={route.name} name={route.name} tab={route.tab} />}
      </main>
      <Toasts />
      <TokenPrompt />
    </>
  );
}

function ThemeToggle() {
  const choice = useStore(theme);
  const options = [
    { value: "light", icon: "sun", label: "Light theme" },
    { value: "dark", icon: "moon", label: "Dark theme" },
    { value: "system", icon: "monitor", label: "Theme of the system" },
  ];
  return (
    <div class="segmented segmented-icons" role="radiogroup" aria-label="Theme">
      {options.map((o) => (
        <button key={o.value} type="button" role="radio" aria-checked={choice === o.value ? "true" : "false"}
          aria-label={o.label} title={o.label} class={choice === o.value ? "on" : ""}
          onClick={() => setTheme(o.value)}>
          <Icon name={o.icon} />
        </button>
      ))}
    </div>
  );
}

function HealthDot() {
  const [health, setHealth] = useState(null);
  const [open, setOpen] = useState(false);
  // a dependency that is slow once (a busy machine) is asked again before it is shown as down
  const check = async (retry = true) => {
    let next;
    try {
      next = await api.health();
    } catch (err) {
      next = { status: "down", dependencies: [], error: err.message };
    }
    if (next.status !== "ok" && retry) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return check(false);
    }
    setHealth(next);
  };
  useEffect(() => {
    check();
  }, []);
  useInterval(check, 15_000);
  if (!health) return null;
  const down = health.dependencies.filter((d) => d.status !== "ok");
  const label = health.error ? "gateway unreachable" : down.length ? `${down.length} service${down.length > 1 ? "s" : ""} down` : "all services up";
  return (
    <div class="health">
      <button type="button" class={`health-btn ${down.length || health.error ? "bad" : "good"}`}
        aria-expanded={open ? "true" : "false"} onClick={() => setOpen(!open)}>
        <span class="dot" aria-hidden="true" />
        {label}
      </button>
      {open && (
        <div class="popover" role="dialog" aria-label="Services" onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
          {health.error && <p class="muted">{health.error}</p>}
          <ul class="health-list">
            {health.dependencies.map((d) => (
              <li key={d.name}>
                <span class={`dot ${d.status === "ok" ? "good" : "bad"}`} aria-hidden="true" />
                <span class="health-name">{d.name}</span>
                <span class="muted mono">{d.address}</span>
                {d.detail && <span class="health-detail">{d.detail}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function Toasts() {
  const list = useStore(toasts);
  return (
    <div class="toasts" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} class={`toast toast-${t.tone}`}>
          <span>{t.message}</span>
          <button type="button" class="icon-btn" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            <Icon name="x" />
          </button>
        </div>
      ))}
    </div>
  );
}
