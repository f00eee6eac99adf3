"""The scenario format, once: every part's fields with their kind, whether required, allowed values and meaning.

The loader reads these tables; ``reference.py`` turns them into schema/scenario.schema.json and
the tables of docs/scenario-format.md (``make schema``), so the three cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog import load_catalog
from ..model import (
    CHURN_CATEGORIES,
    DIFFICULTIES,
    EMOTIONS,
    LIFECYCLE_STAGES,
    OUTCOMES,
    PERSONALITIES,
    SEGMENTS,
    STEPS,
    VALUE_ORIENTATIONS,
)
from .kinds import Choice, Const, Field, Flag, Kind, ListOf, MapOf, Named, Number, Part, Pattern, Shape

ID = r"^[a-z0-9][a-z0-9_-]*$"
LANG = r"^[a-z]{2}(-[A-Z]{2})?$"
CURRENCY = r"^[A-Z]{3}$"
FORMAT_VERSION = 1
# Comparison operators of a condition, named as in Python's operator module.
OPERATORS = {"eq": "equal to", "ne": "not equal to", "lt": "less than", "le": "less than or equal to",
             "gt": "greater than", "ge": "greater than or equal to"}


@dataclass(frozen=True)
class CatalogChoice(Kind):
    """A technique or mistake id: the values and their meanings come from the catalog."""

    section: str  # "techniques" or "mistakes"

    def body(self) -> dict:
        entries = getattr(load_catalog(), self.section).values()
        return {"type": "string", "enum": [e.id for e in entries],
                "enumDescriptions": [f"{e.step}: {e.description['en']}" if self.section == "techniques"
                                     else e.description["en"] for e in entries]}

    def words(self) -> str:
        return f"a {self.section[:-1]} id (`python main.py techniques`)"


IDENT = Named("id", Pattern(ID, "id"),
              "An id: lower-case letters, digits, '_' and '-', starting with a letter or digit.")
LANGUAGE = Named("languageCode", Pattern(LANG, "language code", ("en", "zh")),
                 "A language code such as `en`, `zh` or `zh-CN`.")
_NONEMPTY = {"type": "string", "minLength": 1}
TEXT = Named("text", Shape({"oneOf": [_NONEMPTY, {
    "type": "object", "minProperties": 1, "propertyNames": {"$ref": "#/definitions/languageCode"},
    "additionalProperties": _NONEMPTY}]}, "text"),
    "Text the customer or trainee reads: a plain non-empty string (one-language scenario) or a mapping "
    "language code → string, e.g. {en: \"…\", zh: \"…\"}. Every language in `languages` must be present "
    "(checked by `main.py validate`). May contain the persona fields {name}, {plan}, {monthly_spend}, "
    "{currency}, {tenure_months}.")
STEP = Named("step", Choice(STEPS, (
    "1. Build trust: warm, calm atmosphere; get the customer talking",
    "2. Probe the reason: open probe, then deep probe until the real reason is known",
    "3. Propose: a complete proposal built on what the customer said",
    "4. Resolve refusal: when the customer still says no",
    "5. Close: thank, confirm, promise and schedule follow-up",
)), "A call step (the five links, in order).")
EMOTION = Named("emotion", Choice(EMOTIONS), "The tone the customer's line is written in (an authoring note: the "
                "window and the reports show the mood meter's word, see docs/reports.md).")
PERSONALITY = Named("personality", Choice(PERSONALITIES, (
    "主观型: controlling, results-first, fast, impatient; wants concise facts and numbers",
    "分析型: detail, data, perfectionist; wants prepared detail and evidence",
    "情感型: sociable, emotional; wants patience, warmth, time for the relationship",
    "随和型: quiet, cooperative, security-minded; wants personal care and a relaxed pace",
)), "Customer personality (four types).")
VALUE_ORIENTATION = Named("valueOrientation", Choice(VALUE_ORIENTATIONS, (
    "complains about slow response", "complains about rude staff", "complains about high price",
    "complains about product defects", "complains about rigid policy", "complains about mechanical staff",
)), "What the customer values most.")
TECHNIQUE = Named("technique", CatalogChoice("techniques"),
                  "A canonical technique id from the retention playbook "
                  "(`python main.py techniques` prints the catalog).")
MISTAKE = Named("mistake", CatalogChoice("mistakes"), "A canonical mistake id from the retention playbook.")
TECHNIQUES = Named("techniques", ListOf(TECHNIQUE, "list of technique ids", unique=True),
                   "Technique ids this answer demonstrates.")
MISTAKES = Named("mistakes", ListOf(MISTAKE, "list of mistake ids", unique=True),
                 "Mistake ids this answer makes (then `instead` is required).")
MOOD_CHANGE = Named("moodChange", Number(-100, 100, whole=True), "Change of the customer's mood, −100 to 100.")
START_MOOD = Named("startMood", Number(0, 100, whole=True), "Starting mood, 0 (furious) to 100 (delighted).")
VALUE = Named("value", Shape({"type": ["boolean", "integer"]}, "`true`/`false` or a whole number"),
              "A variable value: true/false or an integer.")
COMPARISON = Named("comparison", Shape({
    "type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": False,
    "properties": {op: {"description": f"holds when the variable is {words} this value",
                        "$ref": "#/definitions/value"} for op, words in OPERATORS.items()},
}, "`{eq|ne|lt|le|gt|ge: value}`"), "A comparison with exactly one operator: {eq|ne|lt|le|gt|ge: value}.")
CONDITION = Named("condition", Shape({
    "type": "object", "propertyNames": {"$ref": "#/definitions/id"},
    "additionalProperties": {"anyOf": [{"$ref": "#/definitions/value"}, {"$ref": "#/definitions/comparison"}]},
}, "condition"), "Condition: mapping variable → required value or comparison {eq|ne|lt|le|gt|ge: value}; all "
   "entries must hold. Besides declared variables, the built-ins `mood` (current mood), `turn` (customer "
   "turns so far) and `mistakes` (mistakes tagged so far) can be read.")
BRANCH = Part("branch", "A branch: go to `goto` if the condition `if` holds. Branches are tried in order; the "
                        "last one must be a plain {goto: id}.", (
    Field("if", CONDITION, "the condition under which this branch is taken", null_ok=True),
    Field("goto", IDENT, "id of the node or ending to go to", required=True),
))
NEXT = Named("next", Shape({"oneOf": [{"$ref": "#/definitions/id"}, {
    "type": "array", "minItems": 1, "items": {"$ref": "#/definitions/branch"}}]},
    "a node or ending id, or a list of branches"),
    "Where the call goes next: a node or ending id, or a list of branches [{if: condition, goto: id}, …, "
    "{goto: id}].")
OFFER = Part("offer", "This answer makes an offer: {cost: N, label: text}.", (
    Field("cost", Number(0, 1_000_000_000), "total cost of the offer, in the persona's currency; counted against "
                                  "`save_budget_months` × `monthly_spend`", required=True),
    Field("label", TEXT, "short name of the offer", null_ok=True),
))
_OVERRIDABLE = ("mood", "feedback", "instead", "next", "techniques", "mistakes")
OVERRIDE = Part("override", "Overrides applied when the active customer has this personality.", (
    Field("mood", MOOD_CHANGE, "change of the customer's mood with this personality"),
    Field("feedback", TEXT, "why this works or fails with this personality"),
    Field("instead", TEXT, "what to say instead, with this personality"),
    Field("next", NEXT, "where the call goes with this personality"),
    Field("techniques", TECHNIQUES, "the techniques this answer shows with this personality"),
    Field("mistakes", MISTAKES, "the mistakes this answer makes with this personality"),
))
RESPONSE = Part("response", "One of the trainee's possible answers.", (
    Field("text", TEXT, "what the trainee says", required=True),
    Field("techniques", TECHNIQUES, "technique ids this answer demonstrates"),
    Field("mistakes", MISTAKES, "mistake ids this answer makes"),
    Field("mood", MOOD_CHANGE, "change of the customer's mood", default=0),
    Field("feedback", TEXT, "why this works or fails, in the playbook's terms", required=True),
    Field("instead", TEXT, "what to say instead", required_when="if it has mistakes", null_ok=True),
    Field("next", NEXT, "where the call goes: a node or ending id, or a list of branches (below)", required=True),
    Field("if", CONDITION, "the answer is offered only when this condition holds", null_ok=True),
    Field("set", MapOf(VALUE, "mapping variable → value"), "values given to variables when this answer is "
                                                           "chosen", null_ok=True),
    Field("add", MapOf(Shape({"type": "integer"}, "whole number"), "mapping variable → whole number"),
          "numbers added to variables when this answer is chosen", null_ok=True),
    Field("offer", OFFER, "this answer makes an offer costing `cost` (in total, in the persona's currency)",
          null_ok=True),
    Field("by_personality", Shape({
        "type": "object", "additionalProperties": False,
        "properties": {p: {"$ref": "#/definitions/override"} for p in PERSONALITIES}},
        "mapping personality → overrides"),
        f"with a customer of that personality, other values of {', '.join(_OVERRIDABLE)}, so the same words "
        "can work with one kind of customer and fail with another", null_ok=True),
), extra={"if": {"required": ["mistakes"], "properties": {"mistakes": {"minItems": 1}}},
          "then": {"required": ["instead"]}})
NODE = Part("node", "A moment of the call: what the customer says and the trainee's possible answers.", (
    Field("step", STEP, "the call step this moment belongs to", required=True),
    Field("customer", TEXT, "the customer's line", required=True),
    Field("emotion", EMOTION, "the tone the line is written in (the reports show the mood meter's word instead)",
          required=True),
    Field("responses", ListOf(RESPONSE, "list of responses", min_items=1),
          "the trainee's possible answers (at least one)", required=True),
))
ENDING = Part("ending", "An ending of the call.", (
    Field("outcome", Named("outcome", Choice(OUTCOMES, (
        "customer stays (20 points)", "problem resolved (20 points)",
        "customer stays on a cheaper plan (12 points)", "handed on (6 points)", "customer leaves (0 points)",
    )), "How the call ended."), "how the call ended", required=True),
    Field("customer", TEXT, "the customer's last words", null_ok=True),
    Field("emotion", EMOTION, "the customer's emotion at the end", null_ok=True),
    Field("debrief", TEXT, "what happened and why, shown at the end", required=True),
    Field("points", Number(0, 20), "overrides the outcome's points (default retained/resolved 20, "
                                   "downgraded 12, escalated 6, churned 0)", null_ok=True),
))
PERSONA = Part("persona", "The customer.", (
    Field("name", TEXT, "the customer's name ({name})", required=True),
    Field("segment", Choice(SEGMENTS), "customer segment", required=True),
    Field("tenure_months", Number(0, 1200, whole=True), "months as a customer ({tenure_months})", required=True),
    Field("plan", TEXT, "current plan ({plan})", required=True),
    Field("monthly_spend", Number(0.01, 1_000_000_000), "average monthly bill ({monthly_spend})", required=True),
    Field("currency", Pattern(CURRENCY, "three-letter code such as CNY, USD, EUR"),
          "currency of the bill and the offers ({currency})", default="CNY"),
    Field("lifecycle_stage", Choice(LIFECYCLE_STAGES, (
        "入网期 (months 1–3): build trust, save them money, no hard selling",
        "成长期 (4–6): try simple add-ons",
        "成熟期 (7–9): targeted high-value offers, bundling, points/tenure rewards",
        "衰退期 (10–12): renewal, churn warning, proactive retention",
        "离网期: leaving now",
    )), "lifecycle stage", required=True),
    Field("personality", PERSONALITY, "personality", required=True),
    Field("churn_category", Choice(CHURN_CATEGORIES, (
        "moved, changed job", "arrears", "rival offer", "our broken promise or error",
    )), "churn category", required=True),
    Field("churn_reason", TEXT, "the real reason (the trainee has to find it)", required=True),
    Field("value_orientation", VALUE_ORIENTATION, "what the customer values most", required=True),
    Field("mood", START_MOOD, "starting mood, 0 (furious) to 100 (delighted)", required=True),
    Field("churn_risk", Number(0, 100), "the account's churn-risk score as the CRM shows it", null_ok=True),
    Field("background", TEXT, "what the agent's screen shows about the customer", null_ok=True),
))
VARIANT = Part("variant", "The same call with another kind of customer: an id, a personality, and optional "
                          "overrides of the persona.", (
    Field("id", IDENT, "id of the variant (used by playthroughs' `variant`)", required=True),
    Field("personality", PERSONALITY, "the variant's personality", required=True),
    Field("name", TEXT, "overrides the persona's name"),
    Field("mood", START_MOOD, "overrides the persona's starting mood"),
    Field("value_orientation", VALUE_ORIENTATION, "overrides what the customer values most"),
    Field("churn_reason", TEXT, "overrides the persona's real reason"),
    Field("background", TEXT, "overrides the persona's background"),
))
SCORE_RANGE = Shape({"type": "array", "minItems": 2, "maxItems": 2,
                     "items": {"type": "number", "minimum": 0, "maximum": 100}}, "`[low, high]`, 0 ≤ low ≤ high ≤ 100")
CHOICES = Shape({"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 1}},
                "list of answer numbers (1, 2, …)")
PLAYTHROUGH = Part("playthrough", "An expected playthrough, checked like a doctest by `python main.py test`.", (
    Field("name", Shape(_NONEMPTY, "plain text"), "name of the playthrough, e.g. `expert`", required=True),
    Field("choices", CHOICES, "1-based answer numbers, in the order the responses are written (not the "
                              "shuffle)", required=True),
    Field("ending", IDENT, "id of the ending this playthrough must reach", required=True),
    Field("score", SCORE_RANGE, "inclusive score range", null_ok=True),
    Field("lang", LANGUAGE, "only play in this language (default: every language)", null_ok=True),
    Field("variant", IDENT, "id of the variant to play (default: the persona)", null_ok=True),
))
SCENARIO = Part("scenario", "One customer and every way the retention call can go (docs/scenario-format.md).", (
    Field("format", Const(FORMAT_VERSION), "the format version", required=True),
    Field("id", IDENT, "unique scenario id, e.g. `broadband-cancel-after-move`", required=True),
    Field("title", TEXT, "the scenario's title", required=True),
    Field("languages", ListOf(LANGUAGE, "list of language codes", min_items=1, unique=True),
          "the languages this scenario is complete in: `[en, zh]`, `[en]` or `[zh]`; every text must have "
          "every one of them", required=True),
    Field("category", IDENT, "`churn_threat`, `complaint`, `competitor_offer`, or another lower-case id",
          required=True, examples=("churn_threat", "complaint", "competitor_offer")),
    Field("difficulty", Choice(DIFFICULTIES), "how hard the call is", required=True),
    Field("situation", TEXT, "the situation in a sentence or two (shown on the scenario card)", required=True),
    Field("objectives", ListOf(TEXT, "list of texts", min_items=1), "the learning objectives (at least one)",
          required=True),
    Field("tags", ListOf(IDENT, "list of ids"), "playbook situations (see *Situation tags*)", null_ok=True),
    Field("shuffle", Flag(), "`true`: responses are shown in a seeded shuffled order; `false`: in the order "
                             "written", default=True),
    Field("max_turns", Number(2, 200, whole=True),
          "customer turns before the call is ended; guards against endless loops", default=30),
    Field("turn_limit_ending", IDENT, "the ending used when `max_turns` is reached; default: a built-in \"the "
                                      "call ran out of time\" ending with outcome `churned`", null_ok=True),
    Field("save_budget_months", Number(0.01, 120), "what a fitting save may cost, in months of the customer's "
                                                   "spend (see *Cost of the save*)", default=2),
    Field("persona", PERSONA, "the customer", required=True),
    Field("variants", ListOf(VARIANT, "list of variants"), "the same call with other kinds of customer"),
    Field("variables", MapOf(VALUE, "mapping id → `true`/`false` or a whole number"),
          "variables and their initial values; a variable `reason_known` marks when the real reason is known",
          null_ok=True),
    Field("start", IDENT, "id of the first node", required=True),
    Field("nodes", MapOf(NODE, "mapping id → node", min_items=1), "the moments of the call; node ids and ending "
                                                                  "ids share one namespace", required=True),
    Field("endings", MapOf(ENDING, "mapping id → ending", min_items=1), "how the call can end", required=True),
    Field("playthroughs", ListOf(PLAYTHROUGH, "list of playthroughs"),
          "expected playthroughs, checked like doctests by `python main.py test`"),
))

# Every shared definition of the JSON Schema, in the order it is written.
DEFINITIONS: tuple[Kind, ...] = (
    IDENT, LANGUAGE, TEXT, STEP, EMOTION, PERSONALITY, VALUE_ORIENTATION, TECHNIQUE, MISTAKE, TECHNIQUES,
    MISTAKES, MOOD_CHANGE, START_MOOD, VALUE, COMPARISON, CONDITION, BRANCH, NEXT, OFFER, OVERRIDE, RESPONSE,
    NODE, ENDING.fields[0].kind, ENDING, PERSONA, VARIANT, PLAYTHROUGH,
)
# The parts the reference tables of docs/scenario-format.md describe, by their marker name.
TABLES: dict[str, Part] = {p.name: p for p in (SCENARIO, PERSONA, VARIANT, NODE, RESPONSE, BRANCH, OFFER, ENDING,
                                                PLAYTHROUGH)}
