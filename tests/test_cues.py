"""The test-wiseness audit (simulator.core.cues): content-free policies and the length cue."""

from __future__ import annotations

from dataclasses import replace

import pytest

from simulator.core import cues, loader
from simulator.core.analysis import Found
from simulator.core.catalog import load_catalog
from simulator.core.engine import Engine
from simulator.core.scoring import answer_value

HEAD = """
format: 1
id: cue
title: {en: Cue, zh: 线索}
languages: [en, zh]
category: competitor_offer
difficulty: beginner
situation: {en: A rival offer., zh: 对手的优惠。}
objectives: [{en: Keep her, zh: 留住她}]
persona:
  name: {en: Li Na, zh: 李娜}
  segment: mass
  tenure_months: 30
  plan: {en: Plan 100, zh: 100元套餐}
  monthly_spend: 100
  lifecycle_stage: maturity
  personality: analytical
  churn_category: competitive
  churn_reason: {en: A cheaper plan, zh: 更便宜的套餐}
  value_orientation: value_for_money
  mood: 50
variants:
  - id: brisk
    personality: dominant
start: hello
"""

# (node, step, right answer's techniques, where it leads)
STEPS = [("hello", "build_trust", "[rapport, open_probe]", "offer"),
         ("offer", "propose", "[tailored_offer, ask_acceptance]", "done"),
         ("done", "close", "[confirm_solution, thank_customer, follow_up]", "kept")]
WRONG = "        mistakes: [threaten_pressure]\n        instead: {en: Ask., zh: 问。}\n        mood: -30\n"


def _answer(text_en: str, text_zh: str, body: str, goto: str) -> str:
    return f"      - text: {{en: \"{text_en}\", zh: \"{text_zh}\"}}\n{body}" \
           f"        feedback: {{en: Noted., zh: 记下了。}}\n        next: {goto}\n"


def scenario_text(telltale: bool, zh_telltale: bool | None = None) -> str:
    """Three steps, four answers each, one right (written second).

    ``telltale``: the right answer is the longest, asks a question and names the customer.
    Otherwise it is the third longest, plain, and the long answers carry the other cues.
    ``zh_telltale`` sets the Chinese text apart (default: as English).
    """
    zh_telltale = telltale if zh_telltale is None else zh_telltale
    long_en = "Li Na, I really do want to understand this properly, so could you tell me more?"
    long_zh = "李娜女士，我真的很想把这件事弄清楚，您能再多跟我说说吗？"
    text = HEAD + "nodes:\n"
    for node, step, techniques, goto in STEPS:
        right = f"        techniques: {techniques}\n        mood: 15\n"
        text += f"  {node}:\n    step: {step}\n    customer: {{en: Well?, zh: 怎么说？}}\n    emotion: neutral\n" \
                "    responses:\n"
        rights = (long_en if telltale else "Tell me what happened.", long_zh if zh_telltale else "您说说情况。")
        wrong_long = ("Honestly everyone says that and it usually passes after a while, trust me on it, Li Na.",
                      "说实话每个人都这么说，过一阵子就好了，您就相信我吧，李娜女士，真的。")
        wrong_mid = ("Is that all? It is your choice in the end, really.", "就这些吗？最后还是您自己决定。")
        # written order: long wrong, right, middle wrong, short wrong
        first = wrong_long if not telltale else ("That's how it is, sorry.", "就是这样，抱歉。")
        text += _answer(first[0], first[1] if not zh_telltale else "就是这样，抱歉。", WRONG, "lost")
        text += _answer(rights[0], rights[1], right, goto)
        text += _answer(*(wrong_mid if not telltale else ("Is that all?", "就这些吗？")), WRONG, "lost")
        text += _answer("No.", "不。", WRONG, "lost")
    return text + "endings:\n  kept: {outcome: retained, debrief: {en: Kept., zh: 留住了。}}\n" \
                  "  lost: {outcome: churned, debrief: {en: Lost., zh: 流失了。}}\n"


def _load(text: str):
    scenario, diagnostics = loader.load_text(text, "cue.yaml")
    errors = [d.format() for d in diagnostics if d.severity == "error"]
    assert scenario is not None and not errors, errors
    return scenario


@pytest.fixture(scope="module")
def telltale():
    return _load(scenario_text(telltale=True))


@pytest.fixture(scope="module")
def balanced():
    return _load(scenario_text(telltale=False))


def test_the_longest_answer_policy_keeps_the_customer_when_the_right_answer_is_longest(telltale):
    play = cues.play_policy(telltale, "longest", "en")
    assert play.outcome == "retained" and play.path.responses == (1, 1, 1)


def test_every_policy_has_a_label_for_its_warning():
    assert set(cues.LABELS) == set(cues.POLICIES)


@pytest.mark.parametrize("policy", sorted(cues.POLICIES))
def test_no_policy_keeps_the_customer_when_the_answers_do_not_give_themselves_away(balanced, policy):
    play = cues.play_policy(balanced, policy, "en")
    assert play.outcome == "churned" and play.score < 40


@pytest.mark.parametrize(("policy", "first_pick"), [("longest", 0), ("shortest", 3), ("first", 0), ("last", 3),
                                                    ("second_longest", 2), ("question", 2), ("names_customer", 0)])
def test_each_policy_picks_by_form_alone(balanced, policy, first_pick):
    assert cues.play_policy(balanced, policy, "en").path.responses[0] == first_pick


def test_a_policy_that_keeps_the_customer_raises_an003_pointing_at_its_first_pick(telltale):
    report = cues.audit_cues(telltale)
    flagged = {(d.message.split(" (")[0], p.ending) for d, p in report.warnings if d.code == "AN003"}
    assert flagged == {("always choosing the longest answer", "kept"),
                       ("always choosing the longest answer with a question mark", "kept"),
                       ("always choosing the longest answer naming the customer", "kept")}
    diagnostic = next(d for d, _ in report.warnings if d.code == "AN003")
    assert (diagnostic.line, diagnostic.col) == telltale.nodes["hello"].responses[1].pos


def test_an003_is_raised_in_every_language_and_variant(telltale):
    report = cues.audit_cues(telltale)
    wheres = {d.message.split(" (")[1].split(")")[0] for d, _ in report.warnings if d.code == "AN003"}
    assert wheres == {"en", "zh", "en, variant 'brisk'", "zh, variant 'brisk'"}


def test_a_balanced_scenario_raises_no_cue_warning(balanced):
    assert cues.audit_cues(balanced).warnings == []


@pytest.mark.parametrize(("outcome", "score", "tell"), [
    ("churned", 60, True), ("churned", 59, False), ("escalated", 60, True), ("downgraded", 5, True),
    ("retained", 0, True), ("churned", 0, False),
])
def test_a_policy_is_a_tell_when_it_keeps_the_customer_or_scores_within_40_of_the_best(balanced, outcome, score,
                                                                                         tell):
    play = cues.play_policy(balanced, "longest", "en")
    assert cues.is_tell(replace(play, outcome=outcome, score=score), cues.Best(100, "exact")) is tell


@pytest.mark.parametrize(("hits", "tell"), [(2, False), (3, True)])
def test_the_length_cue_warns_only_above_40_percent(hits, tell):
    assert cues.LengthCue("en", None, hits, 5, (1, 1)).tell is tell


def test_the_length_cue_counts_nodes_whose_longest_answer_is_best(telltale, balanced):
    assert (cues.length_cue(telltale, "en").hits, cues.length_cue(telltale, "en").turns) == (3, 3)
    assert cues.length_cue(balanced, "en").hits == 0


def test_the_length_cue_is_measured_per_language():
    scenario = _load(scenario_text(telltale=True, zh_telltale=False))
    assert cues.length_cue(scenario, "en").share == 1.0 and cues.length_cue(scenario, "zh").share == 0.0


def test_more_than_40_percent_raises_an004_for_that_language_only():
    scenario = _load(scenario_text(telltale=True, zh_telltale=False))
    found = [d for d, _ in cues.audit_cues(scenario).warnings if d.code == "AN004"]
    assert [d.message.split("(")[1].split(";")[0] for d in found] == ["100%, en", "100%, en, variant 'brisk'"]


def test_a_premature_offer_is_not_the_best_answer_even_when_it_shows_more_technique():
    text = scenario_text(telltale=False)
    # The longest answer at 'hello' becomes an offer rich in technique, before the reason is known
    offer = "        techniques: [tailored_offer, personalized_evidence, counter_analytical]\n" \
            "        offer: {cost: 100}\n        mood: 0\n"
    text = text.replace(WRONG, offer, 1)
    scenario = _load(text)
    catalog = load_catalog()
    hello = scenario.nodes["hello"]
    assert answer_value(hello.responses[0], False, catalog) > answer_value(hello.responses[1], False, catalog)
    assert cues.length_cue(scenario, "en", catalog=catalog).hits == 0


@pytest.mark.parametrize(("text", "expected"), [
    ("Li Na, thanks.", True), ("Thanks, Ms Li.", True), ("Thanks, Na.", True), ("Thanks for calling.", False),
    ("李娜，谢谢。", True), ("谢谢李女士。", True), ("谢谢您的来电。", False), ("李子很甜。", False),
])
def test_names_customer_finds_the_name_a_word_of_it_or_surname_and_title(text, expected):
    name = "李娜" if any("\u4e00" <= c <= "\u9fff" for c in text) else "Li Na"
    assert cues.names_customer(text, name) is expected


def test_the_best_call_is_proven_by_the_search(telltale):
    right = cues.play_policy(telltale, "longest", "en")  # the right answer everywhere
    assert cues.best_call(telltale) == cues.Best(right.score, "exact")


def test_a_declared_playthrough_stands_in_when_the_search_runs_out_of_budget(monkeypatch):
    text = scenario_text(telltale=True) + "playthroughs:\n  - name: expert\n    choices: [2, 2, 2]\n" \
                                          "    ending: kept\n"
    scenario = _load(text)
    expert = cues.play_policy(scenario, "longest", "en")  # the declared choices: the right answer everywhere
    weak = cues.play_policy(scenario, "shortest", "en").path
    monkeypatch.setattr(cues, "optimise", lambda *args: Found(weak, weak.score, False))
    assert cues.best_call(scenario) == cues.Best(expert.score, "playthrough")


def test_the_searchs_best_so_far_stands_when_no_playthrough_beats_it(monkeypatch, telltale):
    found = cues.play_policy(telltale, "longest", "en").path
    monkeypatch.setattr(cues, "optimise", lambda *args: Found(found, found.score, False))
    assert cues.best_call(telltale) == cues.Best(found.score, "search")


def test_the_length_cues_of_all_languages_at_once_equal_each_languages_own(telltale):
    scenario = _load(scenario_text(True, zh_telltale=False))
    together = cues.length_cues(scenario, ["en", "zh"])
    assert together == [cues.length_cue(scenario, "en"), cues.length_cue(scenario, "zh")]
    assert cues.length_cues(telltale, ["en"]) == [cues.length_cue(telltale, "en")]


def test_a_policy_plays_the_same_with_an_engine_shared_between_plays(telltale):
    engine = Engine(telltale)
    for policy in cues.POLICIES:
        assert cues.play_policy(telltale, policy, "en", engine=engine) == cues.play_policy(telltale, policy, "en")
