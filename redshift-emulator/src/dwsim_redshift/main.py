"""Run the emulator until SIGINT/SIGTERM: ``python -m dwsim_redshift.main`` or the dwsim command."""

import asyncio
import signal
import sys

from dwsim_redshift import logs
from dwsim_redshift.config import Settings, get_settings
from dwsim_redshift.server import EmulatorServer


async def serve(settings: Settings) -> None:
    # the handlers first: a SIGINT/SIGTERM while the server starts is a clean stop too
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server = EmulatorServer(settings)
    await server.start()
    try:
        await stop.wait()
    finally:
        await server.stop()


def run(settings: Settings) -> None:
    """Serve on uvloop (about half the per-statement overhead of asyncio's loop) if available."""
    logs.configure(settings.redshift_log_level)
    try:
        import uvloop
    except ImportError:
        asyncio.run(serve(settings))
        return
    uvloop.run(serve(settings))


if __name__ == "__main__":
    from dwsim_redshift.backend.connect import BackendUnavailable

    try:
        run(get_settings())
    except BackendUnavailable as exc:
        print(f"redshift emulator: error: {exc}", file=sys.stderr)
        sys.exit(2)
