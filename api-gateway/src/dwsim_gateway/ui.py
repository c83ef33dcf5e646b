"""The web UI: the single-page app built from ``api-gateway/ui`` (``make ui``) served at ``/``.

The build writes ``static/index.html`` and ``static/assets/`` (file names carry a hash of
their content, so they are cached for good; ``index.html`` never is). Until it has been built,
``/`` answers a plain page saying how to build it. Everything the UI does goes through the
public API at ``/api``; nothing here changes it.
"""

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

STATIC_DIR = Path(__file__).parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dw-sim: web UI not built</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}
code{background:#8882;padding:.1em .3em;border-radius:4px}</style></head>
<body><h1>dw-sim's web UI is not built</h1>
<p>The gateway is running, but the web UI's files are not here. Build them with
<code>make ui</code> (<code>make install</code> runs it), which needs Node.js 20 or newer and npm,
then reload this page.</p>
<p>The HTTP API works without it: <a href="/docs">/docs</a> describes it, <a href="/health">/health</a>
shows the state of every service.</p></body></html>
"""


def mount_ui(app: FastAPI, static_dir: Path = STATIC_DIR) -> None:
    """Serve the built UI at ``/`` and its files at ``/assets/``; checked on every request,
    so a UI built after the gateway started is served without a restart."""

    async def index() -> Response:
        page = static_dir / "index.html"
        if not page.is_file():
            return HTMLResponse(NOT_BUILT, headers={"Cache-Control": "no-store"})
        return FileResponse(page, media_type="text/html", headers={"Cache-Control": "no-cache"})

    async def asset(path: str) -> Response:
        root = (static_dir / "assets").resolve()
        file = (root / path).resolve()
        if not file.is_relative_to(root) or not file.is_file():
            return PlainTextResponse(f"no such file in the web UI: {path}", status_code=404)
        return FileResponse(file, headers={"Cache-Control": IMMUTABLE})

    app.add_api_route("/", index, methods=["GET"], include_in_schema=False)
    app.add_api_route("/assets/{path:path}", asset, methods=["GET"], include_in_schema=False)
