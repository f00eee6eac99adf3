"""``export``: saved calls as xAPI 1.0.3 statements, one JSON object a line, for an LMS or LRS.

Shapes follow the xAPI 1.0.3 data model (adlnet/xAPI-Spec, xAPI-Data.md) and, where it fits, cmi5:

- every answered turn: verb ``http://adlnet.gov/expapi/verbs/responded``; object the turn's
  activity (type ``cmi.interaction``, interactionType ``choice``); ``result.response`` the answer
  as numbered in the scenario file; ``result.extensions`` under :data:`EXT`: ``techniques`` and
  ``mistakes`` (catalog ids), ``mood-change`` (customer mood after minus before) and
  ``response-time`` (milliseconds, only for answers a trainee gave). No timestamp: the store
  does not know when each turn was answered, and the statement does not pretend to.
- a turn answered in the trainee's own words (answer mode free or both) is a ``long-fill-in``
  interaction on its own activity (the turn's id plus ``/typed``, so no activity has two
  definitions): ``result.response`` is the typed text; the extensions add ``heard`` (each id the
  recogniser heard, with its confidence 0–1) and ``matched-response`` (the written answer the
  words were understood as, numbered as in the file); ``techniques`` and ``mistakes`` are what
  the words were scored with (docs/authoring.md, "Scoring a typed answer").
- every finished call: verb ``http://adlnet.gov/expapi/verbs/completed``; object the scenario;
  ``result.score`` scaled 0–1 (raw 0–100), ``success`` true when the customer was retained or
  the complaint resolved, ``completion`` true, ``duration`` from start to finish; timestamp the
  finish.
- actor: an Agent with the trainee's name and an account {homePage, name}: the organisation id
  when there is one, else the name. ``context.registration`` is one UUID per saved call.
- statement ids are UUIDs derived from the database, the call and the turn, so exporting or
  sending twice never makes duplicates (an LRS answers 204 or 409 to a known id).
The version property is left out (Learning Record Providers SHOULD NOT set it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from datetime import datetime

from ..core import scoring
from ..core.catalog import load_catalog
from ..core.engine import EngineError
from ..core.session_json import from_json
from ..core.text import pick
from ..files import write_atomic, write_problem
from ..reports import ReportError, SessionScenarios
from ..storage import lrs as lrs_module
from ..storage import use_database
from .report import add_filter_arguments, filters_from, open_store_for_reading

NAME = "export"
# The simulator's IRI space: activities, and the result extensions documented above and in the README.
BASE = os.environ.get("RETENTION_SIM_XAPI_BASE", "https://w3id.org/retention-sim/xapi").rstrip("/")
EXT = f"{BASE}/result"
HOMEPAGE = os.environ.get("RETENTION_SIM_XAPI_HOMEPAGE", "https://w3id.org/retention-sim/trainees")
RESPONDED = {"id": "http://adlnet.gov/expapi/verbs/responded", "display": {"en-US": "responded"}}
COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}}
SUCCESS_OUTCOMES = ("retained", "resolved")
LANGUAGE_TAGS = {"en": "en-US", "zh": "zh-CN"}


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``export`` sub-command's arguments."""
    exp = sub.add_parser(NAME, help="saved calls as xAPI statements (JSON lines) for an LMS or LRS")
    exp.add_argument("--xapi", metavar="FILE.jsonl", required=True, help="write xAPI 1.0.3 statements here")
    add_filter_arguments(exp)
    exp.add_argument("--include-scripted", action="store_true", help="also calls played by --script or --auto")
    exp.add_argument("--db", metavar="URL", help="session database: a file or SQLAlchemy URL")
    return exp


def _uuid(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(str(p) for p in parts)))


def _duration(seconds: float) -> str:
    """An ISO 8601 duration as xAPI wants it (0.01 s precision)."""
    return f"PT{max(seconds, 0):.2f}".rstrip("0").rstrip(".") + "S"


def actor(trainee: str, org_id: str) -> dict:
    """The trainee as an xAPI Agent identified by an account."""
    return {"objectType": "Agent", "name": trainee or "—",
            "account": {"homePage": HOMEPAGE, "name": org_id or trainee or "unnamed"}}


def statements(record, scenario, state, where: str, catalog) -> list[dict]:
    """The xAPI statements of one saved call: a responded per answered turn, a completed if it is over."""
    lang = LANGUAGE_TAGS.get(state.language, state.language)
    title = pick(scenario.title, state.language)
    call = f"{BASE}/scenarios/{scenario.id}"
    who = actor(record.trainee, record.trainee_org_id)
    registration = _uuid(where, record.id)
    parent = {"objectType": "Activity", "id": call,
              "definition": {"name": {lang: title}, "type": "http://adlnet.gov/expapi/activities/simulation"}}
    context = {"registration": registration, "language": lang, "contextActivities": {"parent": [parent]}}
    result = scoring.score(scenario, state, catalog)
    out = []
    for review in result.turns:
        extensions = {f"{EXT}/techniques": list(review.techniques),
                      f"{EXT}/mistakes": list(review.mistakes + review.auto_mistakes),
                      f"{EXT}/mood-change": review.mood_after - review.mood_before}
        if review.elapsed_ms is not None:
            extensions[f"{EXT}/response-time"] = review.elapsed_ms
        turn, kind, response = f"{call}/turns/{review.node}", "choice", str(review.response + 1)
        if review.said is not None:  # the trainee's own words: what they typed is the response
            turn, kind, response = f"{turn}/typed", "long-fill-in", review.said.text
            extensions[f"{EXT}/heard"] = {label: round(confidence, 4) for label, confidence in review.said.heard}
            extensions[f"{EXT}/matched-response"] = review.response + 1
        out.append({
            "id": _uuid(where, record.id, review.number), "actor": who, "verb": RESPONDED,
            "object": {"objectType": "Activity", "id": turn, "definition": {
                "name": {lang: f"{title} · {review.node}"}, "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "interactionType": kind}},
            "result": {"response": response, "extensions": extensions},
            "context": context,
        })
    if state.over and record.finished:
        outcome = scenario.endings[state.ending].outcome
        started, finished = datetime.fromisoformat(record.started_at), datetime.fromisoformat(record.updated_at)
        out.append({
            "id": _uuid(where, record.id, "completed"), "actor": who, "verb": COMPLETED, "object": parent,
            "result": {"score": {"scaled": round(result.total / 100, 4), "raw": result.total, "min": 0, "max": 100},
                       "success": outcome in SUCCESS_OUTCOMES, "completion": True,
                       "duration": _duration((finished - started).total_seconds())},
            "context": {k: v for k, v in context.items() if k != "contextActivities"},
            "timestamp": record.updated_at,
        })
    return out


def run(args: argparse.Namespace) -> int:
    """Write the statements of every matching saved call to the --xapi file."""
    if args.db:
        use_database(args.db)
    filters = filters_from(args)
    load, catalog, made_all, skipped = SessionScenarios(), load_catalog(), [], []
    lrs = os.environ.get("RETENTION_SIM_LRS")
    endpoint = lrs_module.Endpoint.parse(lrs) if lrs else None
    with open_store_for_reading() as store:
        where = store.where
        total = store.count(filters)
        for offset in range(0, total, 1000):
            for record in store.sessions(limit=1000, offset=offset, filters=filters)[::-1]:
                scenario = load(record.scenario_id, record.scenario_path)
                try:
                    state = from_json(scenario, record.state) if scenario is not None else None
                except EngineError:
                    state = None
                if state is None:
                    skipped.append(record.id)
                    continue
                made_all += statements(record, scenario, state, where, catalog)
        lines = [json.dumps(s, ensure_ascii=False) for s in made_all]
        _write(args.xapi, lines)
        print(f"{len(lines)} xAPI statement(s) from {total - len(skipped)} call(s) written to {args.xapi}")
        if endpoint is not None:
            _send(store, endpoint, made_all)
    if skipped:
        print(f"note: {len(skipped)} call(s) left out: their scenario is gone or no longer fits "
              f"(sessions {', '.join(map(str, skipped[:10]))}{'…' if len(skipped) > 10 else ''})")
    return 0


def _send(store, endpoint, made: list[dict]) -> None:
    """Queue the statements in the store, send what is queued, and say exactly what the LRS accepted."""
    new = lrs_module.queue(store, made)
    sent, why = lrs_module.send(store, endpoint)
    left = lrs_module.pending(store)
    print(f"LRS {endpoint.shown}: {new} statement(s) newly queued, {sent} accepted by the LRS, {left} still queued")
    if why:
        print(f"warning: {why}; the queued statements are kept in the session database and sent on the next export",
              file=sys.stderr)


def _write(path: str, lines: list[str]) -> None:
    try:
        write_atomic(path, "".join(line + "\n" for line in lines))
    except OSError as e:
        raise ReportError(f"cannot write {path}: {write_problem(path, e)}") from None

