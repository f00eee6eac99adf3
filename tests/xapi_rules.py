"""The xAPI 1.0.3 statement rules (xAPI-Data.md, section 2.4) the export must keep, as a checker.

Returns the list of broken rules; [] means the statement is valid as far as these rules go.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlparse

DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
TOP = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version",
       "attachments"}


def _iri(value) -> bool:
    return isinstance(value, str) and bool(urlparse(value).scheme) and " " not in value


def _language_map(value) -> bool:
    return isinstance(value, dict) and bool(value) and all(LANGUAGE_TAG.match(k) and isinstance(v, str)
                                                           for k, v in value.items())


def _uuid(value) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower()
    except (ValueError, AttributeError, TypeError):
        return False


def check(statement: dict) -> list[str]:
    """The rules ``statement`` breaks."""
    broken = [f"unknown property {k}" for k in statement if k not in TOP]
    if "id" in statement and not _uuid(statement["id"]):
        broken.append("id is not a UUID")
    actor = statement.get("actor", {})
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in actor]
    if len(ifis) != 1:
        broken.append("an Agent has exactly one inverse functional identifier")
    account = actor.get("account", {})
    if "account" in actor and not (_iri(account.get("homePage")) and isinstance(account.get("name"), str)
                                   and account.get("name")):
        broken.append("account needs homePage (IRL) and name")
    verb = statement.get("verb", {})
    if not _iri(verb.get("id")) or ("display" in verb and not _language_map(verb["display"])):
        broken.append("verb needs an IRI id and a language-map display")
    obj = statement.get("object", {})
    if obj.get("objectType", "Activity") == "Activity":
        if not _iri(obj.get("id")):
            broken.append("activity id is not an IRI")
        definition = obj.get("definition", {})
        if "name" in definition and not _language_map(definition["name"]):
            broken.append("definition name is not a language map")
        if "type" in definition and not _iri(definition["type"]):
            broken.append("definition type is not an IRI")
    result = statement.get("result", {})
    score = result.get("score", {})
    if "scaled" in score and not -1 <= score["scaled"] <= 1:
        broken.append("score.scaled is outside -1..1")
    if "min" in score and "max" in score and not score["min"] < score["max"]:
        broken.append("score.min is not below max")
    if "raw" in score and not score.get("min", score["raw"]) <= score["raw"] <= score.get("max", score["raw"]):
        broken.append("score.raw is outside min..max")
    for flag in ("success", "completion"):
        if flag in result and not isinstance(result[flag], bool):
            broken.append(f"result.{flag} is not a boolean")
    if "duration" in result and not DURATION.match(result["duration"]):
        broken.append("duration is not ISO 8601")
    for key in result.get("extensions", {}):
        if not _iri(key):
            broken.append(f"extension key {key} is not an IRI")
    context = statement.get("context", {})
    if "registration" in context and not _uuid(context["registration"]):
        broken.append("registration is not a UUID")
    if "language" in context and not LANGUAGE_TAG.match(context["language"]):
        broken.append("context.language is not an RFC 5646 tag")
    if "version" in statement and not str(statement["version"]).startswith("1.0."):
        broken.append("version does not start with 1.0.")
    return broken
