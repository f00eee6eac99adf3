"""Running the room's web server with uvicorn: in the foreground (headless) or beside the window."""

from __future__ import annotations

import asyncio
import socket
import threading

import uvicorn

from .hub import Hub
from .web import build_app


def lan_address() -> str:
    """This machine's address on the local network (what phones in the room can reach), else loopback.

    Connecting a UDP socket sends nothing; it only asks the OS which interface would be used.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere, no packet leaves
            return s.getsockname()[0]
        except OSError:
            return "127.0.0.1"


class RoomServer:
    """uvicorn serving one hub; ``port`` 0 picks a free port (read ``port`` once started)."""

    def __init__(self, hub: Hub, host: str, port: int = 0) -> None:
        self.hub = hub
        self.host = host
        config = uvicorn.Config(build_app(hub), host=host, port=port, log_level="warning", access_log=False,
                                limit_concurrency=600, timeout_keep_alive=30, lifespan="off",
                                timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port actually bound."""
        return self.server.servers[0].sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        """The join URL, http://HOST:PORT/r/CODE/."""
        return f"http://{self.host}:{self.port}/r/{self.hub.code}/"

    def run(self) -> None:
        """Serve in this thread until interrupted (or :meth:`stop`)."""
        self.server.run()

    def start(self, timeout: float = 10.0) -> None:
        """Serve in a background thread; returns once the port is bound."""
        self._thread = threading.Thread(target=self._serve, name="classroom-server", daemon=True)
        self._thread.start()
        done = threading.Event()

        def ready() -> bool:
            return self.server.started or not self._thread.is_alive()

        while not ready() and not done.wait(0.02):
            timeout -= 0.02
            if timeout <= 0:
                break
        if not self.server.started:
            raise OSError(f"the classroom server could not start on {self.host}")

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C still interrupts)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(0.5)

    def _serve(self) -> None:
        asyncio.run(self.server.serve())

    def stop(self) -> None:
        """Stop serving and close the hub's store."""
        self.hub.end_streams()
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.hub.close()
