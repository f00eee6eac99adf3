"""Rendering a report: HTML (Jinja2, autoescaped, self-contained), Markdown and JSON.

Only the project's own templates are templates. Scenario and trainee text arrive as data in
the report dict and are escaped on output; nothing an author writes is ever compiled.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..core.catalog import load_catalog
from ..core.text import pick, printable
from ..i18n import currency_word
from ..i18n import t as translate
from .charts import mood_svg, times_svg

FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".json": "json"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


def _md(text: object) -> str:
    """Author text inside Markdown: escape what Markdown or embedded HTML would interpret."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


@lru_cache(maxsize=2)
def _env(kind: str) -> Environment:
    env = Environment(loader=PackageLoader("simulator", "templates"), autoescape=(kind == "html"),
                      undefined=StrictUndefined, trim_blocks=False, keep_trailing_newline=True)
    env.filters["md"] = _md
    env.filters["extract"] = lambda key, table: table[key]
    return env


def _context(report: dict) -> dict:
    lang = report["language"]
    catalog = load_catalog()
    return {
        "r": report, "lang": lang,
        "t": lambda key, **values: translate(key, lang, **values),
        "step_names": {s.id: pick(s.name, lang) for s in catalog.steps.values()},
        "currency": currency_word(report["persona"]["currency"], lang),  # "150元" in Chinese, "CNY 150" in English
    }


def to_html(report: dict) -> str:
    """One self-contained HTML page: inline CSS and SVG, nothing fetched, no script."""
    context = _context(report)
    lang = report["language"]
    context.update(mood_svg=mood_svg(report["mood"], lang), times_svg=times_svg(report["turns"], lang))
    return _env("html").get_template("report.html.j2").render(context)


def to_markdown(report: dict) -> str:
    """The report as Markdown (control characters in content made visible and inert, so a CR cannot break it)."""
    return printable(_env("markdown").get_template("report.md.j2").render(_context(report)))


def to_json(report: dict) -> str:
    """The report as JSON."""
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def _heat(value: float | None) -> str:
    if value is None:
        return "#9aa5b1"
    red, green = int(198 - 152 * value), int(40 + 85 * value)
    return f"rgb({red},{green},{int(40 + 10 * value)})"


def _sparkline(scores: list[dict]) -> Markup:
    """A trainee's scores call by call as a line with no text (so nothing in it can be too small to read);
    hidden from screen readers, which read the same scores as text beside it ("70 → 85")."""
    values = [s["score"] for s in scores]
    width, height = 160, 30
    if len(values) == 1:
        values = values * 2
    step = width / (len(values) - 1)
    points = " ".join(f"{i * step:.1f},{height - v * height / 100:.1f}" for i, v in enumerate(values))
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                  f'viewBox="0 -2 {width} {height + 4}" aria-hidden="true"><polyline points="{points}" fill="none" '
                  f'stroke="#4e79a7" stroke-width="2"/></svg>')


def cohort_html(cohort: dict) -> str:
    """The cohort report as one self-contained HTML page."""
    return _env("html").get_template("cohort.html.j2").render(c=cohort, heat=_heat, sparkline=_sparkline)


def cohort_markdown(cohort: dict) -> str:
    """The cohort report as Markdown (control characters in content made visible and inert)."""
    lab = cohort["labels"]
    average = "—" if cohort["average_score"] is None else cohort["average_score"]
    colon = lab["colon"]

    def sd(spread) -> str:  # "(sd 1.2)" / "（标准差 1.2）"
        return lab["paren"].format(text=f"{lab['c.sd']} {spread}")

    lines = [f"# {lab['c.title']}", "", f"{lab['c.sessions']}{colon}{cohort['sessions']} · {lab['c.average']}{colon}"
             f"{average}{sd(cohort['score_spread'])}", "", f"## {lab['c.heatmap']}", "",
             "| | " + " | ".join(cohort["step_names"].values()) + " |",
             "|---|" + "---|" * len(cohort["step_names"])]
    for row in cohort["heatmap"]:
        cells = ["—" if row["steps"][s] is None else f"{row['steps'][s]:.0%}" for s in cohort["step_names"]]
        lines.append(f"| {_md(row['trainee'])} | " + " | ".join(cells) + " |")
    lines += ["", f"## {lab['c.techniques']}", ""]
    lines += [f"- {x['name']}{colon}{x['share']:.0%}{sd(x['spread'])}" for x in cohort["techniques"]]
    lines += ["", f"## {lab['c.mistakes']}", ""]
    lines += [f"- {x['name']}{colon}{x['average']}{sd(x['spread'])}" for x in cohort["mistakes"]]
    lines += ["", f"## {lab['c.hardest']}", ""]
    for rows in cohort["hardest_turns"].values():
        for h in rows:
            where = f"“{_md(h['line'])}” (`{h['node']}`)" if h.get("line") else f"`{h['node']}`"
            lines.append(f"- {_md(h['title'])} · {where}: {h['weak_share']:.0%} {lab['c.weak']} ({h['visits']})")
    lines += ["", f"## {lab['c.progress']}", ""]
    lines += [f"- {_md(r['trainee'])}: " + " → ".join(str(s["score"]) for s in r["scores"]) for r in cohort["progress"]]
    if cohort.get("typed_turns"):
        lines += ["", f"## {lab['c.typed']}", "", lab["c.typed_note"]]
        scenario = None
        for turn in cohort["typed_turns"]:
            if turn["scenario"] != scenario:  # the turns come scenario by scenario, each in call order
                scenario = turn["scenario"]
                lines += ["", f"### {_md(turn['title'])}"]
            lines += ["", f"#### “{_md(turn['line'])}” · `{turn['node']}` ({turn['typed']})", ""]
            if turn["line"] != turn["customer"]:
                lines += [f"> {_md(turn['customer'])}", ""]
            for a in turn["answers"]:
                heard = lab["list_sep"].join(f"{h['name']} {h['confidence']:.2f}{'' if h['counted'] else '*'}"
                                             for h in a["heard"]) or lab["r.heard_none"]
                tag = f"{_md(a['language_tag'])} " if a["language_tag"] else ""
                lines.append(f"- {_md(a['trainee'])}: {tag}“{_md(a['text'])}” · {lab['r.heard']}{colon}{heard} · "
                             f"{lab['r.matched']}{colon}{_md(a['matched'])}")
    if cohort["skipped"]:
        lines += ["", f"## {lab['c.skipped']}", ""]
        lines += [f"- #{s['session']}: {_md(s['why'])}" for s in cohort["skipped"]]
    return printable("\n".join(lines) + "\n")


def render(report: dict, fmt: str) -> str:
    """Render in ``html``, ``markdown`` or ``json``."""
    return {"html": to_html, "markdown": to_markdown, "json": to_json}[fmt](report)


def format_for(path: str) -> str:
    """The format a file name asks for (by its extension)."""
    for ext, fmt in FORMATS.items():
        if path.lower().endswith(ext):
            return fmt
    raise ValueError(f"cannot tell the report format of '{path}': use .html, .md or .json")
