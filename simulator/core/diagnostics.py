"""One table of content diagnostics, like a compiler's: code, message, hint.

Every problem found in a scenario is a :class:`Diagnostic` carrying a code from
:data:`CODES`, the file, line and column, the filled-in message and a hint on how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Code:
    """One row of the diagnostics table."""

    code: str
    severity: Severity
    message: str  # str.format template
    hint: str  # str.format template


def _table(*rows: tuple[str, Severity, str, str]) -> dict[str, Code]:
    return {r[0]: Code(*r) for r in rows}


CODES: dict[str, Code] = _table(
    # --- reading the file -------------------------------------------------------------
    ("RS001", "error", "cannot read the file: {reason}", "Check the path and the file's permissions."),
    ("RS002", "error", "the file is not UTF-8 text: {reason}", "Save the file as UTF-8 (most editors: 'Save with encoding')."),
    ("RS003", "error", "the file is {size} bytes; the limit is {limit}", "Split the scenario; a call needs far less than this."),
    ("RS004", "error", "YAML syntax error: {reason}", "Check indentation and quoting near this point; strings containing ': ' or starting with '{{', '[', '*', '&', '!' need quotes."),
    ("RS005", "error", "nesting is deeper than {limit} levels", "Flatten the structure; scenarios never need this depth."),
    ("RS006", "error", "anchors and aliases (&name / *name) are not allowed", "Write the value out in full; aliases can hide huge expansions."),
    ("RS007", "error", "tag {tag} is not allowed", "Remove the tag: scenarios are plain data and no tag is ever executed."),
    ("RS008", "error", "duplicate key '{key}' (first at line {first})", "Remove or rename one of them; YAML would silently keep only the last."),
    ("RS009", "error", "the file is empty or has no scenario mapping", "A scenario file starts with 'format: 1', then 'id: …'; see docs/scenario-format.md."),
    ("RS010", "error", "more than one YAML document in the file", "Keep one scenario per file; remove the '---' separator."),
    ("RS011", "error", "a key must be a plain string, not {kind}", "Write the key as plain text."),
    # --- shape ------------------------------------------------------------------------
    ("SC001", "error", "missing required field '{field}' in {where}", "Add '{field}:'; see docs/scenario-format.md for what it holds."),
    ("SC002", "error", "unknown field '{field}' in {where}", "{suggestion}"),
    ("SC003", "error", "'{field}' must be {expected}, not {actual}", "Change the value to {expected}."),
    ("SC004", "error", "'{value}' is not a valid {field}", "Use one of: {choices}.{suggestion}"),
    ("SC005", "error", "'{value}' is not a valid id", "Ids use lower-case letters, digits, '_' and '-', and start with a letter or digit."),
    ("SC006", "error", "'{field}' must be between {low} and {high}, not {value}", "Pick a value in that range."),
    ("SC007", "error", "'{field}' must not be empty", "Write the text, or remove the field if it is optional."),
    ("SC008", "error", "unsupported format version {value}", "This simulator reads format 1; set 'format: 1'."),
    ("SC009", "error", "'{value}' is not a language code", "Use a code such as 'en' or 'zh'."),
    ("SC010", "error", "a condition on '{field}' needs exactly one of eq, ne, lt, le, gt, ge", "Write for example '{field}: {{lt: 3}}'."),
    ("SC011", "error", "'{field}' is listed twice", "Remove the repeated entry."),
    ("SC012", "error", "a response has mistakes but no 'instead'", "Add 'instead:' saying what the trainee should have said."),
    ("SC013", "error", "only the last branch of 'next' may omit 'if', and the last must omit it", "End the list with a plain '- goto: …' that always applies."),
    ("SC014", "error", "'{field}' must be an id written as text, but YAML reads {source} as {actual}", "Unquoted yes, no, on, off, true, false and numbers are values in YAML, not text: quote the id, e.g. '{field}: \"{source}\"'."),
    # --- references -------------------------------------------------------------------
    ("RF001", "error", "'{target}' is not a node or ending of this scenario", "Use one of the ids defined under 'nodes' or 'endings'.{suggestion}"),
    ("RF002", "error", "unknown technique '{value}'", "See 'python main.py techniques' for the catalog.{suggestion}"),
    ("RF003", "error", "unknown mistake '{value}'", "See 'python main.py techniques' for the catalog.{suggestion}"),
    ("RF004", "error", "variable '{value}' is not declared", "Declare it under 'variables:' with its initial value.{suggestion}"),
    ("RF005", "error", "'{value}' is both a node and an ending", "Node and ending ids share one namespace; rename one of them."),
    ("RF006", "error", "variable '{value}' holds {declared} but is given {actual}", "Use a value of the declared type."),
    ("RF007", "error", "variant '{value}' is defined twice", "Give each variant its own id."),
    ("RF008", "error", "playthrough '{name}' names unknown {what} '{value}'", "Use one defined in this scenario.{suggestion}"),
    ("RF009", "error", "'{value}' is a built-in and cannot be set", "Change the customer's mood with 'mood:'; 'turn' and 'mistakes' count themselves."),
    ("RF010", "error", "the turn-limit ending '{value}' is not an ending", "Name one of the ids under 'endings'.{suggestion}"),
    # --- language ---------------------------------------------------------------------
    ("LG001", "error", "missing the '{lang}' translation", "This scenario declares languages {languages}; add '{lang}: …' here."),
    ("LG002", "error", "text in '{lang}', which the scenario does not declare", "Add '{lang}' to 'languages', or remove this translation."),
    ("LG003", "error", "a plain text in a scenario that declares {languages}", "Write it as {{{example}}} with every language."),
    # --- characters -----------------------------------------------------------------
    ("TX001", "warning", "the text contains {char}, a control character that terminals obey (it moves the cursor, rings, recolours or reorders the line)", "Remove it: the simulator shows it as {shown} and never passes it to a terminal. Write a line break as a real line break, not as \\r."),
    # --- the graph --------------------------------------------------------------------
    ("GR001", "error", "node '{value}' can never be reached from the start", "Point a response's 'next' at it, or delete it."),
    ("GR002", "error", "from node '{value}' no path leads to an ending", "Give at least one response here a path to an ending; a call must be able to end."),
    ("GR003", "warning", "ending '{value}' is never reached", "Point a response's 'next' at it, or delete it."),
    ("GR004", "error", "no path reaches a good outcome (retained, resolved or downgraded)", "Trainees must be able to win: add a path that ends retained or resolved."),
    ("GR005", "error", "the start node '{value}' is not a node", "Set 'start:' to one of the ids under 'nodes'.{suggestion}"),
    ("GR006", "warning", "every response of node '{value}' has a condition; when none holds, the call ends at the turn-limit ending", "Give one response no 'if', so there is always something to say."),
    # --- what the window can draw (simulator/glyphs.py) -----------------------------------
    ("GL001", "warning", "the bundled font cannot draw '{char}' (U+{point}); the window shows an empty box instead", "Use a common character (the bundled font has the 8,105 of the Table of General Standard Chinese Characters), or set RETENTION_SIM_FONT to a font that has it."),
    # --- analysis (python main.py analyze) ---------------------------------------------
    ("AN001", "warning", "a call making {count} or more mistakes still scores {score}/100 (grade A); its first mistake is here", "Make mistakes cost more mood, or lead them toward a worse ending, so bad practice is never rewarded."),
    ("AN002", "warning", "a call making {count} or more mistakes still ends {outcome} ('{ending}') with {score}/100; its first mistake is here", "Customers rarely stay after that: let repeated mistakes end the call badly (a mood condition on 'next')."),
    ("AN003", "warning", "always choosing {policy} ({where}) ends {outcome} ('{ending}') with {score}/100; the best call scores {best}; its first pick is here", "A trainee must not win by the answers' form: write distractors as long, warm and plausible as the right answer (a premature offer, a procedure-first reply), so that no content-free policy keeps the customer or comes within {margin} points of the best call."),
    ("AN004", "warning", "the best answer is also the longest in {hits} of {turns} turns ({share}, {where}; the limit is {limit}); the first is here", "Vary the length: let some right answers be short and plain, and some wrong ones long and eloquent."),
    # --- playthroughs -------------------------------------------------------------------
    ("PT001", "error", "playthrough '{name}': turn {turn} chooses {choice}, but node '{node}' offers {count} response(s) there", "Choices are 1-based, in the order the responses are written."),
    ("PT002", "error", "playthrough '{name}' ended at '{actual}', expected '{expected}'", "Fix the choices or the expected ending."),
    ("PT003", "error", "playthrough '{name}' scored {actual}, expected {low}–{high}", "Adjust the scoring range, or the content it checks."),
    ("PT004", "error", "playthrough '{name}' stopped at node '{node}' before reaching an ending", "Add choices until the call ends."),
    ("PT005", "error", "playthrough '{name}' lists {count} choices, but the call ends at '{ending}' after {taken}", "Remove the choices after the ending, or fix the earlier ones so that the call goes on."),
    # --- the exemplar corpus (simulator/data/exemplars/*.yaml, the free-text recogniser) ----
    ("EX001", "error", "'{value}' is neither a technique nor a mistake id", "See 'python main.py techniques' for the catalog.{suggestion}"),
    ("EX002", "error", "the file is for label '{value}' but is named '{name}'", "Name the file after its label: {value}.yaml."),
    ("EX003", "error", "{count} example(s) in '{lang}'; each file needs at least {minimum} per language", "Write more varied answers (callers, registers, lengths) until each language has {minimum}."),
    ("EX004", "error", "the same {lang} answer is written twice (first at {first})", "Remove one, or change it so it says something new."),
    ("EX005", "error", "an example needs at least one label", "List every technique and mistake id the answer shows, e.g. 'labels: [empathy]'."),
    ("EX006", "error", "'{value}' is not a valid cue pattern: {reason}", "Cues are Python regular expressions matched against lower-case text; escape '(', '[', '?', '+', '*' and '.' meant literally with a backslash."),
    ("EX007", "error", "the cue pattern {value} holds a control character, so it can never match typed text", "In a double-quoted YAML string '\\b' is a backspace: write the pattern in single quotes ('\\bsorry\\b', doubling any ' inside) or double the backslash."),
)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem in a scenario: where it is, what is wrong, how to fix it."""

    code: str
    severity: Severity
    path: str
    line: int  # 1-based; 0 when unknown
    col: int  # 1-based; 0 when unknown
    message: str
    hint: str

    def format(self) -> str:
        """``path:line:col: CODE message`` and an indented hint line."""
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        label = "" if self.severity == "error" else "warning "
        return f"{where}: {label}{self.code} {self.message}\n    hint: {self.hint}"

    def as_json(self) -> dict:
        """Plain data for editors and CI."""
        return {
            "code": self.code, "severity": self.severity, "path": self.path,
            "line": self.line, "column": self.col, "message": self.message, "hint": self.hint,
        }


def make(code: str, path: str, line: int, col: int, **fields: object) -> Diagnostic:
    """Build a diagnostic from the table, filling the message and hint templates."""
    row = CODES[code]
    fields.setdefault("suggestion", "")
    return Diagnostic(
        code, row.severity, path, line, col,
        row.message.format(**fields), row.hint.format(**fields),
    )


class ScenarioError(Exception):
    """Raised when a scenario has errors; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"]
        first = errors[0].format() if errors else "no errors"
        super().__init__(f"{len(errors)} error(s) in scenario; first: {first}")
