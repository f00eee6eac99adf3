"""The technique catalog: steps, techniques and mistakes of the retention playbook, as data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from .text import Text


@dataclass(frozen=True, slots=True)
class Step:
    """One of the five links of a retention call, in order (``order`` 1–5)."""

    id: str
    order: int
    name: Text
    description: Text


@dataclass(frozen=True, slots=True)
class Technique:
    """A named retention technique a response can demonstrate."""

    id: str
    step: str
    weight: float
    name: Text
    description: Text
    retention_move: bool  # an offer or counter-argument: premature before the reason is known


@dataclass(frozen=True, slots=True)
class Mistake:
    """A classic mistake a response can make, and the points it costs."""

    id: str
    penalty: float
    name: Text
    description: Text


@dataclass(frozen=True, slots=True)
class Catalog:
    """The whole vocabulary, in playbook order."""

    steps: dict[str, Step]
    techniques: dict[str, Technique]
    mistakes: dict[str, Mistake]

    def step_order(self, step_id: str) -> int:
        """The 1-based position of a step in the five-link call."""
        return self.steps[step_id].order


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """Read the packaged catalog (``simulator/data/catalog.yaml``)."""
    raw = resources.files("simulator").joinpath("data/catalog.yaml").read_text("utf-8")
    data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    steps = {
        s["id"]: Step(s["id"], i, s["name"], s["description"])
        for i, s in enumerate(data["steps"], start=1)
    }
    techniques = {
        t["id"]: Technique(
            t["id"], t["step"], float(t["weight"]), t["name"], t["description"],
            bool(t.get("retention_move", False)),
        )
        for t in data["techniques"]
    }
    mistakes = {
        m["id"]: Mistake(m["id"], float(m["penalty"]), m["name"], m["description"])
        for m in data["mistakes"]
    }
    return Catalog(steps, techniques, mistakes)


def catalog_as_json(catalog: Catalog) -> dict:
    """The catalog as plain JSON-ready data."""
    return {
        "steps": [
            {"id": s.id, "order": s.order, "name": dict(s.name), "description": dict(s.description)}
            for s in catalog.steps.values()
        ],
        "techniques": [
            {
                "id": t.id, "step": t.step, "weight": t.weight, "retention_move": t.retention_move,
                "name": dict(t.name), "description": dict(t.description),
            }
            for t in catalog.techniques.values()
        ],
        "mistakes": [
            {"id": m.id, "penalty": m.penalty, "name": dict(m.name), "description": dict(m.description)}
            for m in catalog.mistakes.values()
        ],
    }


def catalog_markdown(catalog: Catalog) -> str:
    """The catalog as Markdown tables (docs/authoring.md carries this text)."""
    lines = ["| step | technique id | name | 中文 | weight | what it means |", "|---|---|---|---|---|---|"]
    for step in catalog.steps.values():
        for t in catalog.techniques.values():
            if t.step == step.id:
                lines.append(f"| {step.order}. {step.name['en']} | `{t.id}` | {t.name['en']} | {t.name['zh']} | "
                             f"{t.weight:g} | {t.description['en']} |")
    lines += ["", "| mistake id | name | 中文 | penalty | why it hurts |", "|---|---|---|---|---|"]
    for m in catalog.mistakes.values():
        lines.append(f"| `{m.id}` | {m.name['en']} | {m.name['zh']} | {m.penalty:g} | {m.description['en']} |")
    return "\n".join(lines) + "\n"
