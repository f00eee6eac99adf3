"""Generated scenarios for the benchmarks: valid, bilingual, shaped like real content."""

from __future__ import annotations

import random

TECHNIQUES = {
    "build_trust": ["rapport", "active_listening", "empathy", "common_ground"],
    "probe_reason": ["open_probe", "deep_probe", "restate_confirm", "value_orientation"],
    "propose": ["tailored_offer", "personalized_evidence", "counter_analytical", "ask_acceptance"],
    "resolve_refusal": ["plead_for_exchange", "express_regret", "reveal_risk", "graceful_exit"],
    "close": ["confirm_solution", "thank_customer", "follow_up"],
}
MISTAKES = ["deny_customer_view", "harass", "interrupt", "blame_customer", "complain_company"]
STEPS = list(TECHNIQUES)


# The customer every generated scenario describes: the shapes differ, the persona does not.
PERSONA = (
    "persona:",
    '  name: {en: "Sam Lee", zh: "李山"}',
    "  segment: mass",
    "  tenure_months: 20",
    '  plan: {en: "Plan 88", zh: "88元套餐"}',
    "  monthly_spend: 88",
    "  lifecycle_stage: decline",
    "  personality: analytical",
    "  churn_category: competitive",
    '  churn_reason: {en: "A cheaper rival plan", zh: "别家套餐更便宜"}',
    "  value_orientation: value_for_money",
    "  mood: 50",
)


def _text(rng: random.Random, what: str, n: int) -> str:
    words = " ".join(rng.choice(["well", "the", "bill", "plan", "data", "price", "really", "month", "number"])
                     for _ in range(12))
    return f'{{en: "{what} {n}: {words}.", zh: "{what}{n}：这个月的账单和套餐还得再看看，流量也不太够用。"}}'


def scenario_yaml(n_nodes: int, seed: int = 0, width: int = 6) -> str:
    """A layered scenario of ``n_nodes`` nodes, three answers each, with endings and a mood branch."""
    rng = random.Random(seed)
    # Layers grow by at most twice, so two links per node reach every node of the next layer.
    layers: list[list[int]] = []
    first = 0
    while first < n_nodes:
        size = min(width, 2 ** len(layers), n_nodes - first)
        layers.append(list(range(first, first + size)))
        first += size
    out = [
        "# yaml-language-server: $schema=../schema/scenario.schema.json",
        "format: 1",
        f"id: generated-{n_nodes}-{seed}",
        'title: {en: "Generated call", zh: "生成的通话"}',
        "languages: [en, zh]",
        "category: churn_threat",
        "difficulty: intermediate",
        'situation: {en: "A generated customer wants to leave.", zh: "一位生成的客户想要离网。"}',
        'objectives: [{en: "Keep the customer", zh: "留住客户"}]',
        f"max_turns: {len(layers) + 5}",
        *PERSONA,
        "variables:",
        "  reason_known: false",
        "start: n0",
        "nodes:",
    ]
    for depth, layer in enumerate(layers):
        step = STEPS[min(len(STEPS) - 1, depth * len(STEPS) // len(layers))]
        following = layers[depth + 1] if depth + 1 < len(layers) else None
        for k, node in enumerate(layer):
            out += [
                f"  n{node}:",
                f"    step: {step}",
                f"    customer: {_text(rng, 'Customer line', node)}",
                f"    emotion: {rng.choice(['neutral', 'annoyed', 'skeptical', 'calm'])}",
                "    responses:",
            ]
            good = f"n{following[(2 * k) % len(following)]}" if following else "kept"
            okay = f"n{following[(2 * k + 1) % len(following)]}" if following else "downgraded"
            techniques = ", ".join(rng.sample(TECHNIQUES[step], 2))
            out += [
                f"      - text: {_text(rng, 'Good answer', node)}",
                f"        techniques: [{techniques}]",
                f"        mood: {rng.randint(3, 12)}",
                f"        feedback: {_text(rng, 'Why it works', node)}",
            ]
            if step == "probe_reason":
                out.append("        set: {reason_known: true}")
            out += [
                f"        next: {good}",
                f"      - text: {_text(rng, 'Plain answer', node)}",
                f"        techniques: [{rng.choice(TECHNIQUES[step])}]",
                f"        mood: {rng.randint(-3, 3)}",
                f"        feedback: {_text(rng, 'Why it is only fair', node)}",
                "        next:",
                "          - if: {mood: {lt: 20}}",
                "            goto: lost",
                f"          - goto: {okay}",
                f"      - text: {_text(rng, 'Poor answer', node)}",
                f"        mistakes: [{rng.choice(MISTAKES)}]",
                f"        mood: {rng.randint(-20, -8)}",
                f"        feedback: {_text(rng, 'Why it fails', node)}",
                f"        instead: {_text(rng, 'Say instead', node)}",
                "        next: lost",
            ]
    out += [
        "endings:",
        "  kept:",
        "    outcome: retained",
        f"    debrief: {_text(rng, 'Kept', 0)}",
        "  downgraded:",
        "    outcome: downgraded",
        f"    debrief: {_text(rng, 'Downgraded', 0)}",
        "  lost:",
        "    outcome: churned",
        f"    debrief: {_text(rng, 'Lost', 0)}",
    ]
    return "\n".join(out) + "\n"


# -- adversarial shapes: valid scenarios built to make path analysis work hard -----------------
SHAPES = ("chain", "wide", "loops", "counters")


def _header(sid: str, max_turns: int, variables: list[str]) -> list[str]:
    return [
        "format: 1",
        f"id: {sid}",
        'title: {en: "Generated call", zh: "生成的通话"}',
        "languages: [en, zh]",
        "category: churn_threat",
        "difficulty: advanced",
        'situation: {en: "A generated customer wants to leave.", zh: "一位生成的客户想要离网。"}',
        'objectives: [{en: "Keep the customer", zh: "留住客户"}]',
        f"max_turns: {max_turns}",
        *PERSONA,
        "variables:",
        *variables,
        "start: n0",
        "nodes:",
    ]


def _answer(rng: random.Random, node: int, k: int, step: str, targets: list[str], extra: list[str]) -> list[str]:
    """One answer with a random mix of techniques (from any step), mistakes, mood and cost:
    the mix that makes tallies incomparable and defeats simple pruning."""
    out = [f"      - text: {_text(rng, 'Answer', node * 10 + k)}"]
    pool = [t for ts in TECHNIQUES.values() for t in ts]
    if rng.random() < 0.8:
        out.append(f"        techniques: [{', '.join(rng.sample(pool, rng.randint(1, 3)))}]")
    if rng.random() < 0.35:
        out.append(f"        mistakes: [{rng.choice(MISTAKES)}]")
        out.append(f"        instead: {_text(rng, 'Say instead', node)}")
    out.append(f"        mood: {rng.randint(-15, 12)}")
    if rng.random() < 0.3:
        out.append(f"        offer: {{cost: {rng.choice([20, 44, 88, 120, 176, 300])}}}")
    out.append(f"        feedback: {_text(rng, 'Why', node)}")
    out += extra
    if len(targets) == 1:
        out.append(f"        next: {targets[0]}")
    else:
        out.append("        next:")
        out.append(f"          - if: {{mood: {{lt: {rng.randint(15, 35)}}}}}")
        out.append(f"            goto: {targets[1]}")
        out.append(f"          - goto: {targets[0]}")
    return out


def adversarial_yaml(shape: str, nodes: int, answers: int, seed: int = 0) -> str:
    """A valid scenario of one adversarial ``shape`` (see :data:`SHAPES`).

    chain: nodes in a line, every answer leads on (answers ** nodes calls, the 47 KB case);
    wide: up to 10,000 nodes in layers, answers spread over the next layer;
    loops: answers may lead back to earlier nodes, so calls run to the turn limit;
    counters: a counter variable every answer moves, read by conditions on answers and branches.
    """
    rng = random.Random(seed)
    variables = ["  reason_known: false"]
    if shape == "counters":
        variables.append("  pressure: 0")
    max_turns = {"chain": nodes + 2, "wide": 200, "loops": 60, "counters": 60}[shape]
    out = _header(f"adversarial-{shape}-{nodes}-{answers}", max_turns, variables)
    layers: list[range] = []  # wide: layers grow by at most ``answers`` times, so all are reachable
    first = 0
    while shape == "wide" and first < nodes:
        size = min(answers ** len(layers), max(1, nodes // 40), nodes - first)
        layers.append(range(first, first + size))
        first += size
    layer_of = {n: i for i, layer in enumerate(layers) for n in layer}
    for n in range(nodes):
        step = STEPS[min(len(STEPS) - 1, n * len(STEPS) // nodes)]
        out += [f"  n{n}:", f"    step: {step}", f"    customer: {_text(rng, 'Customer line', n)}",
                "    emotion: neutral", "    responses:"]
        for k in range(answers):
            last = n + 1 >= nodes
            if shape in ("chain", "counters"):
                onward = "kept" if last else f"n{n + 1}"
            elif shape == "wide":
                here = layer_of[n]
                following = layers[here + 1] if here + 1 < len(layers) else None
                index = (n - layers[here].start) * answers + k
                onward = f"n{following[index % len(following)]}" if following else "kept"
            else:  # loops: forward, or back to any earlier node
                onward = "kept" if last else f"n{n + 1 if k % 2 == 0 or n == 0 else rng.randrange(n)}"
            if k == answers - 1 and k and rng.random() < 0.3 and shape != "wide":
                onward = rng.choice(["kept", "downgraded", "lost"])
            extra = []
            if step == "probe_reason" and k == 0:
                extra.append("        set: {reason_known: true}")
            if shape == "counters":
                extra.append(f"        add: {{pressure: {rng.choice([-1, 1, 2])}}}")
                if k >= 2:
                    extra.insert(0, f"        if: {{pressure: {{lt: {rng.randint(2, 9)}}}}}")
            out += _answer(rng, n, k, step, [onward, "lost"] if rng.random() < 0.2 else [onward], extra)
    out += [
        "endings:",
        "  kept:", "    outcome: retained", f"    debrief: {_text(rng, 'Kept', 0)}",
        "  downgraded:", "    outcome: downgraded", f"    debrief: {_text(rng, 'Downgraded', 0)}",
        "  lost:", "    outcome: churned", f"    debrief: {_text(rng, 'Lost', 0)}",
    ]
    return "\n".join(out) + "\n"
