"""Sending xAPI statements to a Learning Record Store, queued in the session database first.

``RETENTION_SIM_LRS`` names the LRS endpoint with its credentials for basic auth, e.g.
``https://key:secret@lrs.example.org/xapi/``. Statements are queued in the store (one row per
statement id, so a statement is never queued or sent twice) and then POSTed in batches to
``<endpoint>/statements`` with ``X-Experience-API-Version: 1.0.3``. What the LRS does not
accept (offline, refused, server error) stays queued with the reason and goes on the next run.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa

from .engine import StorageError, explain
from .schema import xapi_queue
from .sessions import Store, utc_now

XAPI_VERSION = "1.0.3"


@dataclass(frozen=True)
class Endpoint:
    """An LRS: where its statements resource is, and the basic-auth header (if credentials were given)."""

    statements_url: str
    authorization: str | None
    shown: str  # the endpoint without credentials, for messages

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        """The endpoint named by ``url`` (``https://user:password@host/path``)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StorageError(f"RETENTION_SIM_LRS must be an http(s) URL, not '{url}'")
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        base = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
        auth = None
        if parts.username is not None:
            pair = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
            auth = "Basic " + base64.b64encode(pair.encode()).decode()
        return cls(base + "/statements", auth, base)


def queue(store: Store, statements: list[dict]) -> int:
    """Queue statements not queued before; returns how many were new."""
    if not statements:
        return 0
    try:
        with store.engine.execution_options(writing=True).begin() as connection:
            known = set()
            ids = [s["id"] for s in statements]
            for start in range(0, len(ids), 500):
                known |= {r[0] for r in connection.execute(
                    sa.select(xapi_queue.c.statement_id).where(xapi_queue.c.statement_id.in_(ids[start:start + 500])))}
            new = [s for s in statements if s["id"] not in known]
            if new:
                now = utc_now()
                connection.execute(xapi_queue.insert(), [
                    {"statement_id": s["id"], "body": json.dumps(s, ensure_ascii=False), "queued_at": now}
                    for s in new])
    except (sa.exc.SQLAlchemyError, OSError) as e:
        raise explain(e, store.where) from None
    return len(new)


def pending(store: Store) -> int:
    """How many queued statements the LRS has not accepted yet."""
    with store.engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(xapi_queue)
                                      .where(xapi_queue.c.sent_at.is_(None))).scalar_one())


def _post(endpoint: Endpoint, bodies: list[str], timeout: float) -> None:
    data = ("[" + ",".join(bodies) + "]").encode()
    request = urllib.request.Request(endpoint.statements_url, data=data, method="POST", headers={
        "Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION})
    if endpoint.authorization:
        request.add_header("Authorization", endpoint.authorization)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # http(s) only: checked in parse
        response.read()


def send(store: Store, endpoint: Endpoint, batch: int = 50, timeout: float = 15.0) -> tuple[int, str | None]:
    """Send what is queued, oldest first; returns (statements accepted, why the rest are still queued or None)."""
    sent = 0
    while True:
        with store.engine.connect() as connection:
            rows = connection.execute(sa.select(xapi_queue.c.id, xapi_queue.c.body)
                                      .where(xapi_queue.c.sent_at.is_(None))
                                      .order_by(xapi_queue.c.id).limit(batch)).all()
        if not rows:
            return sent, None
        ids = [r.id for r in rows]
        try:
            _post(endpoint, [r.body for r in rows], timeout)
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip()[:200]
            why = f"the LRS at {endpoint.shown} answered {e.code} {e.reason}" + (f": {detail}" if detail else "")
        except (urllib.error.URLError, OSError) as e:
            why = f"the LRS at {endpoint.shown} cannot be reached ({getattr(e, 'reason', e)})"
        else:
            why = None
        with store.engine.execution_options(writing=True).begin() as connection:
            update = xapi_queue.update().where(xapi_queue.c.id.in_(ids))
            if why is None:
                connection.execute(update.values(sent_at=utc_now(), last_error=None,
                                                 attempts=xapi_queue.c.attempts + 1))
            else:
                connection.execute(update.values(last_error=why, attempts=xapi_queue.c.attempts + 1))
        if why is not None:
            return sent, why
        sent += len(ids)
