"""The classroom's target (``make bench``): 60 phones on loopback, vote-to-tally p99 ≤ 100 ms.

The room's server runs as the real command (``classroom --serve --headless``) in its own process,
bound to 127.0.0.1 only. Sixty phones, each on its own keep-alive connection, vote several times
at jittered moments within the per-phone rate limit; a projector listens on the event stream.
Vote-to-tally is the time from a phone starting to send its vote to the projector receiving a
tally that includes it (the vote's answer names the room's version; the projector's events carry
the version they show).
"""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SCENARIO = "mobile-cancel-after-bill-shock"
TARGET_P99_MS = 100.0


class Connection:
    """A keep-alive HTTP/1.1 connection (just enough of the protocol for the room's API)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(*await asyncio.open_connection(HOST, port))

    async def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else b""
        self.writer.write(f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
                          f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return status, json.loads(await self.reader.readexactly(length))

    async def close(self) -> None:
        self.writer.close()
        try:
            await self.writer.wait_closed()
        except (ConnectionError, asyncio.CancelledError):
            pass


async def projector(port: int, code: str, seen: dict[int, float], ready: asyncio.Event) -> None:
    """Listen to the room's event stream, noting when each version was first shown."""
    connection = await Connection.open(port)
    connection.writer.write(f"GET /r/{code}/api/events HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    await connection.writer.drain()
    while (await connection.reader.readline()) not in (b"\r\n", b""):
        pass
    try:
        while True:
            line = await connection.reader.readline()
            if not line:
                return
            if line.startswith(b"data: "):
                version = json.loads(line[6:])["version"]
                seen.setdefault(version, time.perf_counter())
                ready.set()
    finally:
        await connection.close()


async def phone(port: int, code: str, number: int, votes: int, choices: int, sent: list[tuple[float, int]],
                rng: random.Random) -> None:
    """One phone: votes ``votes`` times, about twice a second at most (the room's rate limit)."""
    connection = await Connection.open(port)
    voter = f"bench-phone-{number:04d}"
    try:
        for _ in range(votes):
            await asyncio.sleep(rng.uniform(0.5, 1.5))
            start = time.perf_counter()
            status, answer = await connection.request("POST", f"/r/{code}/api/vote",
                                                      {"voter": voter, "choice": rng.randint(1, choices)})
            if status != 200:
                raise RuntimeError(f"phone {number}: vote refused ({status} {answer})")
            sent.append((start, answer["version"]))
    finally:
        await connection.close()


async def load(port: int, code: str, phones: int, votes: int, seed: int = 14) -> list[float]:
    """Run the phones against the room; the vote-to-tally latencies in milliseconds."""
    asking = await Connection.open(port)
    choices = len((await asking.request("GET", f"/r/{code}/api/state"))[1]["options"])
    await asking.close()
    seen: dict[int, float] = {}
    ready = asyncio.Event()
    listening = asyncio.create_task(projector(port, code, seen, ready))
    await asyncio.wait_for(ready.wait(), 10)
    sent: list[tuple[float, int]] = []
    rng = random.Random(seed)
    await asyncio.gather(*(phone(port, code, n, votes, choices, sent, random.Random(rng.random()))
                           for n in range(phones)))
    deadline = time.perf_counter() + 5
    while max(v for _, v in sent) not in seen and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
    listening.cancel()
    await asyncio.gather(listening, return_exceptions=True)
    latencies = []
    for start, version in sent:
        shown = min((t for v, t in seen.items() if v >= version), default=None)
        latencies.append(float("inf") if shown is None else (shown - start) * 1000)
    return sorted(latencies)


def start_room() -> tuple[subprocess.Popen, int, str]:
    """The room's server as the real command, on loopback; → (process, port, code)."""
    process = subprocess.Popen([sys.executable, "main.py", "classroom", SCENARIO, "--serve", "--headless", "--host",
                                HOST, "--port", "0", "--no-save"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    url = process.stdout.readline().strip().removeprefix("join: ")
    process.stdout.readline()  # the instructor token: not needed to vote
    port, code = url.split(":")[2].split("/")[0], url.rstrip("/").rsplit("/", 1)[1]
    return process, int(port), code


def measure(phones: int = 60, votes: int = 5) -> list[float]:
    """Start a room, load it with ``phones`` phones voting ``votes`` times each; the sorted latencies (ms)."""
    process, port, code = start_room()
    try:
        return asyncio.run(load(port, code, phones, votes))
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()


def p99(latencies: list[float]) -> float:
    """The 99th percentile of sorted latencies."""
    return latencies[max(0, int(len(latencies) * 0.99) - 1)]


def main() -> int:
    latencies = measure()
    ok = p99(latencies) <= TARGET_P99_MS
    print(f"classroom benchmark (60 phones on loopback, {len(latencies)} votes, server in its own process)")
    print(f"  vote-to-tally: median {latencies[len(latencies) // 2]:.1f} ms, p99 {p99(latencies):.1f} ms, "
          f"max {latencies[-1]:.1f} ms   (p99 ≤ {TARGET_P99_MS:.0f} ms)")
    print("  verdict:", "ok" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
