"""The terminal player: a whole call with numbered choices, feedback now or at the end.

Interactive or driven by a policy (a script of choices, or best/worst/random play). All
input and output go through the callables given, so tests drive it like a person would.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TextIO

from .answer_input import read_answer
from .core import analysis, scoring, session_json
from .core.catalog import load_catalog
from .core.engine import Engine, State
from .core.model import Scenario
from .core.text import choice_number, display_width, pad, pick, printable, wrap
from .i18n import currency_word, mood_word, t
from .policies import Policy
from .recogniser.model import ModelError
from .recogniser.player import listen, scored_lines
from .report.data import typed_advice
from .storage import Recorder, Store

# A command the trainee may copy from the screen: never split across lines.
COMMAND = re.compile(r"python main\.py(?: [-A-Za-z0-9_.:/,={}]+)*")
# The indent a wrapped line keeps: leading spaces, and a list marker to hang after.
_MARKER = re.compile(r"\s*(?:(?:\d+\.|[-•✓✗→])\s+)?")


@dataclass
class Session:
    """Where the current call is saved, if anywhere."""

    store: Store | None
    id: int | None = None
    saved_turns: int = 0  # answered turns the store already holds (a resumed call's history)
    recorder: Recorder | None = None

    def keeper(self) -> Recorder:
        """The recorder that saves this call's states (made on first use)."""
        if self.recorder is None:
            self.recorder = Recorder(self.store, self.id, self.saved_turns)
        return self.recorder


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class TerminalPlayer:
    """Plays one call in a terminal."""

    def __init__(self, scenario: Scenario, out: TextIO | None = None,
                 ask: Callable[[str], str] | None = None, clock: Callable[[], float] = time.monotonic,
                 feedback: str = "now", color: bool | None = None, width: int | None = None,
                 answer: str = "choice"):
        self.scenario = scenario
        self.answer = answer  # choice | free (type your own words) | both
        self.engine = Engine(scenario)
        self.catalog = load_catalog()
        out = out if out is not None else sys.stdout
        self.out = out
        self.ask = ask or (read_answer if answer != "choice" else (lambda prompt: input(prompt)))
        self.clock = clock
        self.feedback = feedback
        tty = hasattr(out, "isatty") and out.isatty()
        if color is None:
            color = tty and "NO_COLOR" not in os.environ
        self.color = color
        # Wrap to the terminal's width; a pipe or a file gets whole lines (0: no wrapping).
        self.width = width if width is not None else shutil.get_terminal_size().columns if tty else 0

    # -- output helpers ------------------------------------------------------------------
    def say(self, line: str = "", style: str | None = None) -> None:
        """Write a line (or several, split at newlines), wrapped to the terminal by display width.

        Content is made printable first, so only our own colour codes reach the terminal. A
        wrapped line keeps its indent, hanging after a list marker ("1. ", "✓ ", "→ ").
        """
        lines = []
        for part in printable(line).split("\n"):
            if self.width > 0:
                marker = _MARKER.match(part).group(0)
                lines += wrap(part[len(marker):], self.width, marker, " " * display_width(marker), keep=COMMAND)
            else:
                lines.append(part)
        if style and self.color:
            lines = [f"\033[{style}m{x}\033[0m" for x in lines]
        self.out.write("\n".join(lines) + "\n")
        self.out.flush()

    def name(self, kind: str, item_id: str, lang: str) -> str:
        table = self.catalog.techniques if kind == "technique" else self.catalog.mistakes
        return pick(table[item_id].name, lang)

    # -- the call ------------------------------------------------------------------------
    def header(self, state: State) -> None:
        s, lang = self.scenario, state.language
        p = s.persona_for(state.variant)
        self.say(pick(s.title, lang), "1")
        card = t("persona", lang, name=pick(p.name, lang), segment=t(f"segment.{p.segment}", lang),
                 tenure=p.tenure_months, plan=pick(p.plan, lang), currency=p.currency,
                 currency_zh=currency_word(p.currency, "zh"),
                 spend=f"{p.monthly_spend:g}", stage=t(f"stage.{p.lifecycle_stage}", lang),
                 personality=t(f"personality.{p.personality}", lang))
        if p.churn_risk is not None:
            card += " · " + t("churn_risk", lang, risk=f"{p.churn_risk:g}")
        self.say(card)
        self.say(f"{t('situation', lang)}{t('colon', lang)}{self.engine.say(state, s.situation)}")
        self.say(t("objectives", lang) + t("colon", lang).rstrip())
        for objective in s.objectives:
            self.say(f"  - {pick(objective, lang)}")
        self.say()

    def show_customer(self, state: State) -> None:
        lang = state.language
        who = pick(self.scenario.persona_for(state.variant).name, lang)
        # the word follows the number, as the window's meter does: never "angry" at 50 after "annoyed" at 40
        word = t("emotion." + mood_word(state.mood), lang)
        self.say(t("customer_head", lang, who=who, word=word, mood=state.mood), "1;36")
        self.say(f"  {self.engine.customer_line(state)}")

    def show_feedback(self, before: State, after: State) -> None:
        lang = before.language
        turn = after.history[-1]
        review = scoring.score(self.scenario, after, self.catalog).turns[-1]
        response = self.engine.response(before, turn.response)
        if review.techniques:
            names = t("list_sep", lang).join(self.name("technique", x, lang) for x in review.techniques)
            self.say(f"  ✓ {t('techniques', lang)}{t('colon', lang)}{names}", "32")
        mistakes = review.mistakes + review.auto_mistakes
        if mistakes:
            names = t("list_sep", lang).join(self.name("mistake", x, lang) for x in mistakes)
            self.say(f"  ✗ {t('mistakes', lang)}{t('colon', lang)}{names}", "31")
        if review.auto_mistakes:
            self.say(f"    {t('premature', lang)}")
        for line in scored_lines(review, lang, self.catalog):
            self.say(f"  {line}")
        change = review.mood_change
        colon = t("colon", lang)
        self.say(f"  {t('mood', lang)}{colon}{turn.mood_before} → {turn.mood_after} ({change:+d})")
        why = self.engine.say(before, response.feedback)  # typed words scored unlike it: about the written answer
        self.say(f"  {t('why', lang)}{colon}{why if review.as_written else t('r.about_matched', lang, text=why)}")
        if response.instead and review.instead_applies:
            self.say(f"  {t('instead', lang)}{colon}{self.engine.say(before, response.instead)}")
        elif review.better is not None:
            better = self.scenario.nodes[turn.node].responses[review.better]
            self.say(f"  {t('better', lang)}{colon}{self.engine.say(before, better.text)}")
        advice = typed_advice(review, response.techniques, self.catalog, lang)
        if advice:
            self.say(f"  {advice}")

    def play(self, state: State, policy: Policy | None = None, session: Session | None = None) -> State:
        """Play from ``state`` until the call ends or the trainee quits; returns the last state."""
        session = session or Session(None)
        lang = state.language
        self.header(state)
        if state.history:
            self.replay_transcript(state)
        while not state.over:
            self.show_customer(state)
            choices = self.engine.choices(state)
            for c in choices if self.answer != "free" else ():
                self.say(f"  {c.number}. {c.text}")
            # The answer clock starts now that the customer's line and every option are on screen
            # (say() flushes each line) and stops when a valid answer is read. A policy has no
            # answer time: its turns are stored without one.
            started = self.clock()
            said = None
            if policy is not None:
                index = policy(self.engine, state)
                option = self.engine.options(state).index(index)
            else:
                option = self.read_choice(state, len(choices))
                if isinstance(option, tuple):  # typed words matched to an option: (option, what was said)
                    option, said = option
                if option == "quit":
                    self.say_what_is_saved(session, state, quitting=True)
                    return state
                if option == "undo":
                    if state.history:
                        state = self.engine.undo(state)
                        self.persist(session, state)
                        self.say(t("undone", lang))
                    else:
                        self.say(t("nothing_to_undo", lang))
                    self.say()
                    continue
            elapsed_ms = None if policy is not None else int((self.clock() - started) * 1000)
            before = state
            state = self.engine.choose(state, option, elapsed_ms, said)
            self.persist(session, state)
            if said is not None:
                self.say(f"{t('you', lang)}{t('colon', lang)}{said.text}", "1;33")
                self.say(f"  {t('matched', lang)}{t('colon', lang)}{choices[option].text}")
            else:
                self.say(f"{t('you', lang)}{t('colon', lang)}{choices[option].text}", "1;33")
            if self.feedback == "now":
                self.show_feedback(before, state)
            self.say()
        self.finish(state)
        self.say_what_is_saved(session, state, quitting=False)
        return state

    def read_choice(self, state: State, count: int) -> int | str | tuple:
        lang = state.language
        shown = self.answer != "free"  # in free mode the written answers show only after "Did you mean …?"
        while True:
            try:
                typed = self.ask(self.prompt(lang, count, shown))
                raw = typed.strip().lower()
            except (EOFError, KeyboardInterrupt, OSError):  # closed or unreadable input: save and stop
                self.say()
                return "quit"
            if raw in ("q", "quit", "exit"):
                return "quit"
            if raw in ("u", "undo"):
                return "undo"
            if raw in ("?", "h", "help"):
                self.say(t("help" if self.answer == "choice" else "help.typed", lang))
                continue
            number = choice_number(raw)
            if number is not None and shown:  # a number picks only among answers on the screen
                if 1 <= number <= count:
                    return number - 1
                self.say(t("invalid", lang, n=count))
                continue
            if self.answer != "choice" and raw:
                try:
                    heard = listen(self.engine, state, typed.strip())
                except ModelError as e:  # no usable recogniser: say why once, and the call goes on by choosing
                    self.say(t("w.no_model", lang, error=e))
                    self.answer, shown = "choice", True
                    for c in self.engine.choices(state):
                        self.say(f"  {c.number}. {c.text}")
                    continue
                # What was heard is feedback: with feedback at the end it waits for the review, as in the
                # window; only "Did you mean …?" says it at once, since the trainee needs it to pick.
                if heard.option is None or self.feedback == "now":
                    for line in heard.lines:
                        self.say(f"  {line}")
                if heard.option is not None:
                    return heard.option, heard.said
                for c in self.engine.choices(state):  # "Did you mean …?": the authored answers to pick from
                    self.say(f"  {c.number}. {c.text}")
                shown = True
                continue
            self.say(t("invalid" if self.answer == "choice" else "invalid.typed", lang, n=count))

    def prompt(self, lang: str, count: int, shown: bool) -> str:
        """The answer prompt: numbers only when the written answers are on screen to pick from."""
        if self.answer == "choice":
            return t("prompt", lang, n=count)
        return t("prompt.both" if shown else "prompt.free", lang, n=count)

    def persist(self, session: Session, state: State) -> None:
        """Commit the state before the next line shows; when that fails, say so at once and keep it to retry."""
        recorder = session.keeper()
        if not recorder.enabled:
            return
        failing, taken = recorder.error is not None, recorder.taken
        result = scoring.score(self.scenario, state, self.catalog) if state.over else None
        saved = recorder.record(session_json.to_json(self.scenario, state), len(state.history), _now(),
                                finished=state.over, ending=state.ending, score=result.total if result else None)
        if saved and failing:
            self.say(t("save_recovered", state.language, turns=recorder.saved_turns), "32")
        elif recorder.taken and not taken:
            self.say(t("save_taken", state.language), "1;31")
        elif not saved and not failing and not recorder.taken:
            self.say(t("save_pending", state.language, error=recorder.error), "1;31")

    def say_what_is_saved(self, session: Session, state: State, quitting: bool) -> None:
        """The last word on saving: exactly what the store holds, after a last few tries."""
        recorder = session.keeper()
        if not recorder.enabled:
            return
        if recorder.flush(attempts=3):
            if quitting:
                self.say(t("saved_resume", state.language, id=session.id, options=self.resume_options()))
            return
        why = recorder.error or ""
        self.say(t("not_saved_final", state.language, saved=recorder.saved_turns, total=len(state.history),
                   error=why), "1;31")

    def resume_options(self) -> str:
        """The options that resume this call as it was played: ``play --resume`` starts with numbered
        answers and feedback after each, whatever the call began with."""
        options = "" if self.answer == "choice" else f" --answer {self.answer}"
        return options + (" --feedback end" if self.feedback == "end" else "")

    def replay_transcript(self, state: State) -> None:
        lang = state.language
        for turn in state.history:
            node = self.scenario.nodes[turn.node]
            self.say(f"{t('customer', lang)}{t('colon', lang)}{self.engine.say(state, node.customer)}")
            said = turn.said.text if turn.said else self.engine.say(state, node.responses[turn.response].text)
            self.say(f"{t('you', lang)}{t('colon', lang)}{said}")
        self.say()

    def finish(self, state: State) -> None:
        """The ending, the debrief, the score breakdown and the best achievable path."""
        s, lang = self.scenario, state.language
        ending = s.endings[state.ending]
        result = scoring.score(s, state, self.catalog)
        self.say(f"— {t('call_over', lang)} —", "1")
        if ending.customer:
            who = pick(s.persona_for(state.variant).name, lang)
            self.say(f"{who}{t('colon', lang)}{self.engine.say(state, ending.customer)}")
        self.say(f"{t('outcome', lang)}{t('colon', lang)}{t('outcome.' + ending.outcome, lang)}")
        self.say(self.engine.say(state, ending.debrief))
        self.say()
        if self.feedback == "end":
            self.review(state, result)
        self.breakdown(state, result)
        best = analysis.best_and_worst(s, state.variant)[0]
        if best is not None and best.responses != tuple(turn.response for turn in state.history):
            outcome = t("outcome." + s.endings[best.ending].outcome, lang)
            self.say(t("best_path", lang, score=best.score, outcome=outcome), "1")
            for n, (node_id, index) in enumerate(zip(best.nodes, best.responses, strict=True), start=1):
                node = s.nodes[node_id]
                self.say(t("expert_turn", lang, n=n, customer=self.engine.say(state, node.customer),
                           answer=self.engine.say(state, node.responses[index].text)))
            self.say()
        self.say(f"Score: {result.total}/100" + t("grade", lang, grade=result.grade), "1")

    def review(self, state: State, result: scoring.CallScore) -> None:
        lang = state.language
        self.say(t("review", lang), "1")
        personality = self.engine.personality(state)
        for review in result.turns:
            node = self.scenario.nodes[review.node]
            response = node.responses[review.response].for_personality(personality)
            self.say(f"{review.number}. {t('customer', lang)}{t('colon', lang)}{self.engine.say(state, node.customer)}")
            if review.said is not None:
                self.say(f"   {t('you', lang)}{t('colon', lang)}{review.said.text}")
                self.say(f"   {t('matched', lang)}{t('colon', lang)}{self.engine.say(state, response.text)}")
            else:
                self.say(f"   {t('you', lang)}{t('colon', lang)}{self.engine.say(state, response.text)}")
            if review.techniques:
                self.say(f"   ✓ {t('list_sep', lang).join(self.name('technique', x, lang) for x in review.techniques)}")
            mistakes = review.mistakes + review.auto_mistakes
            if mistakes:
                self.say(f"   ✗ {t('list_sep', lang).join(self.name('mistake', x, lang) for x in mistakes)}")
            for extra in scored_lines(review, lang, self.catalog)[1:]:  # what was heard but not counted
                self.say(f"   {extra}")
            line = f"   {t('mood', lang)} {review.mood_change:+d}"
            if review.elapsed_ms is not None:
                line += " · " + t("time", lang, seconds=review.elapsed_ms / 1000)
            self.say(line)
            why = self.engine.say(state, response.feedback)
            why = why if review.as_written else t("r.about_matched", lang, text=why)
            self.say(f"   {t('why', lang)}{t('colon', lang)}{why}")
            if response.instead and review.instead_applies:
                self.say(f"   {t('instead', lang)}{t('colon', lang)}{self.engine.say(state, response.instead)}")
            if review.better is not None:
                better = self.engine.say(state, node.responses[review.better].text)
                self.say(f"   {t('better', lang)}{t('colon', lang)}{better}")
            advice = typed_advice(review, response.techniques, self.catalog, lang)
            if advice:
                self.say(f"   {advice}")
        self.say()

    def breakdown(self, state: State, result: scoring.CallScore) -> None:
        lang = state.language
        self.say(t("breakdown", lang), "1")
        for part in result.parts:
            self.say(f"  {pad(t('part.' + part.id, lang), 24)} {part.points:5.1f} / {part.max:g}")
            if part.id == "techniques":
                for step_id, info in part.detail["steps"].items():
                    step = pick(self.catalog.steps[step_id].name, lang)
                    names = t("list_sep", lang).join(self.name("technique", x, lang) for x in info["earned"]) or "—"
                    self.say(f"      {step}{t('colon', lang)}{info['points']:g}/{info['max']:g}  {names}")
            if part.id == "cost" and part.detail["cost"]:
                d = part.detail
                p = self.scenario.persona_for(state.variant)
                self.say("      " + t("cost_line", lang, currency=currency_word(p.currency, lang), cost=d["cost"],
                                       months=d["months"],
                                       spend=d["monthly_spend"], budget=d["budget_months"]))
        self.say()
