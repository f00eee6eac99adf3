"""What the instructor's commands share: the audit printed for a person, safe file writes,
playthrough coverage and proposals, and ``validate --watch``."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import yaml

from . import scenarios as shipped
from .core import audit as auditing
from .core.loader import load, load_with_diagnostics
from .core.model import Scenario
from .core.text import pick
from .files import write_atomic, write_problem


class AuthoringError(Exception):
    """A request the tools cannot carry out, explained in one line."""


def load_scenario(name: str) -> Scenario:
    """A scenario given as a file or a shipped id, or an error naming the list command."""
    path = shipped.find(name)
    if path is None:
        raise AuthoringError(f"no scenario file or id '{name}' (see: python main.py list)")
    return load(path)


# -- analyze -----------------------------------------------------------------------------
def _path_json(scenario, path) -> dict | None:
    if path is None:
        return None
    return {"choices": list(path.choices), "nodes": list(path.nodes), "ending": path.ending,
            "outcome": scenario.endings[path.ending].outcome, "score": path.score}


def audit_as_json(scenario, report: auditing.Audit) -> dict:
    """The audit as plain data (``analyze --format json``)."""
    a = report.analysis
    return {
        "scenario": scenario.id,
        "exact": a.exact,
        "paths": a.paths,
        "shortest_call": a.shortest,
        "longest_call": a.longest,
        "best": _path_json(scenario, a.best),
        "worst": _path_json(scenario, a.worst),
        "best_bound": a.best_bound,  # no call scores above this (equals best's score when proven)
        "worst_bound": a.worst_bound,  # no call scores below this
        "parts": {
            part: {"best": best.value, "best_path": _path_json(scenario, best.path),
                   "worst": worst.value, "worst_path": _path_json(scenario, worst.path),
                   "exact": best.exact and worst.exact, "best_bound": best.bound, "worst_bound": worst.bound}
            for part, (best, worst) in report.parts.items()
        },
        "outcome_odds": {k: round(v, 4) for k, v in sorted(a.outcome_odds.items())},
        "ending_odds": {k: round(v, 4) for k, v in sorted(a.ending_odds.items())},
        "techniques_unused": report.unused_techniques,
        "techniques_never_earned": report.unreachable_techniques,
        "mistakes_unused": report.unused_mistakes,
        "mistakes_never_made": report.unreachable_mistakes,
        "cues": cues_as_json(report.cues),
        "warnings": [dict(f.diagnostic.as_json(), path=_path_json(scenario, f.path)) for f in report.findings],
    }


def cues_as_json(cues) -> dict:
    """The test-wiseness audit as plain data: each policy's call and the length cue, per language and variant."""
    return {
        "best": [{"variant": v, "score": b.score, "source": b.source} for v, b in cues.best.items()],
        "policies": [{"policy": p.policy, "language": p.language, "variant": p.variant, "score": p.score,
                      "ending": p.ending, "outcome": p.outcome, "choices": list(p.path.choices)}
                     for p in cues.plays],
        "best_is_longest": [{"language": c.language, "variant": c.variant, "turns": c.turns, "hits": c.hits,
                             "share": round(c.share, 4)} for c in cues.lengths],
    }


def print_audit(scenario, data: dict, report: auditing.Audit) -> None:
    """The audit for a person."""
    print(f"{scenario.id}: {pick(scenario.title, 'en')}")
    exact = "" if data["exact"] else " (search budget reached: figures are approximate)"
    print(f"  distinct playthroughs: {data['paths']:,}{exact}")
    if data["exact"] or data["longest_call"]:
        print(f"  shortest call: {data['shortest_call']} turns; longest: {data['longest_call']} turns")
    else:
        print("  shortest and longest call: unknown (too many playthroughs to count)")
    for label, sign in (("best", "≥"), ("worst", "≤")):
        p, limit = data[label], data[f"{label}_bound"]
        if p:
            choices = ",".join(map(str, p["choices"]))
            # Past the search budget the call found is a witness and the bound is proven.
            score = f"{p['score']}/100" if limit is None or limit == p["score"] else \
                f"{sign} {p['score']}/100 (bound {'≤' if label == 'best' else '≥'} {limit:g})"
            print(f"  {label}: {score} → {p['ending']} ({p['outcome']}); choices {choices}")
    print("  score parts (best / worst achievable):")
    for part, info in data["parts"].items():
        best, worst = info["best_path"], info["worst_path"]
        print(f"    {part:<11} {_reading(info['best'], info['best_bound'], '≥', '≤')} "
              f"via {','.join(map(str, best['choices'])) if best else '—'}"
              f"   /  {_reading(info['worst'], info['worst_bound'], '≤', '≥')} "
              f"via {','.join(map(str, worst['choices'])) if worst else '—'}")
    print("  outcomes under random play: " + ", ".join(f"{k} {v:.1%}" for k, v in data["outcome_odds"].items()))
    if data["techniques_never_earned"]:
        print(f"  techniques tagged but never reachable: {', '.join(data['techniques_never_earned'])}")
    print(f"  catalog techniques this scenario does not train: {', '.join(data['techniques_unused']) or 'none'}")
    if data["mistakes_never_made"]:
        print(f"  mistakes tagged but never reachable: {', '.join(data['mistakes_never_made'])}")
    print(f"  catalog mistakes no answer makes: {', '.join(data['mistakes_unused']) or 'none'}")
    print_cues(data["cues"])
    for finding in report.findings:
        print(finding.diagnostic.format())
        if finding.path is not None:
            print(f"    path: {','.join(map(str, finding.path.choices))} → {finding.path.ending}")
    print(f"{len(report.findings)} warning(s)")


def _reading(value: float | None, limit: float | None, found: str, beyond: str) -> str:
    """A part's best or worst: the value alone when proven, else "≥ value (bound ≤ limit)"."""
    if value is None:
        return "     —"
    if limit is None or abs(limit - value) < 1e-9:
        return f"{value:6.1f}"
    return f"{found} {value:.1f} (bound {beyond} {limit:.1f})"


def print_cues(cues: dict) -> None:
    """One line per language and variant: every content-free policy's score and ending, and the length cue."""
    print("  test-wise play (content-free policies: score → ending; best answer also the longest):")
    shares = {(c["language"], c["variant"]): c for c in cues["best_is_longest"]}
    best_of = {b["variant"]: b for b in cues["best"]}
    for (language, variant), cue in shares.items():
        best = best_of[variant]
        label = language + (f"/{variant}" if variant else "")
        plays = [p for p in cues["policies"] if (p["language"], p["variant"]) == (language, variant)]
        print(f"    [{label}] best call {best['score']} ({best['source']}); best is longest in "
              f"{cue['hits']}/{cue['turns']} turns ({cue['share']:.0%})")
        print("      " + "  ".join(f"{p['policy']} {p['score']}→{p['ending']}" for p in plays))


# -- writing files -----------------------------------------------------------------------
def write_new_file(path: Path, text: str, overwrite: bool) -> None:
    """Write atomically (temp file, fsync, rename), so a crash never leaves half a file."""
    if path.exists() and not overwrite:
        raise AuthoringError(f"{path} exists; choose another --id or -o, or add --force")
    try:
        write_atomic(path, text)
    except OSError as e:
        raise AuthoringError(f"cannot write {path}: {write_problem(path, e)}") from None


# -- test --coverage / --generate ----------------------------------------------------------
def cmd_test_extras(files: list[str], coverage: bool, generate: bool) -> int:
    """Coverage of the declared playthroughs, and proposed new ones."""
    status = 0
    for path in files:
        scenario, diagnostics = load_with_diagnostics(path)
        if scenario is None or any(d.severity == "error" for d in diagnostics):
            print(f"FAIL {path}: does not load (python main.py validate {path})")
            status = 1
            continue
        if coverage:
            print_coverage(scenario)
        if generate:
            print_proposals(scenario)
    return status


def print_coverage(scenario) -> None:
    """Which nodes, responses and endings the declared playthroughs exercise."""
    cov = auditing.coverage(scenario)
    endings_hit = sum(cov.endings.values())
    print(f"{scenario.path}: nodes {sum(cov.nodes.values())}/{len(cov.nodes)} ({cov.node_share:.0%}), "
          f"responses {sum(cov.responses.values())}/{len(cov.responses)} ({cov.response_share:.0%}), "
          f"endings {endings_hit}/{len(cov.endings)}")
    for node_id, hit in cov.nodes.items():
        if not hit:
            line, col = scenario.nodes[node_id].pos
            print(f"  {scenario.path}:{line}:{col}: node '{node_id}' is never visited")
    for (node_id, index), hit in cov.responses.items():
        if not hit and cov.nodes[node_id]:
            line, col = scenario.nodes[node_id].responses[index].pos
            print(f"  {scenario.path}:{line}:{col}: response {index + 1} of '{node_id}' is never chosen")
    for ending_id, hit in cov.endings.items():
        if not hit:
            line, col = scenario.endings[ending_id].pos
            print(f"  {scenario.path}:{line}:{col}: ending '{ending_id}' is never reached")


def print_proposals(scenario) -> None:
    """Playthroughs to keep, as YAML to paste under ``playthroughs:``."""
    proposals = auditing.propose_playthroughs(scenario)
    for variant in scenario.variants:
        proposals += [p for p in auditing.propose_playthroughs(scenario, variant) if p["name"] == "expert"]
    print(f"# {scenario.path}: proposed playthroughs (paste under 'playthroughs:')")
    print(yaml.safe_dump(proposals, allow_unicode=True, sort_keys=False, default_flow_style=None).rstrip())


# -- validate --watch -----------------------------------------------------------------------
def watch(paths: list[str], run: Callable[[], int]) -> int:
    """Run ``run`` now and after every change to a scenario file under ``paths``; Ctrl-C stops."""
    import watchfiles

    def yaml_only(_change: object, path: str) -> bool:
        return path.endswith((".yaml", ".yml")) and not os.path.basename(path).startswith(".")

    run()
    existing = [p for p in paths if os.path.exists(p)] or ["."]
    print(f"watching {', '.join(existing)} for changes (Ctrl-C to stop)", flush=True)
    try:
        for _changes in watchfiles.watch(*existing, watch_filter=yaml_only, debounce=200, raise_interrupt=False):
            print(f"--- {datetime.now().strftime('%H:%M:%S')} ---", flush=True)
            run()
            sys.stdout.flush()
    except KeyboardInterrupt:
        pass
    return 0

