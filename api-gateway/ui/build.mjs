// Builds the web UI into the gateway package (src/dwsim_gateway/static/), which serves it at /.
// `make ui` runs it after `npm install`; nothing is fetched at run time (no CDN, no dev server).
// DWSIM_UI_DEBUG=1 node build.mjs: an unminified bundle, to read a stack trace.
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const target = resolve(here, "../src/dwsim_gateway/static");
const staging = `${target}.building`;

await rm(staging, { recursive: true, force: true });
await mkdir(join(staging, "assets"), { recursive: true });
const result = await esbuild.build({
  entryPoints: [join(here, "src/main.jsx")],
  outdir: join(staging, "assets"),
  entryNames: "[name]-[hash]",
  bundle: true,
  minify: process.env.DWSIM_UI_DEBUG !== "1",
  format: "esm",
  target: ["chrome110", "firefox115", "safari16"],
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "eof",
  metafile: true,
  logLevel: "warning",
});
const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const script = outputs.find((p) => p.endsWith(".js"));
const style = outputs.find((p) => p.endsWith(".css"));
const template = await readFile(join(here, "src/index.html"), "utf8");
const page = template.replace("%SCRIPT%", `/assets/${script}`).replace("%STYLE%", `/assets/${style}`);
await writeFile(join(staging, "index.html"), page);
// swap in whole, so a running gateway never serves half a build
await rm(target, { recursive: true, force: true });
await rename(staging, target);
const size = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`web UI built: ${outputs.join(", ")} (${Math.round(size / 1024)} KiB) in ${target}`);
