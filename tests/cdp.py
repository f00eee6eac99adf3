"""A small Chrome DevTools Protocol client over its websocket (standard library only), for the phone tests.

Headless Chromium listens on a loopback port; every phone is a page in a browser context of its
own, so each has its own localStorage (its own voter id), as separate phones would.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import time
from pathlib import Path

CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--remote-debugging-address=127.0.0.1",
         "--remote-debugging-port=0"]


class Browser:
    """One headless Chromium with a fresh profile, driven over one websocket."""

    def __init__(self, profile: Path, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.process = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        marker = profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not (marker.is_file() and len(marker.read_text().splitlines()) >= 2):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not start its DevTools endpoint")
            time.sleep(0.05)
        port, path = marker.read_text().splitlines()[:2]
        self.sock = socket.create_connection(("127.0.0.1", int(port)), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          .encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert b" 101 " in head.split(b"\r\n")[0], head
        self._next = 0

    # -- websocket frames ----------------------------------------------------------------
    def _send(self, text: str) -> None:
        data, mask = text.encode(), os.urandom(4)
        n = len(data)
        header = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                  bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else
                                  bytes([0x80 | 127]) + struct.pack(">Q", n))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("chromium closed the DevTools connection")
            data += chunk
        return data

    def _receive(self) -> str:
        message = b""
        while True:
            first, second = self._exact(2)
            n = second & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            message += self._exact(n)
            if first & 0x80:
                return message.decode()

    # -- the protocol --------------------------------------------------------------------
    def send(self, method: str, session: str | None = None, **params) -> dict:
        """Call ``method`` (in a page's ``session``) and return its result; events meanwhile are dropped."""
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._send(json.dumps(message))
        while True:
            answer = json.loads(self._receive())
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer["result"]

    def phone(self, url: str, width: int = 390, height: int = 844) -> Phone:
        """A new phone (its own browser context) with ``url`` open."""
        context = self.send("Target.createBrowserContext")["browserContextId"]
        target = self.send("Target.createTarget", url="about:blank", browserContextId=context)["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Emulation.setDeviceMetricsOverride", session, width=width, height=height,
                  deviceScaleFactor=2, mobile=True)
        self.send("Page.enable", session)
        self.send("Page.navigate", session, url=url)
        phone = Phone(self, session)
        phone.wait("document.readyState === 'complete' && document.getElementById('line') !== null")
        return phone

    def close(self) -> None:
        """Stop Chromium."""
        if getattr(self, "sock", None):
            self.sock.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Phone:
    """One page of the browser: evaluate, wait, tap, screenshot."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser, self.session = browser, session

    def eval(self, expression: str):
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.browser.send("Runtime.evaluate", self.session, expression=expression, awaitPromise=True,
                                   returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def wait(self, condition: str, timeout: float = 15.0) -> None:
        """Wait until ``condition`` (a JavaScript expression) holds in the page."""
        deadline = time.monotonic() + timeout
        while not self.eval(f"Boolean({condition})"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the page never showed: {condition}")
            time.sleep(0.05)

    def text(self, element_id: str) -> str:
        """The text of the element with this id."""
        return self.eval(f"document.getElementById({json.dumps(element_id)}).textContent")

    def tap(self, number: int) -> None:
        """Tap the option with this number."""
        self.eval(f"document.querySelector('.option[data-number=\"{number}\"]').click()")

    def screenshot(self, path: Path) -> None:
        """Save what the phone shows as a PNG."""
        data = self.browser.send("Page.captureScreenshot", self.session, format="png", captureBeyondViewport=False)
        path.write_bytes(base64.b64decode(data["data"]))
