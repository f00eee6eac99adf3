"""Loading a scenario: safe YAML → checked fields → the model, with every problem found in one pass.

The loader reports shape problems (missing or unknown fields, wrong types, bad enum values,
unknown technique ids, missing translations) itself, then hands the model to
:mod:`simulator.core.checks` for the graph checks. Nothing stops at the first error.
"""

from __future__ import annotations

import difflib
import hashlib
import operator
import os
import re
from collections.abc import Iterable

from . import checks
from .catalog import Catalog, load_catalog
from .diagnostics import Diagnostic, ScenarioError, make
from .model import (
    BUILTIN_VARIABLES,
    CHURN_CATEGORIES,
    DIFFICULTIES,
    EMOTIONS,
    LIFECYCLE_STAGES,
    MISTAKES_VARIABLE,
    OUTCOMES,
    PERSONALITIES,
    SEGMENTS,
    STEPS,
    TURN_LIMIT_ENDING,
    VALUE_ORIENTATIONS,
    Branch,
    Condition,
    Ending,
    Node,
    Offer,
    Persona,
    Playthrough,
    Pos,
    Response,
    Scenario,
    Value,
    Variant,
)
from .text import Text, first_control, printable
from .yamlsafe import MAX_BYTES, Marks, parse, read_text

ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LANG = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
FORMAT_VERSION = 1

TOP_FIELDS = (
    "format", "id", "title", "languages", "category", "difficulty", "situation", "objectives",
    "tags", "shuffle", "max_turns", "turn_limit_ending", "save_budget_months", "persona",
    "variants", "variables", "start", "nodes", "endings", "playthroughs",
)
TOP_REQUIRED = ("format", "id", "title", "languages", "category", "difficulty", "situation",
                "objectives", "persona", "start", "nodes", "endings")
PERSONA_FIELDS = ("name", "segment", "tenure_months", "plan", "monthly_spend", "currency",
                  "lifecycle_stage", "personality", "churn_category", "churn_reason",
                  "value_orientation", "mood", "churn_risk", "background")
PERSONA_REQUIRED = ("name", "segment", "tenure_months", "plan", "monthly_spend", "lifecycle_stage",
                    "personality", "churn_category", "churn_reason", "value_orientation", "mood")
VARIANT_FIELDS = ("id", "personality", "name", "mood", "value_orientation", "churn_reason", "background")
NODE_FIELDS = ("step", "customer", "emotion", "responses")
RESPONSE_FIELDS = ("text", "techniques", "mistakes", "mood", "feedback", "instead", "next", "if",
                   "set", "add", "offer", "by_personality")
OVERRIDE_FIELDS = ("mood", "feedback", "instead", "next", "techniques", "mistakes")
ENDING_FIELDS = ("outcome", "customer", "emotion", "debrief", "points")
PLAYTHROUGH_FIELDS = ("name", "choices", "ending", "score", "lang", "variant")
OPERATORS = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
             "gt": operator.gt, "ge": operator.ge}

TURN_LIMIT_DEBRIEF = {
    "en": "The call went round in circles until the customer ran out of patience and hung up "
          "without a decision. Move the call forward: confirm the real reason, propose, then close.",
    "zh": "通话一直在原地打转，客户失去耐心，没有做出决定就挂断了。要推动通话向前："
          "确认真实原因、提出方案，然后圆满收尾。",
}


def load(path: str, catalog: Catalog | None = None) -> Scenario:
    """Load and fully check the scenario at ``path``.

    Raises :class:`ScenarioError` carrying every diagnostic when there is any error.
    """
    scenario, diagnostics = load_with_diagnostics(path, catalog)
    if scenario is None or any(d.severity == "error" for d in diagnostics):
        raise ScenarioError(diagnostics)
    return scenario


def load_with_diagnostics(path: str, catalog: Catalog | None = None) -> tuple[Scenario | None, list[Diagnostic]]:
    """Load ``path``; return the scenario (None when it cannot be built) and all diagnostics."""
    text, diagnostics = read_text(path)
    if text is None:
        return None, diagnostics
    return load_text(text, path, catalog)


def load_text(text: str, path: str = "<text>", catalog: Catalog | None = None,
              max_bytes: int = MAX_BYTES) -> tuple[Scenario | None, list[Diagnostic]]:
    """Load a scenario from YAML ``text``; ``path`` is used in diagnostics.

    ``max_bytes`` raises the size limit for generated giants (benchmarks); authors get the default.
    """
    parsed = parse(text, path, max_bytes)
    if parsed.data is None and parsed.diagnostics:
        return None, parsed.diagnostics
    builder = _Builder(path, parsed.marks, catalog or load_catalog())
    builder.diagnostics.extend(parsed.diagnostics)
    scenario = builder.build(parsed.data, hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])
    if scenario is not None and not any(d.severity == "error" for d in builder.diagnostics):
        builder.diagnostics.extend(checks.check(scenario))
    return scenario, builder.diagnostics


def find_scenario_files(paths: Iterable[str]) -> list[str]:
    """Expand files and folders into a sorted list of ``.yaml``/``.yml`` files."""
    found: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, files in os.walk(p):
                found.extend(os.path.join(root, f) for f in files if f.endswith((".yaml", ".yml")))
        else:
            found.append(p)
    return sorted(found)


def _suggest(word: object, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def _kind(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class _Builder:
    """Walks the parsed data once, building the model and collecting diagnostics."""

    def __init__(self, path: str, marks: Marks, catalog: Catalog):
        self.path = path
        self.marks = marks
        self.catalog = catalog
        self.diagnostics: list[Diagnostic] = []
        self.languages: tuple[str, ...] = ()
        self.variables: dict[str, Value] = {}
        self.slots: dict[str, int] = {}
        self.mistakes_slot = 0
        self.broken = False  # a required part could not be built

    # -- diagnostics ---------------------------------------------------------------------
    def err(self, code: str, pos: Pos, **fields: object) -> None:
        self.diagnostics.append(make(code, self.path, pos[0], pos[1], **fields))

    def fields(self, data: dict, allowed: tuple[str, ...], required: tuple[str, ...], where: str) -> None:
        for key in data:
            if key not in allowed:
                hint = _suggest(key, allowed).strip() or f"Allowed here: {', '.join(allowed)}."
                self.err("SC002", self.marks.of_key(data, key), field=key, where=where, suggestion=hint)
        for key in required:
            if key not in data:
                self.err("SC001", self.marks.of(data), field=key, where=where)

    def mapping(self, parent: dict | list, key: object, field: str) -> dict | None:
        value = parent[key]
        if isinstance(value, dict):
            return value
        self.err("SC003", self.marks.of_value(parent, key), field=field, expected="a mapping", actual=_kind(value))
        return None

    def listing(self, parent: dict, key: str) -> list | None:
        value = parent[key]
        if isinstance(value, list):
            return value
        self.err("SC003", self.marks.of_value(parent, key), field=key, expected="a list", actual=_kind(value))
        return None

    # -- scalars -------------------------------------------------------------------------
    def text(self, parent: dict | list, key: object, field: str) -> Text | None:
        value = parent[key]
        pos = self.marks.of_value(parent, key)
        if isinstance(value, str):
            if not value.strip():
                self.err("SC007", pos, field=field)
                return None
            if len(self.languages) > 1:
                example = ", ".join(f"{lang}: …" for lang in self.languages)
                self.err("LG003", pos, languages=list(self.languages), example=example)
            self.controls(value, pos)
            return {"*": value}
        if isinstance(value, dict):
            result: dict[str, str] = {}
            for lang, s in value.items():
                lpos = self.marks.of_value(value, lang)
                if not LANG.match(lang):
                    self.err("SC009", self.marks.of_key(value, lang), value=lang)
                elif self.languages and lang not in self.languages:
                    self.err("LG002", self.marks.of_key(value, lang), lang=lang)
                if not isinstance(s, str):
                    self.err("SC003", lpos, field=f"{field}.{lang}", expected="text", actual=_kind(s))
                elif not s.strip():
                    self.err("SC007", lpos, field=f"{field}.{lang}")
                else:
                    self.controls(s, lpos)
                    result[lang] = s
            for lang in self.languages:
                if lang not in value:
                    self.err("LG001", pos, lang=lang, languages=list(self.languages))
            if not value:
                self.err("SC007", pos, field=field)
                return None
            return result
        self.err("SC003", pos, field=field, expected="text or {en: …, zh: …}", actual=_kind(value))
        return None

    def controls(self, value: str, pos: Pos) -> None:
        """Warn about a control character that a terminal would obey (every output shows it inert)."""
        char = first_control(value)
        if char is not None:
            self.err("TX001", pos, char=f"U+{ord(char):04X}", shown=printable(char))

    def enum(self, parent: dict, key: str, choices: tuple[str, ...], field: str | None = None) -> str | None:
        value = parent[key]
        if isinstance(value, str) and value in choices:
            return value
        self.err("SC004", self.marks.of_value(parent, key), value=value, field=field or key,
                 choices=", ".join(choices), suggestion=_suggest(value, choices))
        return None

    def ident(self, parent: dict | list, key: object) -> str | None:
        value = parent[key]
        if isinstance(value, str) and ID.match(value):
            return value
        self.err("SC005", self.marks.of_value(parent, key), value=value)
        return None

    def number(self, parent: dict, key: str, low: float, high: float, integer: bool = False,
               field: str | None = None) -> float | None:
        value = parent[key]
        pos = self.marks.of_value(parent, key)
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type:
            self.err("SC003", pos, field=field or key, expected="a whole number" if integer else "a number",
                     actual=_kind(value))
            return None
        if not (low <= value <= high):
            self.err("SC006", pos, field=field or key, low=low, high=high, value=value)
            return None
        return value

    def boolean(self, parent: dict, key: str) -> bool | None:
        value = parent[key]
        if isinstance(value, bool):
            return value
        self.err("SC003", self.marks.of_value(parent, key), field=key, expected="true or false", actual=_kind(value))
        return None

    # -- the scenario --------------------------------------------------------------------
    def build(self, data: object, digest: str) -> Scenario | None:
        if not isinstance(data, dict):
            self.err("RS009", (1, 1))
            return None
        self.fields(data, TOP_FIELDS, TOP_REQUIRED, "the scenario")
        g = data.get
        if "format" in data and data["format"] != FORMAT_VERSION:
            if isinstance(data["format"], int) and not isinstance(data["format"], bool):
                self.err("SC008", self.marks.of_value(data, "format"), value=data["format"])
            else:
                self.err("SC003", self.marks.of_value(data, "format"), field="format", expected="1",
                         actual=_kind(data["format"]))
        self.languages = self.build_languages(data) if "languages" in data else ()
        sid = self.ident(data, "id") if "id" in data else None
        title = self.text(data, "title", "title") if "title" in data else None
        category = self.ident(data, "category") if "category" in data else None
        difficulty = self.enum(data, "difficulty", DIFFICULTIES) if "difficulty" in data else None
        situation = self.text(data, "situation", "situation") if "situation" in data else None
        objectives = self.text_list(data, "objectives") if "objectives" in data else ()
        tags = self.id_list(data, "tags") if "tags" in data else ()
        shuffle = self.boolean(data, "shuffle") if "shuffle" in data else True
        max_turns = self.number(data, "max_turns", 2, 200, integer=True) if "max_turns" in data else 30
        budget = self.number(data, "save_budget_months", 0.01, 120) if "save_budget_months" in data else 2.0
        persona = self.build_persona(data) if "persona" in data else None
        variants = self.build_variants(data) if "variants" in data else {}
        self.build_variables(data)
        # The built-in mistake counter lives in the last slot, so conditions read it like any variable.
        self.mistakes_slot = len(self.variables)
        self.slots[MISTAKES_VARIABLE] = self.mistakes_slot
        self.variables[MISTAKES_VARIABLE] = 0
        start = self.ident(data, "start") if "start" in data else None
        endings = self.build_endings(data) if "endings" in data else {}
        nodes = self.build_nodes(data) if "nodes" in data else {}
        limit_ending = TURN_LIMIT_ENDING
        if g("turn_limit_ending") is not None:
            limit_ending = self.ident(data, "turn_limit_ending") or TURN_LIMIT_ENDING
            if limit_ending not in endings and endings:
                self.err("RF010", self.marks.of_value(data, "turn_limit_ending"), value=limit_ending,
                         suggestion=_suggest(limit_ending, endings))
        if limit_ending == TURN_LIMIT_ENDING:
            endings[TURN_LIMIT_ENDING] = Ending(TURN_LIMIT_ENDING, "churned", TURN_LIMIT_DEBRIEF,
                                                None, "annoyed", None, (0, 0))
        playthroughs = self.build_playthroughs(data) if "playthroughs" in data else ()
        if None in (sid, title, category, difficulty, situation, persona, start, shuffle, max_turns, budget):
            return None
        if self.broken or not nodes:
            return None
        for nid in nodes:
            if nid in endings:
                self.err("RF005", self.marks.of_key(data["nodes"], nid), value=nid)
        return Scenario(
            path=self.path, digest=digest, id=sid, title=title, languages=self.languages,
            category=category, difficulty=difficulty, situation=situation, objectives=objectives,
            tags=tags, shuffle=shuffle, max_turns=int(max_turns), turn_limit_ending=limit_ending,
            save_budget_months=float(budget), persona=persona, variants=variants,
            variables=tuple(self.variables), initial_values=tuple(self.variables.values()),
            start=start, nodes=nodes, endings=endings, playthroughs=playthroughs,
            guarded=frozenset(nid for nid, node in nodes.items() if all(r.when is not None for r in node.responses)),
            technique_steps=frozenset(
                self.catalog.techniques[t].step
                for node in nodes.values() for r in node.responses
                for variant in (r, *r.by_personality.values()) for t in variant.techniques
            ),
        )

    def build_languages(self, data: dict) -> tuple[str, ...]:
        value = self.listing(data, "languages")
        if value is None:
            return ()
        if not value:
            self.err("SC007", self.marks.of_value(data, "languages"), field="languages")
        langs: list[str] = []
        for i, lang in enumerate(value):
            if not isinstance(lang, str) or not LANG.match(lang):
                self.err("SC009", self.marks.of_value(value, i), value=lang)
            elif lang in langs:
                self.err("SC011", self.marks.of_value(value, i), field=lang)
            else:
                langs.append(lang)
        return tuple(langs)

    def text_list(self, data: dict, key: str) -> tuple[Text, ...]:
        value = self.listing(data, key)
        if value is None:
            return ()
        if not value:
            self.err("SC007", self.marks.of_value(data, key), field=key)
        return tuple(t for i in range(len(value)) if (t := self.text(value, i, f"{key}[{i + 1}]")) is not None)

    def id_list(self, data: dict, key: str, catalog: dict | None = None, code: str = "") -> tuple[str, ...]:
        value = data[key]
        if value is None:
            return ()
        if not isinstance(value, list):
            self.err("SC003", self.marks.of_value(data, key), field=key, expected="a list", actual=_kind(value))
            return ()
        result: list[str] = []
        for i, item in enumerate(value):
            pos = self.marks.of_value(value, i)
            if catalog is not None and not (isinstance(item, str) and item in catalog):
                self.err(code, pos, value=item, suggestion=_suggest(item, catalog))
            elif catalog is None and not (isinstance(item, str) and ID.match(item)):
                self.err("SC005", pos, value=item)
            elif item in result:
                self.err("SC011", pos, field=item)
            else:
                result.append(item)
        return tuple(result)

    def build_persona(self, data: dict) -> Persona | None:
        p = self.mapping(data, "persona", "persona")
        if p is None:
            self.broken = True
            return None
        self.fields(p, PERSONA_FIELDS, PERSONA_REQUIRED, "persona")
        get = p.__contains__
        values = dict(
            name=self.text(p, "name", "name") if get("name") else None,
            segment=self.enum(p, "segment", SEGMENTS) if get("segment") else None,
            tenure_months=self.number(p, "tenure_months", 0, 1200, integer=True) if get("tenure_months") else None,
            plan=self.text(p, "plan", "plan") if get("plan") else None,
            monthly_spend=self.number(p, "monthly_spend", 0.01, 1e9) if get("monthly_spend") else None,
            currency="CNY",
            lifecycle_stage=self.enum(p, "lifecycle_stage", LIFECYCLE_STAGES) if get("lifecycle_stage") else None,
            personality=self.enum(p, "personality", PERSONALITIES) if get("personality") else None,
            churn_category=self.enum(p, "churn_category", CHURN_CATEGORIES) if get("churn_category") else None,
            churn_reason=self.text(p, "churn_reason", "churn_reason") if get("churn_reason") else None,
            value_orientation=(self.enum(p, "value_orientation", VALUE_ORIENTATIONS)
                               if get("value_orientation") else None),
            mood=self.number(p, "mood", 0, 100, integer=True) if get("mood") else None,
        )
        if get("currency"):
            cur = p["currency"]
            if isinstance(cur, str) and CURRENCY.match(cur):
                values["currency"] = cur
            else:
                self.err("SC004", self.marks.of_value(p, "currency"), value=cur, field="currency",
                         choices="a three-letter code such as CNY, USD, EUR", suggestion="")
                values["currency"] = None
        if any(v is None for v in values.values()):
            self.broken = True
            return None
        return Persona(
            **values,
            churn_risk=self.number(p, "churn_risk", 0, 100) if p.get("churn_risk") is not None else None,
            background=self.text(p, "background", "background") if p.get("background") is not None else None,
        )

    def build_variants(self, data: dict) -> dict[str, Variant]:
        items = self.listing(data, "variants")
        result: dict[str, Variant] = {}
        for i in range(len(items or ())):
            v = self.mapping(items, i, f"variants[{i + 1}]")
            if v is None:
                continue
            self.fields(v, VARIANT_FIELDS, ("id", "personality"), f"variant {i + 1}")
            vid = self.ident(v, "id") if "id" in v else None
            personality = self.enum(v, "personality", PERSONALITIES) if "personality" in v else None
            overrides: dict[str, object] = {}
            for key in ("name", "churn_reason", "background"):
                if key in v:
                    overrides[key] = self.text(v, key, key)
            if "mood" in v:
                overrides["mood"] = self.number(v, "mood", 0, 100, integer=True)
            if "value_orientation" in v:
                overrides["value_orientation"] = self.enum(v, "value_orientation", VALUE_ORIENTATIONS)
            if vid is None or personality is None or None in overrides.values():
                continue
            if vid in result:
                self.err("RF007", self.marks.of_value(v, "id"), value=vid)
            result[vid] = Variant(vid, personality, overrides, self.marks.of(v))
        return result

    def build_variables(self, data: dict) -> None:
        if data.get("variables") is None:
            return
        vars_ = self.mapping(data, "variables", "variables")
        for name, value in (vars_ or {}).items():
            if not ID.match(name):
                self.err("SC005", self.marks.of_key(vars_, name), value=name)
            elif name in BUILTIN_VARIABLES:
                self.err("RF009", self.marks.of_key(vars_, name), value=name)
            elif not isinstance(value, int):  # bool is an int
                self.err("SC003", self.marks.of_value(vars_, name), field=name,
                         expected="true/false or a whole number", actual=_kind(value))
            else:
                self.slots[name] = len(self.variables)
                self.variables[name] = value

    def build_endings(self, data: dict) -> dict[str, Ending]:
        raw = self.mapping(data, "endings", "endings")
        result: dict[str, Ending] = {}
        if raw is not None and not raw:
            self.err("SC007", self.marks.of_value(data, "endings"), field="endings")
        for eid in raw or {}:
            if not ID.match(eid):
                self.err("SC005", self.marks.of_key(raw, eid), value=eid)
                continue
            e = self.mapping(raw, eid, f"ending {eid}")
            if e is None:
                continue
            self.fields(e, ENDING_FIELDS, ("outcome", "debrief"), f"ending '{eid}'")
            outcome = self.enum(e, "outcome", OUTCOMES) if "outcome" in e else None
            debrief = self.text(e, "debrief", "debrief") if "debrief" in e else None
            customer = self.text(e, "customer", "customer") if e.get("customer") is not None else None
            emotion = self.enum(e, "emotion", EMOTIONS) if e.get("emotion") is not None else None
            points = self.number(e, "points", 0, 20) if e.get("points") is not None else None
            if outcome and debrief:
                result[eid] = Ending(eid, outcome, debrief, customer, emotion, points, self.marks.of_key(raw, eid))
        return result

    def build_nodes(self, data: dict) -> dict[str, Node]:
        raw = self.mapping(data, "nodes", "nodes")
        result: dict[str, Node] = {}
        if raw is None:
            self.broken = True
            return result
        if not raw:
            self.err("SC007", self.marks.of_value(data, "nodes"), field="nodes")
        for nid in raw:
            if not ID.match(nid):
                self.err("SC005", self.marks.of_key(raw, nid), value=nid)
                self.broken = True
                continue
            n = self.mapping(raw, nid, f"node {nid}")
            if n is None:
                self.broken = True
                continue
            where = f"node '{nid}'"
            self.fields(n, NODE_FIELDS, NODE_FIELDS, where)
            step = self.enum(n, "step", STEPS) if "step" in n else None
            customer = self.text(n, "customer", "customer") if "customer" in n else None
            emotion = self.enum(n, "emotion", EMOTIONS) if "emotion" in n else None
            responses: list[Response] = []
            items = self.listing(n, "responses") if "responses" in n else None
            if items is not None and not items:
                self.err("SC007", self.marks.of_value(n, "responses"), field="responses")
            for i in range(len(items or ())):
                r = self.build_response(items, i)
                if r is not None:
                    responses.append(r)
            if step is None or customer is None or emotion is None or not responses \
                    or len(responses) != len(items or ()):
                self.broken = True
                continue
            result[nid] = Node(nid, step, customer, emotion, tuple(responses), self.marks.of_key(raw, nid))
        return result

    def build_response(self, items: list, i: int) -> Response | None:
        r = self.mapping(items, i, f"responses[{i + 1}]")
        if r is None:
            return None
        where = f"response {i + 1}"
        self.fields(r, RESPONSE_FIELDS, ("text", "feedback", "next"), where)
        text = self.text(r, "text", "text") if "text" in r else None
        feedback = self.text(r, "feedback", "feedback") if "feedback" in r else None
        nxt = self.build_next(r, "next") if "next" in r else None
        techniques = self.id_list(r, "techniques", self.catalog.techniques, "RF002") if "techniques" in r else ()
        mistakes = self.id_list(r, "mistakes", self.catalog.mistakes, "RF003") if "mistakes" in r else ()
        mood = self.number(r, "mood", -100, 100, integer=True) if "mood" in r else 0
        instead = self.text(r, "instead", "instead") if r.get("instead") is not None else None
        if mistakes and "instead" not in r:
            self.err("SC012", self.marks.of(r))
        when = self.build_condition(r, "if") if r.get("if") is not None else None
        sets = self.build_effects(r, "set") if r.get("set") is not None else ()
        adds = self.build_effects(r, "add") if r.get("add") is not None else ()
        offer = self.build_offer(r) if r.get("offer") is not None else None
        if None in (text, feedback, nxt, mood, sets, adds) or ("if" in r and r["if"] is not None and when is None):
            return None
        response = Response(i, text, techniques, mistakes, int(mood), feedback, instead, nxt, when,
                            sets, self.count_mistakes(adds, mistakes), offer, self.marks.of(r))
        if r.get("by_personality") is not None:
            overrides = self.build_overrides(r, response)
            if overrides is None:
                return None
            response.by_personality.update(overrides)
        return response

    def build_overrides(self, r: dict, base: Response) -> dict[str, Response] | None:
        raw = self.mapping(r, "by_personality", "by_personality")
        if raw is None:
            return None
        result: dict[str, Response] = {}
        ok = True
        for personality, o in raw.items():
            if personality not in PERSONALITIES:
                self.err("SC004", self.marks.of_key(raw, personality), value=personality, field="personality",
                         choices=", ".join(PERSONALITIES), suggestion=_suggest(personality, PERSONALITIES))
                ok = False
                continue
            o = self.mapping(raw, personality, f"by_personality.{personality}")
            if o is None:
                ok = False
                continue
            self.fields(o, OVERRIDE_FIELDS, (), f"by_personality.{personality}")
            changes: dict[str, object] = {}
            if "mood" in o:
                changes["mood"] = self.number(o, "mood", -100, 100, integer=True)
            for key in ("feedback", "instead"):
                if key in o:
                    changes[key] = self.text(o, key, key)
            if "next" in o:
                changes["next"] = self.build_next(o, "next")
            if "techniques" in o:
                changes["techniques"] = self.id_list(o, "techniques", self.catalog.techniques, "RF002")
            if "mistakes" in o:
                changes["mistakes"] = self.id_list(o, "mistakes", self.catalog.mistakes, "RF003")
                if changes["mistakes"] and not ("instead" in o or base.instead):
                    self.err("SC012", self.marks.of(o))
            if None in changes.values():
                ok = False
                continue
            fields = {name: getattr(base, name) for name in Response.__slots__ if name != "by_personality"}
            fields.update(changes)
            if "mistakes" in changes:
                own_adds = tuple(a for a in base.add if a[0] != self.mistakes_slot)
                fields["add"] = self.count_mistakes(own_adds, changes["mistakes"])
            result[personality] = Response(**fields)
        return result if ok else None

    def count_mistakes(self, adds: tuple, mistakes: tuple[str, ...]) -> tuple:
        """The response's own ``add`` effects plus one on the mistake counter per mistake."""
        return (*adds, (self.mistakes_slot, len(mistakes))) if mistakes else adds

    def build_next(self, parent: dict, key: str) -> tuple[Branch, ...] | None:
        value = parent[key]
        pos = self.marks.of_value(parent, key)
        if isinstance(value, str):
            return (Branch(None, value, pos),) if self.ident(parent, key) else None
        if not isinstance(value, list) or not value:
            self.err("SC003", pos, field=key, expected="a node/ending id or a list of branches", actual=_kind(value))
            return None
        branches: list[Branch] = []
        for i in range(len(value)):
            b = self.mapping(value, i, f"next[{i + 1}]")
            if b is None:
                return None
            self.fields(b, ("if", "goto"), ("goto",), f"branch {i + 1} of 'next'")
            if "goto" not in b or not self.ident(b, "goto"):
                return None
            when = self.build_condition(b, "if") if b.get("if") is not None else None
            if b.get("if") is not None and when is None:
                return None
            last = i == len(value) - 1
            if (when is None) != last:
                self.err("SC013", self.marks.of(b))
            branches.append(Branch(when, b["goto"], self.marks.of_value(b, "goto")))
        return tuple(branches)

    def build_condition(self, parent: dict, key: str) -> Condition | None:
        raw = self.mapping(parent, key, key)
        if raw is None:
            return None
        terms: list[tuple[str, str, Value]] = []
        ok = True
        for name, want in raw.items():
            pos = self.marks.of_key(raw, name)
            if name not in self.variables and name not in BUILTIN_VARIABLES:
                known = list(self.variables) + list(BUILTIN_VARIABLES)
                self.err("RF004", pos, value=name, suggestion=_suggest(name, known))
                ok = False
                continue
            op = "eq"
            if isinstance(want, dict):
                if len(want) != 1 or next(iter(want)) not in OPERATORS:
                    self.err("SC010", self.marks.of_value(raw, name), field=name)
                    ok = False
                    continue
                op, want = next(iter(want.items()))
            if not isinstance(want, int):
                self.err("SC003", self.marks.of_value(raw, name), field=name,
                         expected="true/false or a whole number", actual=_kind(want))
                ok = False
                continue
            if name in self.variables and isinstance(self.variables[name], bool) != isinstance(want, bool):
                self.err("RF006", self.marks.of_value(raw, name), value=name,
                         declared=_kind(self.variables[name]), actual=_kind(want))
                ok = False
                continue
            terms.append((name, op, want))
        if not ok:
            return None
        return Condition(tuple(terms), self.compile(terms), self.marks.of(raw))

    def compile(self, terms: list[tuple[str, str, Value]]):
        """Turn condition terms into one fast test over (values, mood, turn)."""
        checks_: list = []
        for name, op, want in terms:
            fn = OPERATORS[op]
            if name == "mood":
                checks_.append(lambda vals, mood, turn, fn=fn, want=want: fn(mood, want))
            elif name == "turn":
                checks_.append(lambda vals, mood, turn, fn=fn, want=want: fn(turn, want))
            else:
                slot = self.slots[name]
                checks_.append(lambda vals, mood, turn, fn=fn, want=want, slot=slot: fn(vals[slot], want))
        if len(checks_) == 1:
            return checks_[0]
        return lambda vals, mood, turn: all(c(vals, mood, turn) for c in checks_)

    def build_effects(self, r: dict, key: str) -> tuple | None:
        raw = self.mapping(r, key, key)
        if raw is None:
            return None
        result = []
        for name, value in raw.items():
            pos = self.marks.of_key(raw, name)
            if name in BUILTIN_VARIABLES:
                self.err("RF009", pos, value=name)
                return None
            if name not in self.variables:
                self.err("RF004", pos, value=name, suggestion=_suggest(name, self.variables))
                return None
            declared = self.variables[name]
            if key == "add":
                if not isinstance(value, int) or isinstance(value, bool) or isinstance(declared, bool):
                    self.err("RF006", self.marks.of_value(raw, name), value=name,
                             declared=_kind(declared), actual=_kind(value))
                    return None
            elif not isinstance(value, int) or isinstance(value, bool) != isinstance(declared, bool):
                self.err("RF006", self.marks.of_value(raw, name), value=name,
                         declared=_kind(declared), actual=_kind(value))
                return None
            result.append((self.slots[name], value))
        return tuple(result)

    def build_offer(self, r: dict) -> Offer | None:
        o = self.mapping(r, "offer", "offer")
        if o is None:
            return None
        self.fields(o, ("cost", "label"), ("cost",), "offer")
        cost = self.number(o, "cost", 0, 1e9) if "cost" in o else None
        label = self.text(o, "label", "label") if o.get("label") is not None else None
        return None if cost is None else Offer(float(cost), label)

    def build_playthroughs(self, data: dict) -> tuple[Playthrough, ...]:
        items = self.listing(data, "playthroughs")
        result: list[Playthrough] = []
        for i in range(len(items or ())):
            p = self.mapping(items, i, f"playthroughs[{i + 1}]")
            if p is None:
                continue
            self.fields(p, PLAYTHROUGH_FIELDS, ("name", "choices", "ending"), f"playthrough {i + 1}")
            name = p.get("name")
            if not isinstance(name, str) or not name.strip():
                if "name" in p:
                    self.err("SC003", self.marks.of_value(p, "name"), field="name", expected="text", actual=_kind(name))
                continue
            choices = p.get("choices")
            if not isinstance(choices, list) or not choices or not all(
                    isinstance(c, int) and not isinstance(c, bool) and c >= 1 for c in choices):
                if "choices" in p:
                    self.err("SC003", self.marks.of_value(p, "choices"), field="choices",
                             expected="a list of response numbers (1, 2, …)", actual=_kind(choices))
                continue
            ending = p.get("ending") if p.get("ending") == TURN_LIMIT_ENDING else (
                self.ident(p, "ending") if "ending" in p else None)
            score = None
            if p.get("score") is not None:
                s = p["score"]
                if (isinstance(s, list) and len(s) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                                 and 0 <= x <= 100 for x in s) and s[0] <= s[1]):
                    score = (float(s[0]), float(s[1]))
                else:
                    self.err("SC003", self.marks.of_value(p, "score"), field="score",
                             expected="[low, high] with 0 ≤ low ≤ high ≤ 100", actual=str(s))
                    continue
            lang = p.get("lang")
            if lang is not None and lang not in self.languages:
                self.err("RF008", self.marks.of_value(p, "lang"), name=name, what="language", value=lang,
                         suggestion=_suggest(lang, self.languages))
                continue
            variant = p.get("variant")
            variant_ids = {v.get("id") for v in data.get("variants") or [] if isinstance(v, dict)
                           and isinstance(v.get("id"), str)} if isinstance(data.get("variants"), list) else set()
            if variant is not None and not (isinstance(variant, str) and variant in variant_ids):
                self.err("RF008", self.marks.of_value(p, "variant"), name=name, what="variant", value=variant)
                continue
            if ending is None:
                continue
            result.append(Playthrough(name, tuple(choices), ending, score, lang, variant, self.marks.of(p)))
        return tuple(result)
