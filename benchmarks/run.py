"""The core's speed targets, measured in one run (``make bench``).

1. load + validate 1,000 generated 50-node scenarios vs a bare ``yaml.load(CSafeLoader)``
   of the same files: target ratio ≤ 2×;
2. engine: ≥ 100,000 ``choose`` steps per second;
3. analysis (reachability, dead ends, best and worst path) of a generated 10,000-node
   scenario: ≤ 1 s.

The machine is shared and noisy, so each timing is the best of several rounds and the
loader is compared as a ratio of two timings taken alternately in the same run.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import scenario_yaml  # noqa: E402

from simulator.core import analysis, graph, loader  # noqa: E402
from simulator.core.engine import Engine  # noqa: E402


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
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
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
    return 0 if ok1 and ok2 and ok3 else 1


if __name__ == "__main__":
    sys.exit(main())
