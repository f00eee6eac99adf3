"""The core's speed targets, measured in one run (``make bench``).

1. load + validate 1,000 generated 50-node scenarios vs a bare ``yaml.load(CSafeLoader)``
   of the same files: target ratio ≤ 2×;
2. engine: ≥ 100,000 ``choose`` steps per second;
3. analysis (reachability, dead ends, best and worst path) of a generated 10,000-node
   scenario: ≤ 1 s;
   and ``analyze`` (every audit search) of each shipped scenario ≤ 1 s and of adversarial
   shapes (a 40-node chain of 6 answers, loops, counters, 10,000 nodes × 8 answers) ≤ 2 s,
   exact or with a stated bound;
4. one call report (data, expert path search and HTML) ≤ 100 ms; a cohort report over 1,000
   generated sessions ≤ 5 s.

The machine is shared and noisy, so each timing is the best of several rounds and the
loader is compared as a ratio of two timings taken alternately in the same run.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import adversarial_yaml, scenario_yaml  # noqa: E402

from simulator.core import analysis, audit, graph, loader, reach, search  # noqa: E402
from simulator.core.engine import Engine  # noqa: E402
from simulator.core.session_json import to_json  # noqa: E402
from simulator.report import cohort, data, render  # noqa: E402


def best_of(rounds: int, fn) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_loader(count: int = 1000, rounds: int = 3) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(count):
            path = Path(tmp) / f"s{i:04d}.yaml"
            path.write_text(scenario_yaml(50, seed=i), "utf-8")
            paths.append(str(path))
        # Check once that every generated file is valid, so the timing is of real work.
        bad = [p for p in paths[:20] if any(d.severity == "error" for d in loader.load_with_diagnostics(p)[1])]
        assert not bad, bad

        def bare():
            for p in paths:
                with open(p, encoding="utf-8") as f:
                    yaml.load(f.read(), Loader=yaml.CSafeLoader)

        def ours():
            for p in paths:
                loader.load_with_diagnostics(p)

        bare_t, ours_t = [], []
        for _ in range(rounds):  # alternate, so both see the same machine weather
            bare_t.append(best_of(1, bare))
            ours_t.append(best_of(1, ours))
    return {"files": count, "bare_s": min(bare_t), "ours_s": min(ours_t), "ratio": min(ours_t) / min(bare_t)}


def bench_engine(steps: int = 300_000) -> dict:
    results = {}
    for path in sorted((ROOT / "simulator" / "library").glob("*.yaml")):
        scenario = loader.load(str(path))
        eng = Engine(scenario)

        def run(eng=eng):
            state = eng.start("en", 1)
            for n in range(steps):
                if state.ending is not None:
                    state = eng.start("en", n)
                state = eng.choose(state, 0)

        results[scenario.id] = steps / best_of(3, run)
    return {"choose_per_s": results, "slowest": min(results.values())}


def bench_analysis(nodes: int = 10_000) -> dict:
    scenario, diagnostics = loader.load_text(scenario_yaml(nodes, width=200), "generated.yaml", max_bytes=10**9)
    assert scenario is not None and not diagnostics, diagnostics[:3]

    def run():
        edges = graph.edges(scenario)
        graph.reachable(scenario, edges)
        graph.can_end(scenario, edges)
        best, worst, exact = analysis.best_and_worst(scenario)
        run.result = (best.score, worst.score, exact, len(best.responses))

    seconds = best_of(3, run)
    best, worst, exact, turns = run.result
    return {"nodes": len(scenario.nodes), "seconds": seconds, "best": best, "worst": worst, "exact": exact,
            "best_turns": turns}


ADVERSARIAL = (("chain", 40, 6), ("loops", 60, 6), ("counters", 60, 6), ("wide", 10_000, 8))


def _analyze_once(scenario) -> tuple[float, float, analysis.Analysis]:
    # cold: every search runs and every answer list is worked out, as on the first analyze of a file
    analysis._FOUND.clear()
    search._MOVES.clear()
    reach._REACH.clear()
    start, cpu = time.perf_counter(), time.process_time()
    report = audit.audit(scenario)
    # The processor time too: on a shared machine the wall time mostly measures the neighbours.
    return time.perf_counter() - start, time.process_time() - cpu, report.analysis


def bench_analyze() -> dict:
    """``analyze`` on every shipped scenario and on the adversarial shapes."""
    shipped = {}
    for path in sorted((ROOT / "simulator" / "library").glob("*.yaml")):
        scenario = loader.load(str(path))
        shipped[scenario.id] = min(_analyze_once(scenario)[:2] for _ in range(2))
    shapes = {}
    for shape, nodes, answers in ADVERSARIAL:
        text = adversarial_yaml(shape, nodes, answers)
        scenario, diagnostics = loader.load_text(text, f"{shape}.yaml", max_bytes=10**9)
        assert scenario is not None and not [d for d in diagnostics if d.severity == "error"], diagnostics[:3]
        runs = [_analyze_once(scenario) for _ in range(2)]
        shapes[f"{shape} {nodes}×{answers} ({len(text) // 1024} KB)"] = min(runs, key=lambda r: r[0])
    return {"shipped": shipped, "shapes": shapes}


def _how(found: analysis.Analysis) -> str:
    """What the figures are worth: exact, or each proven figure and each stated bound."""
    if found.exact:
        return "exact"
    best = (f"best {found.best.score} proven" if found.best_bound == found.best.score
            else f"best {found.best.score} ≤ {found.best_bound:g}")
    worst = (f"worst {found.worst.score} proven" if found.worst_bound == found.worst.score
             else f"worst {found.worst.score} ≥ {found.worst_bound:g}")
    return f"{best}, {worst}{', paths not counted' if not found.offered else ''}"


def _random_calls(count: int, seed: int = 7):
    rng = random.Random(seed)
    scenarios = [loader.load(str(p)) for p in sorted((ROOT / "simulator" / "library").glob("*.yaml"))]
    calls = []
    for i in range(count):
        scenario = rng.choice(scenarios)
        eng = Engine(scenario)
        state = eng.start(rng.choice(scenario.languages), i)
        while not state.over:
            state = eng.choose(state, rng.randrange(len(eng.options(state))), rng.randrange(2000, 30000))
        calls.append((scenario, state))
    return calls


def bench_reports() -> dict:
    scenario, state = _random_calls(1, seed=3)[0]

    def one():
        data._EXPERTS.clear()  # cold: the expert path search is part of every single report
        render.to_html(data.build(scenario, state, "trainee", "2026-11-23T10:00:00", "2026-11-23T10:06:00"))

    single = best_of(5, one)
    calls = _random_calls(1000)
    trainees = [f"trainee-{i:02d}" for i in range(40)]
    inputs = [cohort.SessionInput(i, trainees[i % 40], s.id, s.path, f"2026-11-{1 + i % 28:02d}T09:00:00",
                                  to_json(s, st)) for i, (s, st) in enumerate(calls)]
    by_id = {s.id: s for s, _ in calls}

    def many():
        result = cohort.build(inputs, lambda sid, _path: by_id[sid])
        render.cohort_html(result)

    return {"single_s": single, "cohort_s": best_of(2, many), "cohort_sessions": len(inputs)}


def main() -> int:
    print("benchmark                          result                 target   verdict")
    lo = bench_loader()
    ok1 = lo["ratio"] <= 2.0
    print(f"load+validate 1,000 × 50 nodes     {lo['ours_s']:.2f} s vs bare {lo['bare_s']:.2f} s = "
          f"{lo['ratio']:.2f}×   ≤ 2×     {'ok' if ok1 else 'MISSED'}")
    en = bench_engine()
    ok2 = en["slowest"] >= 100_000
    for sid, rate in en["choose_per_s"].items():
        print(f"engine choose ({sid[:18]:<18}) {rate:>10,.0f} steps/s      ≥ 100,000")
    verdict = "ok" if ok2 else "MISSED"
    print(f"engine choose, slowest scenario    {en['slowest']:>10,.0f} steps/s      ≥ 100,000 {verdict}")
    an = bench_analysis()
    ok3 = an["seconds"] <= 1.0
    print(f"analysis of {an['nodes']:,} nodes            {an['seconds']:.2f} s "
          f"(best {an['best']}, worst {an['worst']}, exact {an['exact']})  ≤ 1 s    {'ok' if ok3 else 'MISSED'}")
    az = bench_analyze()
    ok5 = max(s for s, _ in az["shipped"].values()) <= 1.0 and all(s <= 2.0 for s, _, _ in az["shapes"].values())
    for sid, (seconds, cpu) in az["shipped"].items():
        print(f"analyze {sid[:26]:<26} {seconds:.2f} s (cpu {cpu:.2f} s)      ≤ 1 s    "
              f"{'ok' if seconds <= 1 else 'MISSED'}")
    for name, (seconds, cpu, found) in az["shapes"].items():
        print(f"analyze {name:<26} {seconds:.2f} s (cpu {cpu:.2f} s; {_how(found)})  ≤ 2 s    "
              f"{'ok' if seconds <= 2 else 'MISSED'}")
    rp = bench_reports()
    ok4 = rp["single_s"] <= 0.1 and rp["cohort_s"] <= 5.0
    print(f"one call report (cold, HTML)       {rp['single_s'] * 1000:.0f} ms                  ≤ 100 ms "
          f"{'ok' if rp['single_s'] <= 0.1 else 'MISSED'}")
    print(f"cohort report, {rp['cohort_sessions']:,} sessions        {rp['cohort_s']:.2f} s                  ≤ 5 s    "
          f"{'ok' if rp['cohort_s'] <= 5.0 else 'MISSED'}")
    return 0 if ok1 and ok2 and ok3 and ok4 and ok5 else 1


if __name__ == "__main__":
    sys.exit(main())
