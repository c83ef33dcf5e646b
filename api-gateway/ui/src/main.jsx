import { render } from "preact";

import { App } from "./App.jsx";
import "./styles/base.css";
import "./styles/components.css";
import "./styles/pages.css";
import "./styles/schema.css";
import "./styles/data.css";

render(<App />, document.getElementById("app"));
