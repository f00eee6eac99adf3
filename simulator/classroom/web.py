"""The room's web application (Starlette): the phone page, the JSON API and live events.

Everything under ``/r/CODE/``; any other address, or a wrong code, is a 404. Phones may only
vote; the instructor's actions need the token (``Authorization: Bearer TOKEN``). Request bodies
are bounded, votes are rate-limited per voter (:class:`~simulator.classroom.hub.Hub`), the number
of live event streams is bounded, and every page is autoescaped and sent with a strict
Content-Security-Policy.
"""

from __future__ import annotations

import json
import re
import secrets
from importlib import resources

import jinja2
import segno
from markupsafe import escape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ..core.room import RoomError
from ..i18n import UI
from .hub import ACTIONS, Hub

MAX_BODY = 1024  # bytes: a vote is about 60
MAX_STREAMS = 400  # live event streams at once (a class is tens of phones)
KEEPALIVE = 15.0  # seconds between comments on an idle stream, so proxies keep it open
VOTER = re.compile(r"[A-Za-z0-9_-]{8,64}")
PAGE_KEYS = ("customer", "colon", "why", "instead", "call_over")
HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "X-Frame-Options": "DENY"}


class TooLarge(Exception):
    """A request body over MAX_BODY."""


def _env() -> jinja2.Environment:
    folder = resources.files("simulator") / "templates"
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def _strings() -> dict[str, dict[str, str]]:
    keys = [k for k in UI if k.startswith("room.")] + list(PAGE_KEYS)
    return {lang: {k: UI[k].get(lang) or UI[k]["en"] for k in keys} for lang in ("en", "zh")}


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status, headers=HEADERS)


async def _body(request: Request) -> object:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise TooLarge
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            raise TooLarge
    return json.loads(data or b"null")


def build_app(hub: Hub) -> Starlette:
    """The application serving one room."""
    env = _env()
    page = env.get_template("phone.html.j2")
    strings = _strings()
    streams = {"open": 0}

    def lang_of(request: Request) -> str:
        lang = request.query_params.get("lang", "")
        return lang if lang in hub.room.engine.scenario.languages else hub.room.state.language

    def room_of(request: Request) -> bool:
        return secrets.compare_digest(request.path_params["code"].encode(), hub.code.encode())

    async def phone(request: Request) -> Response:
        if not room_of(request):
            return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>404</title>"
                                f"<p>{escape(UI['room.not_found']['en'])}</p>"
                                f"<p>{escape(UI['room.not_found']['zh'])}</p>", 404, headers=HEADERS)
        lang = lang_of(request)
        view = hub.view(lang)
        nonce = secrets.token_urlsafe(12)
        boot = {"code": hub.code, "base": f"/r/{hub.code}/", "lang": lang, "view": view, "strings": strings}
        html = page.render(code=hub.code, lang=lang, view=view, strings=strings, boot=boot, nonce=nonce)
        csp = (f"default-src 'none'; connect-src 'self'; img-src 'self'; style-src 'nonce-{nonce}'; "
               f"script-src 'nonce-{nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
        return HTMLResponse(html, headers={**HEADERS, "Content-Security-Policy": csp})

    async def state(request: Request) -> Response:
        if not room_of(request):
            return _error(404, "no such room")
        return JSONResponse(hub.view(lang_of(request)), headers=HEADERS)

    async def vote(request: Request) -> Response:
        if not room_of(request):
            return _error(404, "no such room")
        try:
            body = await _body(request)
        except TooLarge:
            return _error(413, f"a vote is at most {MAX_BODY} bytes")
        except ValueError:
            return _error(400, "the body must be JSON: {\"voter\": \"...\", \"choice\": N}")
        voter = body.get("voter") if isinstance(body, dict) else None
        choice = body.get("choice") if isinstance(body, dict) else None
        if not isinstance(voter, str) or not VOTER.fullmatch(voter):
            return _error(400, "voter must be 8 to 64 letters, digits, - or _")
        if not isinstance(choice, int) or isinstance(choice, bool):
            return _error(400, "choice must be an option number")
        try:
            version = hub.vote(voter, choice)
        except RoomError as e:
            status = 429 if "too many" in str(e) else 409
            return _error(status, str(e))
        return JSONResponse({"ok": True, "version": version}, headers=HEADERS)

    async def act(request: Request) -> Response:
        if not room_of(request):
            return _error(404, "no such room")
        action = request.path_params["action"]
        if action not in ACTIONS:
            return _error(404, f"no action '{action}'")
        auth = request.headers.get("authorization", "")
        if not hub.token_ok(auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None):
            return _error(403, "this action needs the instructor's token")
        try:
            body = await _body(request)
        except (TooLarge, ValueError):
            return _error(400, "the body must be empty or small JSON")
        tie_break = body.get("tie_break") if isinstance(body, dict) else None
        try:
            version = hub.act(action, tie_break if isinstance(tie_break, int) else None)
        except RoomError as e:
            return _error(409, str(e))
        return JSONResponse({"ok": True, "version": version}, headers=HEADERS)

    async def events(request: Request) -> Response:
        if not room_of(request):
            return _error(404, "no such room")
        if streams["open"] >= MAX_STREAMS:
            return _error(503, "too many phones are listening; try again shortly")
        lang = lang_of(request)

        async def feed():
            streams["open"] += 1
            try:
                version = -1
                while not hub.closing:
                    changed = await hub.wait(version, KEEPALIVE)
                    if hub.closing:
                        break
                    if changed == version:
                        yield ": still here\n\n"
                        continue
                    version = changed
                    yield f"data: {json.dumps(hub.view(lang), ensure_ascii=False)}\n\n"
            finally:
                streams["open"] -= 1

        return StreamingResponse(feed(), media_type="text/event-stream", headers=HEADERS)

    async def qr(request: Request) -> Response:
        if not room_of(request):
            return _error(404, "no such room")
        url = str(request.base_url).rstrip("/") + f"/r/{hub.code}/"
        return Response(segno.make(url, error="m").svg_inline(scale=8), media_type="image/svg+xml", headers=HEADERS)

    return Starlette(routes=[
        Route("/r/{code}/", phone),
        Route("/r/{code}/qr.svg", qr),
        Route("/r/{code}/api/state", state),
        Route("/r/{code}/api/events", events),
        Route("/r/{code}/api/vote", vote, methods=["POST"]),
        Route("/r/{code}/api/{action}", act, methods=["POST"]),
    ])
