"""Sixty phones on loopback against the real command: bounded (three votes each, seconds in all)."""

import importlib.util

from helpers import ROOT


def benchmark():
    """The committed benchmark module (benchmarks/classroom.py), run here with fewer votes."""
    spec = importlib.util.spec_from_file_location("classroom_benchmark", ROOT / "benchmarks" / "classroom.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sixty_phones_see_their_votes_in_the_tally_within_100_ms_at_p99():
    bench = benchmark()
    latencies = bench.measure(phones=60, votes=3)
    assert len(latencies) == 180
    assert bench.p99(latencies) <= bench.TARGET_P99_MS, latencies[-5:]
