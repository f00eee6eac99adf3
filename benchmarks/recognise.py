"""The free-text recogniser's quality and speed, measured in one run (``make bench``).

1. micro- and macro-F1 per language on the held-back part of the exemplar corpus: one answer
   in five, chosen by a hash of its language and text (:func:`simulator.recogniser.corpus.held_back`),
   so the split is the same on every machine and an answer never changes side when others are
   added. The models are trained on the rest of the corpus plus every library option: the
   n-gram model alone, and the recogniser as shipped (n-grams joined with a meaning network
   trained on the same answers; :mod:`simulator.recogniser.meaning`); target: micro-F1 >= 0.80
   in each language, as shipped. ``--per-id`` adds each id's precision, recall and F1 and the
   commonest confusions (the error analysis behind a labelling or data change);
   ``--held-back-only`` stops after this section (the loop while labelling);
2. micro- and macro-F1 per language on the library by leaving scenarios out: the scenarios
   sorted by id are dealt into ``--groups`` groups (default 15: one scenario per group, true
   leave-one-scenario-out), and each group's options are recognised by an n-gram model trained
   on the whole corpus and the other groups' options. The meaning networks are dealt the same
   way into ``--net-groups`` (default 5: each network also misses two other scenarios, a harder
   test, as each takes minutes to train); each option is heard as shipped by the n-gram model
   and the network that never saw its scenario. The networks are kept in ``build/meaning-nets/``
   (benchmarks/trained_nets.py): the first run trains six, about an hour here, later runs reuse them;
3. matching accuracy: each paraphrase in ``simulator/data/paraphrases/<scenario-id>.yaml``
   (``{node, response (1-based), lang, text}``) must be matched to its authored response by
   the shipped model; "asked" counts the answers where the player would ask "Did you mean …?"
   (not wrong, but not a match either); target >= 90% matched;
4. time per answer (recognise + match), model size and load time; target <= 20 ms.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trained_nets import meaning_for  # noqa: E402

from simulator.core.catalog import load_catalog  # noqa: E402
from simulator.core.freetext import Candidate, match  # noqa: E402
from simulator.core.text import fill, pick  # noqa: E402
from simulator.core.yamlsafe import parse, read_text  # noqa: E402
from simulator.recogniser.corpus import LANGS, held_back, library_examples, load_corpus  # noqa: E402
from simulator.recogniser.meaning import load_meaning, meaning_path  # noqa: E402
from simulator.recogniser.model import load, model_path, shipped  # noqa: E402
from simulator.recogniser.train import all_labels, fit  # noqa: E402
from simulator.scenarios import load_folder  # noqa: E402

PARAPHRASES = ROOT / "simulator" / "data" / "paraphrases"
FIXTURE_PARAPHRASES = ROOT / "tests" / "fixtures" / "paraphrases"


def f1_scores(truth: list[tuple[str, ...]], guess: list[tuple[str, ...]], labels: list[str]) -> tuple[float, float]:
    """Micro- and macro-F1 over ``labels`` (macro over the ids that occur in truth or guess)."""
    tp = {label: 0 for label in labels}
    fp, fn = dict(tp), dict(tp)
    for t, g in zip(truth, guess, strict=True):
        for label in labels:
            if label in g and label in t:
                tp[label] += 1
            elif label in g:
                fp[label] += 1
            elif label in t:
                fn[label] += 1
    s_tp, s_fp, s_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro = 2 * s_tp / (2 * s_tp + s_fp + s_fn) if s_tp else 0.0
    present = [label for label in labels if tp[label] + fp[label] + fn[label]]
    macro = float(np.mean([2 * tp[x] / (2 * tp[x] + fp[x] + fn[x]) for x in present])) if present else 0.0
    return micro, macro


def evaluate(train, test, lang: str, labels: list[str], per_id: bool = False,
             meaning=None) -> tuple[float, float, int]:
    """Train on ``train``, recognise the ``lang`` answers of ``test``: micro, macro, how many.

    With ``meaning`` (a network trained on the same answers, never on ``test``) joined in, as shipped."""
    model = fit(train, lang, labels)
    model.meaning = meaning
    mine = [e for e in test if e.lang == lang]
    guess = [model.heard(model.confidences(e.text)) for e in mine]
    if per_id:
        print_per_id([e.labels for e in mine], guess, labels)
    return (*f1_scores([e.labels for e in mine], guess, labels), len(mine))


def print_per_id(truth: list[tuple[str, ...]], guess: list[tuple[str, ...]], labels: list[str]) -> None:
    """Precision, recall and F1 of every id, worst first, and the commonest confusions (missed -> heard)."""
    counts = {label: [0, 0, 0] for label in labels}  # true positives, false positives, false negatives
    confusions: dict[tuple[str, str], int] = {}
    for t, g in zip(truth, guess, strict=True):
        for label in set(t) | set(g):
            counts[label][0 if label in t and label in g else 1 if label in g else 2] += 1
        for missed in set(t) - set(g):
            for heard in set(g) - set(t):
                confusions[missed, heard] = confusions.get((missed, heard), 0) + 1
    rows = []
    for label, (tp, fp, fn) in counts.items():
        if tp + fp + fn:
            rows.append((2 * tp / (2 * tp + fp + fn), label, tp / (tp + fp) if tp + fp else 0.0,
                         tp / (tp + fn) if tp + fn else 0.0, tp, fp, fn))
    for f1, label, precision, recall, tp, fp, fn in sorted(rows):
        print(f"      {label:26s} P {precision:.2f}  R {recall:.2f}  F1 {f1:.2f}  (tp {tp}, fp {fp}, fn {fn})")
    top = sorted(confusions.items(), key=lambda x: (-x[1], x[0]))[:8]
    print("      most confused (missed -> heard instead): " + ", ".join(f"{a}->{b} {n}" for (a, b), n in top))


def held_back_scores(corpus, library, labels: list[str], per_id: bool = False) -> None:
    """Section 1: the held-back fifth of the corpus, by the n-gram model alone and as shipped (joined)."""
    print("1. held-back fifth of the exemplar corpus (train: the rest + the library)")
    if not corpus:
        print("   no exemplar corpus in simulator/data/exemplars/ yet: nothing to measure")
        return
    train = [e for e in corpus if not held_back(e)] + library
    test = [e for e in corpus if held_back(e)]
    meaning = meaning_for(train, labels, log=_progress)
    for lang in LANGS:
        micro, macro, n = evaluate(train, test, lang, labels)
        print(f"   {lang}: n-gram model alone micro-F1 {micro:.3f}  macro-F1 {macro:.3f}", flush=True)
        micro, macro, n = evaluate(train, test, lang, labels, per_id, meaning)
        print(f"   {lang}: shipped (n-grams + meaning) micro-F1 {micro:.3f}  macro-F1 {macro:.3f}  on {n} unseen "
              f"answers  {'ok' if micro >= 0.80 else 'BELOW the 0.80 target'}", flush=True)


def _progress(line: str) -> None:
    print(f"   (training a meaning network: {line})", flush=True)


def leave_scenarios_out(corpus, library, labels: list[str], groups: int, net_groups: int) -> None:
    """Section 2: each scenario's options recognised by models that never saw that scenario.

    The n-gram models leave ``groups`` groups out in turn; the meaning networks, ten minutes each
    to train here, ``net_groups`` (each then also misses a few other scenarios: a harder test)."""
    ids = sorted({e.source for e in library})
    dealt = [ids[i::groups] for i in range(min(groups, len(ids)))]
    net_dealt = [ids[i::net_groups] for i in range(min(net_groups, len(ids)))]
    print(f"2. library, leaving scenarios out ({len(dealt)} groups of {len(ids)} scenarios for the n-gram models, "
          f"{len(net_dealt)} for the meaning networks; train: corpus + the rest)")
    nets = {}
    for group in net_dealt:
        net = meaning_for(corpus + [e for e in library if e.source not in group], labels, log=_progress)
        nets.update(dict.fromkeys(group, net))
    for lang in LANGS:
        truth, alone, joined = [], [], []
        for group in dealt:
            model = fit(corpus + [e for e in library if e.source not in group], lang, labels)
            for e in library:
                if e.lang == lang and e.source in group:
                    truth.append(e.labels)
                    model.meaning = None
                    alone.append(model.heard(model.confidences(e.text)))
                    model.meaning = nets[e.source]
                    joined.append(model.heard(model.confidences(e.text)))
        for name, guess in (("n-gram model alone", alone), ("shipped (n-grams + meaning)", joined)):
            micro, macro = f1_scores(truth, guess, labels)
            print(f"   {lang}: {name} micro-F1 {micro:.3f}  macro-F1 {macro:.3f}  on {len(truth)} options", flush=True)


def paraphrases(folder: Path) -> list[tuple[str, str, int, str, str]]:
    """(scenario id, node, 0-based response, lang, text) from every paraphrase file in ``folder``.

    A file is ``{format: 1, scenario: ID, paraphrases: [{node, response, lang, text}, …]}``.
    """
    found = []
    for path in sorted(folder.glob("*.yaml")):
        text, problems = read_text(str(path))
        parsed = parse(text, str(path)) if text is not None else None
        data = parsed.data if parsed is not None else None
        items = data.get("paraphrases") if isinstance(data, dict) else None
        if parsed is None or parsed.diagnostics or not isinstance(items, list):
            for d in problems + (parsed.diagnostics if parsed else []):
                print(d.format(), file=sys.stderr)
            raise SystemExit(f"error: {path} has no list of paraphrases (format: 1, scenario: …, paraphrases: […])")
        scenario_id = data.get("scenario", path.stem)
        for i, item in enumerate(items):
            if not (isinstance(item, dict) and {"node", "response", "lang", "text"} <= set(item)):
                line, col = parsed.marks.of_value(items, i)
                raise SystemExit(f"error: {path}:{line}:{col}: a paraphrase needs node, response, lang and text")
            found.append((scenario_id, item["node"], int(item["response"]) - 1, item["lang"], item["text"]))
    return found


def matching(folder: Path) -> list[float]:
    """Section 3: paraphrases matched to their authored response; returns the ms per answer."""
    items = paraphrases(folder)
    note = "" if folder == PARAPHRASES else f" (none in {PARAPHRASES.relative_to(ROOT)} yet: the test fixture)"
    print(f"3. matching {len(items)} paraphrases from {folder.relative_to(ROOT)}{note}")
    scenarios = {s.id: s for s in load_folder().scenarios}
    models = {lang: shipped(lang) for lang in LANGS}
    right = asked = 0
    times = []
    per_lang: dict[str, list[int]] = {lang: [0, 0] for lang in LANGS}
    for scenario_id, node_id, index, lang, text in items:
        scenario = scenarios.get(scenario_id)
        if scenario is None or node_id not in scenario.nodes:
            raise SystemExit(f"error: {folder}/{scenario_id}.yaml: no scenario '{scenario_id}' or node '{node_id}'")
        p = scenario.persona
        fields = {"name": pick(p.name, lang), "plan": pick(p.plan, lang), "monthly_spend": f"{p.monthly_spend:g}",
                  "currency": p.currency, "tenure_months": str(p.tenure_months)}
        candidates = [Candidate(r.index, fill(pick(r.text, lang), fields), r.techniques + r.mistakes)
                      for r in scenario.nodes[node_id].responses]
        model = models[lang]
        start = time.perf_counter()
        confidences = model.confidences(text)
        result = match(text, lang, candidates, confidences, model.heard(confidences), model.idf_map, model.spec)
        times.append((time.perf_counter() - start) * 1000)
        right += result.response == index
        asked += result.response is None
        per_lang[lang][0] += result.response == index
        per_lang[lang][1] += 1
    share = right / len(items) if items else 0.0
    langs = ", ".join(f"{lang} {r}/{n}" for lang, (r, n) in per_lang.items() if n)
    print(f"   matched right {share:.1%} ({langs}); asked 'Did you mean …?' {asked}; "
          f"wrong {len(items) - right - asked}  {'ok' if share >= 0.9 else 'BELOW the 90% target'}")
    return times


def typed_scoring(folder: Path, thresholds: tuple[float, ...] = (0.3, 0.4, 0.5, 0.6)) -> None:
    """Section 5: how the typed-answer scorer's confidence thresholds (core.scoring_free) agree with the authors.

    Each paraphrase is scored from its words at the node of the answer it restates (never as an
    echo), and what is credited and charged is compared with that answer's tags, per language:
    recall and precision of techniques credited, and of mistakes charged (premature_offer left out:
    the order decides it, not the words).
    """
    from simulator.core import scoring_free
    from simulator.core.engine import Said

    print("5. typed scoring vs the authors' tags (recall / precision), by confidence threshold")
    catalog = load_catalog()
    scenarios = {s.id: s for s in load_folder().scenarios}
    models = {lang: shipped(lang) for lang in LANGS}
    cases = []
    for scenario_id, node_id, index, lang, text in paraphrases(folder):
        scenario = scenarios[scenario_id]
        node = scenario.nodes[node_id]
        written = next(r for r in node.responses if r.index == index).for_personality(scenario.persona.personality)
        confidences = models[lang].confidences(text)
        heard = tuple(sorted(((k, float(v)) for k, v in confidences.items()), key=lambda kv: -kv[1]))
        cases.append((lang, node, written, Said(text, heard), scenario.persona.personality))
    saved = scoring_free.TECHNIQUE_CONFIDENCE, scoring_free.MISTAKE_CONFIDENCE
    try:
        for threshold in thresholds:
            scoring_free.TECHNIQUE_CONFIDENCE = scoring_free.MISTAKE_CONFIDENCE = threshold
            row = []
            for lang in LANGS:
                counts = {"techniques": [0, 0, 0], "mistakes": [0, 0, 0]}  # both, authored, credited
                for case_lang, node, written, said, personality in cases:
                    if case_lang != lang:
                        continue
                    verdict = scoring_free.judge(node, written, said, personality, catalog)
                    for kind, found, truth in (("techniques", verdict.techniques, written.techniques),
                                               ("mistakes", verdict.mistakes, written.mistakes)):
                        truth = set(truth) - {scoring_free.PREMATURE}
                        counts[kind][0] += len(set(found) & truth)
                        counts[kind][1] += len(truth)
                        counts[kind][2] += len(set(found))
                row.append(lang + " " + ", ".join(
                    f"{kind} {both / max(1, authored):.2f} / {both / max(1, credited):.2f}"
                    for kind, (both, authored, credited) in counts.items()))
            chosen = [name for value, name in ((saved[0], "techniques"), (saved[1], "mistakes")) if value == threshold]
            note = f"  (shipped for {' and '.join(chosen)})" if chosen else ""
            print(f"   at {threshold:.2f}: " + "; ".join(row) + note)
    finally:
        scoring_free.TECHNIQUE_CONFIDENCE, scoring_free.MISTAKE_CONFIDENCE = saved


def speed(times: list[float]) -> None:
    """Section 4: time per answer, model size and load time."""
    print("4. speed and size")
    if times:
        times = sorted(times)
        print(f"   per answer (recognise + match): median {times[len(times) // 2]:.2f} ms, "
              f"worst {times[-1]:.2f} ms  {'ok' if times[len(times) // 2] <= 20 else 'ABOVE the 20 ms target'}")
    for lang in LANGS:
        path = model_path(lang)
        best = min(_timed_load(path) for _ in range(3))
        print(f"   {lang}: n-gram model {path.stat().st_size / 1024:.0f} KiB, loads in {best * 1000:.0f} ms")
    path = meaning_path()
    best = min(_timed(load_meaning) for _ in range(3))
    print(f"   both: meaning model {path.stat().st_size / 1024:.0f} KiB, loads with the encoder in "
          f"{best * 1000:.0f} ms (the encoder's table mapped from the user's cache, as after a first start)")


def _timed_load(path: Path) -> float:
    return _timed(lambda: load(path))


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Run every section and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=15, help="scenario groups left out in turn (default 15)")
    parser.add_argument("--net-groups", type=int, default=5,
                        help="scenario groups left out in turn by the meaning networks (default 5)")
    parser.add_argument("--skip-training", action="store_true", help="only sections 3 and 4 (no retraining)")
    parser.add_argument("--per-id", action="store_true", help="section 1 also prints each id's precision and recall")
    parser.add_argument("--held-back-only", action="store_true", help="section 1 only (the quick loop while labelling)")
    args = parser.parse_args(argv)
    labels = all_labels()
    corpus, problems = load_corpus()
    if problems:
        print(f"note: the corpus has {len(problems)} problem(s); run python -m simulator.recogniser.train to see them")
    library = library_examples(load_folder().scenarios)
    load_catalog()
    if not args.skip_training:
        held_back_scores(corpus, library, labels, args.per_id)
        if args.held_back_only:
            return 0
        leave_scenarios_out(corpus, library, labels, max(1, args.groups), max(1, args.net_groups))
    folder = PARAPHRASES if PARAPHRASES.is_dir() and any(PARAPHRASES.glob("*.yaml")) else FIXTURE_PARAPHRASES
    speed(matching(folder))
    typed_scoring(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
