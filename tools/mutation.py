"""``make mutation``: deliberate bugs in the core and in the templates' escaping, each of which a test must catch.

Two parts, both bounded in time, each ending with its killed share and the survivors by name:

* the core: mutmut (configured in pyproject.toml, [tool.mutmut]) changes one operator, constant or
  call at a time in simulator/core and runs the tests that reach the changed function. All of the
  core yields about 8,800 mutants, hours of work on a small machine, so by default a seeded uniform
  random sample of them is run and the killed share is reported with its 95% confidence interval,
  per module as well; ``--all`` runs every mutant. A survivor that is an equivalent mutant (no
  behaviour can tell it from the original) is listed with its reason in tools/mutation_explained.txt;
  it stays in the raw share and is taken out of the adjusted one, and both are printed. Survivors
  can be read with ``.venv/bin/mutmut show NAME``.
* the templates: every ``{{ field }}`` of the HTML templates that can carry author or trainee text is
  turned into ``{{ field|safe }}`` (no escaping) one at a time, and the hostile-text tests must fail.

Usage: ``python tools/mutation.py [--sample N] [--seed S] [--all] [--modules scoring engine ...]
[--unkilled] [--timeout SECONDS] [--skip-templates]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
EXPLAINED = ROOT / "tools" / "mutation_explained.txt"
TEMPLATES = [ROOT / "simulator" / "templates" / name for name in ("report.html.j2", "cohort.html.j2")]
# A plain field, optionally with a fallback: {{ r.debrief }}, {{ r.trainee or "—" }}.
FIELD = re.compile(r"\{\{\s*([a-z_][\w.]*(?:\s+or\s+\"[^\"]*\")?)\s*\}\}")
# Fields that hold numbers, ids the loader restricts to [a-z0-9_-], or enum values: no markup can reach them,
# so unescaping them is not a bug a test could show.
NOT_TEXT = {"score", "grade", "points", "max", "number", "sessions", "visits", "language", "outcome", "id",
            "mood_before", "mood_after", "seconds", "spread", "average", "step", "node", "average_score",
            "score_spread", "segment", "stage", "personality", "currency", "s", "session",
            # the SVG charts, built as markup on purpose (report/render.py)
            "mood_svg", "times_svg",
            # the product's own catalog and label text (technique, mistake, step and emotion names, figures):
            # no author or trainee can put markup there, so no hostile-text test can reach it
            "name", "why", "step_name", "emotion_name", "outcome_name", "f"}
HOSTILE_TESTS = ["tests/test_hostile_everywhere.py", "-k", "report and html or cohort", "-x", "-q",
                 "-p", "no:cacheprovider"]
KILLED = ("killed", "timeout", "caught by type check")  # a test (or the time limit) stopped the mutant
SURVIVED = ("survived", "no tests")  # no test failed: "no tests" means none even reached the function
# mutmut's own first step of `mutmut run` (copy the sources to mutants/ and write every mutant there),
# without running any test, so the sample can be drawn from every mutant there is.
GENERATE = ("import os, mutmut.__main__ as m\n"
            "os.makedirs('mutants', exist_ok=True)\n"
            "m.set_mutant_under_test('mutant_generation')\n"
            "m.copy_src_dir(); m.copy_also_copy_files(); m.setup_source_paths(); m.create_mutants({children})\n")


def run_bounded(argv: list[str], timeout: float, env: dict[str, str]) -> bool:
    """Run ``argv`` in its own process group; stop the whole group at ``timeout``. True when it finished."""
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, start_new_session=True)
    try:
        proc.wait(timeout=timeout)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        return False


def core_results() -> dict[str, str]:
    """Every mutant of the core and its status ("not checked" before it runs), from mutmut's result files."""
    from mutmut.stats import status_by_exit_code

    results: dict[str, str] = {}
    for meta in (ROOT / "mutants" / "simulator" / "core").rglob("*.py.meta"):
        for name, code in json.loads(meta.read_text("utf-8"))["exit_code_by_key"].items():
            results[name] = status_by_exit_code[code]
    return results


def module_of(name: str) -> str:
    """``simulator.core.loading.kinds.x_f__mutmut_3`` -> ``loading.kinds``."""
    return name.removeprefix("simulator.core.").split(".x_")[0].split(".xǁ")[0]


def read_explained(path: Path = EXPLAINED) -> dict[str, str]:
    """Mutant name -> why it cannot be killed, from ``NAME: reason`` lines (``#`` starts a comment)."""
    explained = {}
    if path.exists():
        for line in path.read_text("utf-8").splitlines():
            line = line.split(" #")[0].strip() if not line.startswith("#") else ""
            if line:
                name, _, reason = line.partition(": ")
                explained[name.strip()] = reason.strip()
    return explained


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of the share ``hits / n`` (sound near 0% and 100%, unlike the normal one)."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def share(hits: int, n: int) -> str:
    """``"45 of 50 (90.0%)"``."""
    return f"{hits} of {n} ({100 * hits / max(n, 1):.1f}%)"


def choose(names: list[str], modules: list[str] | None, sample: int | None, seed: int) -> list[str]:
    """The mutants to run: those of ``modules`` (all of the core when None), a uniform sample of ``sample``."""
    pool = sorted(n for n in names if modules is None or module_of(n) in modules)
    if sample is None or sample >= len(pool):
        return pool
    return sorted(random.Random(seed).sample(pool, sample))


def summarise(chosen: list[str], results: dict[str, str], explained: dict[str, str], population: int) -> int:
    """Print the killed share (raw and explained-adjusted, with its interval) and per module. Returns decided."""
    statuses = {name: results.get(name, "not checked") for name in chosen}
    decided = [n for n, s in statuses.items() if s in KILLED + SURVIVED]
    killed = [n for n in decided if statuses[n] in KILLED]
    survivors = sorted(n for n in decided if statuses[n] in SURVIVED)
    excused = [n for n in survivors if n in explained]
    timeouts = sum(statuses[n] == "timeout" for n in decided)
    low, high = wilson(len(killed), len(decided))
    print(f"\ncore: {len(chosen)} of {population} mutants chosen, {len(decided)} decided")
    print(f"  killed {len(killed)} (of which {timeouts} by the time limit), survived {len(survivors)}"
          f" (of which {len(excused)} explained as equivalent)")
    print(f"  raw killed share: {share(len(killed), len(decided))}; 95% CI {100 * low:.1f}%–{100 * high:.1f}%")
    adj_n = len(decided) - len(excused)
    low, high = wilson(len(killed), adj_n)
    print(f"  adjusted (explained survivors left out): {share(len(killed), adj_n)};"
          f" 95% CI {100 * low:.1f}%–{100 * high:.1f}%")
    per_module: dict[str, Counter[str]] = {}
    for name in decided:
        count = per_module.setdefault(module_of(name), Counter())
        count["decided"] += 1
        count["killed"] += statuses[name] in KILLED
        count["explained"] += name in excused
    print("  per module (killed of decided, explained survivors):")
    for module, count in sorted(per_module.items()):
        print(f"    {module:22} {share(count['killed'], count['decided']):>20}  {count['explained']} explained")
    for name in survivors:
        print(f"  {'explained' if name in explained else 'survived'}: {name}"
              + (f"  ({explained[name]})" if name in explained else ""))
    for name, status in sorted(statuses.items()):
        if name not in decided:
            print(f"  {status}: {name}")
    stale = sorted(set(explained) - set(results))
    for name in stale:
        print(f"  explained but no longer a mutant (remove it from {EXPLAINED.name}): {name}")
    return len(decided)


def mutate_core(modules: list[str] | None, sample: int | None, seed: int, timeout: float, children: int,
                unkilled: bool = False) -> None:
    """Write every mutant, run the chosen ones with mutmut within ``timeout`` seconds, print the shares."""
    with tempfile.TemporaryDirectory(prefix="mutation-") as temp:
        # Our own pytest temp root (other runs' leftovers cannot warn), and a derandomized hypothesis profile
        # so a mutant is judged the same way every time.
        env = {**os.environ, "PYTEST_DEBUG_TEMPROOT": temp, "HYPOTHESIS_PROFILE": "mutation"}
        _run_core(env, modules, sample, seed, timeout, children, unkilled)


def _run_core(env: dict[str, str], modules: list[str] | None, sample: int | None, seed: int, timeout: float,
              children: int, unkilled: bool) -> None:
    """mutate_core's work, in its temporary directory."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", GENERATE.format(children=children)], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    results = core_results()
    chosen = choose(list(results), modules, sample, seed)
    # Tests only ever get added between runs, so a mutant once killed stays killed: --unkilled runs the rest.
    to_run = [n for n in chosen if results[n] not in KILLED] if unkilled else chosen
    print(f"core: {len(chosen)} of {len(results)} mutants chosen (seed {seed}), running {len(to_run)}", flush=True)
    left = timeout - (time.monotonic() - started)
    finished = not to_run or run_bounded([str(VENV_BIN / "mutmut"), "run", "--max-children", str(children),
                                          *to_run], left, env)
    summarise(chosen, core_results(), read_explained(), len(results))
    print(f"  wall time {time.monotonic() - started:.0f} s" + ("" if finished else f"; stopped at {timeout:.0f} s,"
          " the mutants left undecided are listed above (mutmut runs the quickest first)"))


def template_mutants() -> list[tuple[Path, int, str]]:
    """(template, offset, field) for every text field that autoescaping protects."""
    found = []
    for path in TEMPLATES:
        for match in FIELD.finditer(path.read_text("utf-8")):
            parts = match.group(1).split()[0].split(".")
            # persona.name, the scenario's title and the like are author text, whatever their last part
            if parts[-1] not in NOT_TEXT or parts[-2:] == ["persona", "name"]:
                found.append((path, match.start(), match.group(1)))
    return found


def mutate_templates(timeout: float) -> tuple[int, int]:
    """Unescape each text field in turn and run the hostile-text tests; print what they missed."""
    with tempfile.TemporaryDirectory(prefix="mutation-") as temp:
        env = {**os.environ, "PYTEST_DEBUG_TEMPROOT": temp}
        return _run_templates(env, timeout)


def _run_templates(env: dict[str, str], timeout: float) -> tuple[int, int]:
    """mutate_templates' work, in its temporary directory."""
    killed, tried, survivors = 0, 0, []
    for path, offset, field in template_mutants():
        original = path.read_text("utf-8")
        match = FIELD.match(original, offset)
        path.write_text(original[:offset] + "{{ (" + field + ")|safe }}" + original[match.end():], "utf-8")
        try:
            done = subprocess.run([sys.executable, "-m", "pytest", *HOSTILE_TESTS], cwd=ROOT, env=env,
                                  capture_output=True, timeout=timeout)
            tried += 1
            if done.returncode != 0:
                killed += 1
            else:
                survivors.append(f"{path.name}: {{{{ {field} }}}}")
        except subprocess.TimeoutExpired:
            survivors.append(f"{path.name}: {{{{ {field} }}}} (timed out)")
        finally:
            path.write_text(original, "utf-8")
    print(f"\ntemplates: {killed} of {tried} unescaped fields caught ({100 * killed / max(tried, 1):.1f}%)")
    for name in survivors:
        print(f"  survived: {name}")
    return killed, tried


def main() -> int:
    """Run both parts and print the killed shares; exit 0 (the score is the output, not a gate)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=100,
                        help="run a seeded uniform random sample of this many mutants (default %(default)s)")
    parser.add_argument("--seed", type=int, default=17, help="the sample's seed (default %(default)s)")
    parser.add_argument("--all", action="store_true", help="run every mutant instead of a sample (hours)")
    parser.add_argument("--modules", nargs="+", help="only these core modules, e.g. scoring loading.kinds")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds for the core part (default 1800)")
    parser.add_argument("--max-children", type=int, default=2, help="mutants run in parallel (default 2)")
    parser.add_argument("--unkilled", action="store_true",
                        help="run only the chosen mutants not killed in an earlier run (after adding tests)")
    parser.add_argument("--skip-templates", action="store_true", help="only the core")
    args = parser.parse_args()
    mutate_core(args.modules, None if args.all else args.sample, args.seed, args.timeout, args.max_children,
                args.unkilled)
    if not args.skip_templates:
        mutate_templates(300)  # one hostile-text run takes up to ~100 s on this busy machine
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
