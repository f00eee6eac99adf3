import sys

from helpers import SCENARIOS, load_shipped

from simulator.core import loader
from simulator.core.reach import Reach

sys.path.insert(0, str(SCENARIOS[0].parent.parent.parent / "benchmarks"))
from generate import adversarial_yaml


def _plainly(scenario, variant):
    """What each node could meet, by repeating unions until nothing changes (slow, obviously right)."""
    personality = scenario.persona_for(variant).personality
    techniques = {n: set() for n in scenario.nodes}
    endings = {n: {scenario.turn_limit_ending} for n in scenario.nodes}
    changed = True
    while changed:
        changed = False
        for nid, node in scenario.nodes.items():
            before = (len(techniques[nid]), len(endings[nid]))
            for r in node.responses:
                resolved = r.for_personality(personality)
                techniques[nid].update(resolved.techniques)
                for b in resolved.next:
                    if b.goto in scenario.endings:
                        endings[nid].add(b.goto)
                    else:
                        techniques[nid] |= techniques[b.goto]
                        endings[nid] |= endings[b.goto]
            changed = changed or before != (len(techniques[nid]), len(endings[nid]))
    return techniques, endings


def _scenarios():
    for path in SCENARIOS:
        scenario = load_shipped(path)
        for variant in (None, *scenario.variants):
            yield path.name, scenario, variant
    for shape in ("loops", "counters", "wide"):
        scenario, _ = loader.load_text(adversarial_yaml(shape, 30, 4), f"{shape}.yaml")
        yield shape, scenario, None


def test_each_node_reaches_the_techniques_and_endings_some_path_from_it_meets():
    for name, scenario, variant in _scenarios():
        reach = Reach(scenario, variant)
        techniques, endings = _plainly(scenario, variant)
        for nid in scenario.nodes:
            assert reach.techniques[nid] == techniques[nid], (name, variant, nid)
            assert reach.endings[nid] == endings[nid], (name, variant, nid)


def test_a_mood_rise_inside_a_loop_counts_up_to_the_top():
    scenario, _ = loader.load_text(adversarial_yaml("loops", 30, 4), "loops.yaml")
    reach = Reach(scenario, None)
    assert reach.rise["n0"] == 100
