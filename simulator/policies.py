"""Policies: who answers a call when no trainee does (a script of choices, best, worst, random).

A policy is a function from the engine and the call's state to the index of the response to
give. The terminal player and ``play --script/--auto`` use them. They live beside the core, not
in it, because random play draws from :mod:`random` (seeded, so a seed replays the same call).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from .core import analysis
from .core.engine import Engine, State
from .core.model import Scenario

Policy = Callable[[Engine, State], int]  # returns the response index (as written) to answer with


class PolicyError(Exception):
    """A scripted choice that the call does not offer."""


class ScriptPolicy:
    """Answer with these responses (1-based, in the order written), one per turn; ``left`` is what remains."""

    def __init__(self, choices: list[int]):
        self.queue = list(choices)

    @property
    def left(self) -> list[int]:
        """The choices not used yet: after a finished call, any left is a script longer than the call."""
        return list(self.queue)

    def __call__(self, eng: Engine, state: State) -> int:
        if not self.queue:
            raise PolicyError(f"the script ran out of choices at turn {state.turn + 1} (node '{state.node}')")
        number = self.queue.pop(0)
        if number - 1 not in eng.options(state):
            offered = ", ".join(str(i + 1) for i in sorted(eng.options(state)))
            raise PolicyError(f"turn {state.turn + 1}: response {number} is not offered at node "
                              f"'{state.node}' (offered: {offered})")
        return number - 1


def script_policy(choices: list[int]) -> ScriptPolicy:
    """Answer with these responses (1-based, in the order written), one per turn."""
    return ScriptPolicy(choices)


def path_policy(path: analysis.Path) -> Policy:
    """Follow a path found by the analysis."""
    return script_policy([i + 1 for i in path.responses])


def random_policy(seed: int) -> Policy:
    """Answer at random (uniformly over what is offered), reproducibly."""
    rng = random.Random(seed)

    def policy(eng: Engine, state: State) -> int:
        return rng.choice(sorted(eng.options(state)))

    return policy


def auto_policy(spec: str, scenario: Scenario, variant: str | None) -> Policy:
    """Build a policy from ``best``, ``worst`` or ``random[:SEED]``."""
    name, _, arg = spec.partition(":")
    if name in ("best", "worst"):
        best, worst, _exact = analysis.best_and_worst(scenario, variant)
        path = best if name == "best" else worst
        if path is None:
            raise PolicyError("this scenario has no playthrough that reaches an ending")
        return path_policy(path)
    if name == "random":
        try:
            return random_policy(int(arg) if arg else 0)
        except ValueError:
            raise PolicyError(f"'{arg}' is not a seed; use random or random:42") from None
    raise PolicyError(f"unknown policy '{spec}'; use best, worst or random[:SEED]")
