import pytest
from helpers import load_example, play

from simulator.core import loader, points, scoring
from simulator.core.engine import Engine

SAVE = """
format: 1
id: save
title: Save
languages: [en]
category: competitor_offer
difficulty: beginner
situation: A rival offer.
objectives: [Price the save right]
persona:
  name: Li
  segment: mass
  tenure_months: 30
  plan: Plan 100
  monthly_spend: 100
  lifecycle_stage: maturity
  personality: analytical
  churn_category: competitive
  churn_reason: A cheaper plan elsewhere
  value_orientation: value_for_money
  mood: 50
start: hello
nodes:
  hello:
    step: build_trust
    customer: I'm leaving for a cheaper plan.
    emotion: skeptical
    responses:
      - text: Thanks for telling me, Li. What did they offer you?
        techniques: [rapport, open_probe]
        mood: 5
        feedback: Asks first.
        next: offer
      - text: We can give you 50% off right now!
        techniques: [tailored_offer]
        offer: {cost: 150}
        mood: 0
        feedback: Offer before the reason.
        next: offer
      - text: Bye then.
        feedback: Gives up.
        next: lost
  offer:
    step: propose
    customer: They charge 80 a month.
    emotion: neutral
    responses:
      - text: Our 85 plan fits your usage; shall I switch you?
        techniques: [tailored_offer, ask_acceptance]
        offer: {cost: 180}
        mood: 20
        feedback: Right-sized.
        next: refuse
      - text: Take six months free.
        techniques: [tailored_offer]
        offer: {cost: 600}
        mood: 25
        feedback: A give-away.
        next: refuse
      - text: Take three months free.
        techniques: [tailored_offer]
        offer: {cost: 300}
        mood: 25
        feedback: Generous.
        next: refuse
  refuse:
    step: resolve_refusal
    customer: Hmm, I'm still not sure.
    emotion: hesitant
    responses:
      - text: I'd be sorry to lose you before you tried it. Give me two minutes?
        techniques: [express_regret, plead_for_exchange]
        mood: 5
        feedback: Handles the refusal.
        next: done
      - text: You'll regret it, everyone comes back.
        mistakes: [threaten_pressure]
        instead: Express regret instead.
        mood: -10
        feedback: Pressure.
        next: done
  done:
    step: close
    customer: OK, let's do it.
    emotion: pleased
    responses:
      - text: Done from the 1st; thank you, I'll call in a month.
        techniques: [confirm_solution, thank_customer, follow_up]
        feedback: Closes well.
        next: kept
endings:
  kept: {outcome: retained, debrief: Kept.}
  lost: {outcome: churned, debrief: Lost.}
"""


@pytest.fixture(scope="module")
def save():
    scenario, diagnostics = loader.load_text(SAVE, "save.yaml")
    assert scenario is not None and not [d for d in diagnostics if d.severity == "error"], diagnostics
    return scenario


def scored(scenario, responses):
    return scoring.score(scenario, play(scenario, responses))


def test_the_expert_path_of_the_doc_example_scores_high():
    result = scored(load_example(), [0, 0, 0, 0])
    assert result.total == 95 and result.grade == "A" and result.outcome == "retained"


def test_parts_add_up_to_the_total(save):
    result = scored(save, [0, 0, 0, 0])
    assert round(sum(p.points for p in result.parts)) == result.total
    assert sum(p.max for p in result.parts) == 100


def test_an_untagged_offer_before_the_reason_counts_as_premature(save):
    result = scored(save, [1, 0, 0, 0])
    first = result.turns[0]
    assert first.auto_mistakes == ("premature_offer",) and not first.in_order


def test_offers_stay_premature_until_the_reason_is_probed(save):
    result = scored(save, [1, 0, 0, 0])  # never asks why: both offers jump ahead
    assert result.part("order").detail["jumped_ahead"] == 2 and result.part("order").points == 0


def test_probing_first_keeps_the_order(save):
    result = scored(save, [0, 0, 0, 0])
    assert all(t.in_order for t in result.turns) and result.part("order").points == 10


def test_the_authors_reason_known_variable_decides_when_offers_are_in_order():
    result = scored(load_example(), [1, 0, 0, 0, 0])  # tagged premature offer, then recovery
    assert result.part("order").points == 5 and not result.turns[0].in_order
    assert result.turns[0].auto_mistakes == ()  # the author tagged it already: no double count


def test_a_right_sized_save_keeps_all_cost_points(save):
    cost = scored(save, [0, 0, 0, 0]).part("cost")
    assert cost.points == 10 and cost.detail["months"] == 1.8


def test_a_give_away_three_times_the_budget_loses_all_cost_points(save):
    assert scored(save, [0, 1, 0, 0]).part("cost").points == 0


def test_a_save_costing_half_as_much_again_as_the_budget_keeps_a_quarter_of_the_cost_points(save):
    assert scored(save, [0, 2, 0, 0]).part("cost").points == pytest.approx(2.5)  # 300 of a 200 budget


def test_an_expensive_save_scores_clearly_below_the_right_tailored_one(save):
    tailored, three_months = scored(save, [0, 0, 0, 0]), scored(save, [0, 2, 0, 0])
    assert three_months.outcome == tailored.outcome == "retained"
    assert three_months.part("mood").points > tailored.part("mood").points  # the give-away pleases more...
    assert three_months.total <= tailored.total - 7  # ...and still scores clearly lower


def test_the_cost_breakdown_says_what_a_fair_save_would_have_cost(save):
    detail = scored(save, [0, 2, 0, 0]).part("cost").detail
    assert detail["fair_cost"] == 200 and detail["zero_at"] == 400 and detail["cost"] == 300


def test_a_tailored_save_beats_a_give_away_with_the_same_outcome(save):
    assert scored(save, [0, 0, 0, 0]).total > scored(save, [0, 1, 0, 0]).total


def test_a_lost_customer_earns_no_cost_points(save):
    assert scored(save, [2]).part("cost").points == 0


def test_giving_up_early_keeps_only_part_of_the_clean_play_points(save):
    result = scored(save, [2])
    assert result.part("mistakes").points == pytest.approx(15 / 4)  # one of four expected steps reached
    assert result.part("order").points == pytest.approx(10 / 4)


def test_mistakes_cost_their_catalog_penalty(save):
    result = scored(save, [0, 0, 1, 0])  # threaten_pressure costs 10 of the 15
    assert result.part("mistakes").detail["penalty"] == 10 and result.part("mistakes").points == 5


def test_refusal_techniques_count_only_when_the_customer_refused():
    scenario = load_example()  # no resolve_refusal node on any path
    steps = scored(scenario, [0, 0, 0, 0]).part("techniques").detail["steps"]
    assert "resolve_refusal" not in steps and set(steps) == {"build_trust", "probe_reason", "propose", "close"}


def test_refusal_step_is_judged_once_reached(save):
    steps = scored(save, [0, 0, 1, 0]).part("techniques").detail["steps"]
    assert steps["resolve_refusal"]["points"] == 0 and steps["resolve_refusal"]["max"] == 7


def test_a_better_response_is_named_where_one_was_offered(save):
    result = scored(save, [2])
    assert result.turns[0].better == 0


def test_no_better_response_is_named_for_the_best_answer(save):
    assert scored(save, [0, 0, 0, 0]).turns[0].better is None


def test_answer_time_is_recorded_per_turn():
    scenario = load_example()
    eng = Engine(scenario)
    state = eng.choose(eng.start("en", shuffle=False), 0, elapsed_ms=4200)
    assert scoring.score(scenario, state).turns[0].elapsed_ms == 4200


def test_mood_part_follows_the_final_mood(save):
    result = scored(save, [0, 0, 0, 0])
    assert result.part("mood").points == pytest.approx(8.0)  # mood 80


def test_an_unfinished_call_scores_without_an_outcome(save):
    result = scored(save, [0])
    assert result.outcome is None and result.part("outcome").points == 0 and 0 <= result.total <= 100


def test_mistakes_beyond_the_budget_come_off_the_total(save):
    result = scored(save, [1, 0, 1, 0])  # premature offer (6, and a jump ahead) + threat (10) + another jump
    mistakes = result.part("mistakes")
    assert mistakes.detail["penalty"] > 15 and mistakes.points < 0
    assert result.total == round(sum(p.points for p in result.parts))


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _without_close(text: str) -> str:
    """SAVE made flawless-able and cut after the refusal: no closing node, no closing technique."""
    text = _edit(text, "        next: done\n      - text: You'll", "        next: kept\n      - text: You'll")
    text = _edit(text, "  done:\n    step: close\n    customer: OK, let's do it.\n    emotion: pleased\n"
                 "    responses:\n      - text: Done from the 1st; thank you, I'll call in a month.\n"
                 "        techniques: [confirm_solution, thank_customer, follow_up]\n"
                 "        feedback: Closes well.\n        next: kept\n", "")
    return _edit(text, "techniques: [rapport, open_probe]\n        mood: 5",
                 "techniques: [rapport, empathy, open_probe, deep_probe]\n        mood: 50")


def test_a_flawless_call_scores_100_in_a_scenario_with_no_closing_node():
    scenario, _ = loader.load_text(_without_close(SAVE), "noclose.yaml")
    result = scoring.score(scenario, play(scenario, [0, 0, 0]))
    assert result.outcome == "retained" and result.part("mood").points == 10
    assert [p.points for p in result.parts if p.id in ("mistakes", "order")] == [15, 10]
    assert result.total == 100


ORDER = """
format: 1
id: order
title: Order
languages: [en]
category: churn_threat
difficulty: beginner
situation: She wants to cancel.
objectives: [Probe before you offer]
persona:
  name: Li
  segment: mass
  tenure_months: 30
  plan: Plan 100
  monthly_spend: 100
  lifecycle_stage: maturity
  personality: amiable
  churn_category: natural
  churn_reason: Too expensive
  value_orientation: value_for_money
  mood: 80
start: hello
nodes:
  hello:
    step: build_trust
    customer: I want to cancel.
    emotion: neutral
    responses:
      - text: I'm sorry to hear that, Li. What made you decide?
        techniques: [rapport, empathy, open_probe, deep_probe]
        mood: 10
        feedback: Asks first.
        next: offer_after
      - text: I'm sorry to hear that, Li. I can move you to our 80 plan today.
        techniques: [rapport, empathy, tailored_offer, ask_acceptance]
        offer: {cost: 100}
        mood: 10
        feedback: Offers first.
        next: probe_after
  offer_after:
    step: propose
    customer: It's just too expensive.
    emotion: neutral
    responses:
      - text: I can move you to our 80 plan today.
        techniques: [tailored_offer, ask_acceptance]
        offer: {cost: 100}
        mood: 10
        feedback: Offers.
        next: close
  probe_after:
    step: probe_reason
    customer: Maybe.
    emotion: neutral
    responses:
      - text: What made you decide?
        techniques: [open_probe, deep_probe]
        mood: 10
        feedback: Asks late.
        next: close
  close:
    step: close
    customer: Fine, let's do that.
    emotion: pleased
    responses:
      - text: Done from the 1st; thank you, I'll call in a month.
        techniques: [confirm_solution, thank_customer, follow_up]
        feedback: Closes.
        next: kept
endings:
  kept: {outcome: retained, debrief: Kept.}
"""


def test_order_matters_probing_before_the_offer_scores_higher_than_the_same_answers_reversed():
    scenario, diagnostics = loader.load_text(ORDER, "order.yaml")
    assert scenario is not None and not [d for d in diagnostics if d.severity == "error"]
    probe_first, offer_first = scoring.score(scenario, play(scenario, [0, 0, 0])), \
        scoring.score(scenario, play(scenario, [1, 0, 0]))
    same = ("techniques", "outcome", "mood", "cost")
    assert [probe_first.part(p).points for p in same] == [offer_first.part(p).points for p in same]
    assert probe_first.part("order").points == 10 and offer_first.part("order").points == 5
    assert offer_first.turns[0].auto_mistakes == ("premature_offer",)
    assert probe_first.total == 100 and offer_first.total <= 90


# -- undo cannot launder a score ---------------------------------------------------------------
def _with_undo(scenario, before, taken_back, after, explore=False):
    """Play ``before``, answer ``taken_back`` and undo it, then play ``after`` (responses as written)."""
    eng = Engine(scenario)
    state = eng.start("en", shuffle=False)
    for index in before:
        state = eng.choose_response(state, index)
    state = eng.undo(eng.choose_response(state, taken_back, 1500), explore=explore)
    for index in after:
        state = eng.choose_response(state, index)
    return scoring.score(scenario, state)


def test_an_undone_mistake_stays_in_the_score(save):
    clean = scored(save, [0, 0, 0, 0])
    laundered = _with_undo(save, [0, 0], 1, [0, 0])  # threaten, undo, then the right answer
    assert laundered.part("mistakes").detail["penalty"] == 10 and laundered.total == clean.total - 10
    assert laundered.undone[0].mistakes == ("threaten_pressure",) and laundered.undone[0].penalty == 10


def test_an_undone_premature_offer_stays_in_the_score_and_the_order(save):
    result = _with_undo(save, [], 1, [0, 0, 0, 0])  # an untagged offer before the reason, undone
    assert result.undone[0].auto_mistakes == ("premature_offer",)
    assert result.part("mistakes").detail["penalty"] == 6 and result.part("order").points == 5


def test_an_offer_undone_after_the_reason_was_probed_is_not_premature(save):
    result = _with_undo(save, [0], 0, [2, 0, 0])
    assert result.undone[0].auto_mistakes == () and result.part("mistakes").detail["penalty"] == 0


def test_an_undone_answers_techniques_do_not_count(save):
    refusal = "resolve_refusal"
    plain = scored(save, [0, 0, 1, 0]).part("techniques").detail["steps"][refusal]
    undone = _with_undo(save, [0, 0], 0, [1, 0])  # regret and two minutes, undone; then the threat
    assert undone.undone[0].techniques == ("express_regret", "plead_for_exchange")
    assert undone.part("techniques").detail["steps"][refusal] == plain


def test_a_classroom_exploration_is_shown_but_not_charged(save):
    explored = _with_undo(save, [0, 0], 1, [0, 0], explore=True)
    assert explored.total == scored(save, [0, 0, 0, 0]).total
    assert explored.undone[0].explored and explored.undone[0].penalty == 0


def test_undone_answers_are_reviewed_with_their_turn_number_and_time(save):
    result = _with_undo(save, [0, 0], 1, [0, 0])
    review = result.undone[0]
    assert (review.number, review.order, review.node, review.response, review.elapsed_ms) == (3, 1, "refuse", 1, 1500)


# -- mutations that once survived the suite (issue 17) -----------------------------------------
def test_an_author_tagged_premature_offer_is_charged_once():
    result = scored(load_example(), [1, 0, 0, 0, 0])  # tagged premature_offer, and an offer before the reason
    assert result.part("mistakes").detail["penalty"] == 6 and result.part("mistakes").points == 9


def test_the_mistakes_part_never_goes_below_its_floor(save):
    eng = Engine(save)
    state = eng.choose_response(eng.choose_response(eng.start("en", shuffle=False), 0), 0)
    for _ in range(6):  # six threats, each taken back: 60 points of penalty
        state = eng.undo(eng.choose_response(state, 1))
    result = scoring.score(save, state)
    assert result.part("mistakes").detail["penalty"] == 60
    assert result.part("mistakes").points == points.MIN_MISTAKES == -30


def test_of_two_equally_better_answers_the_one_shown_first_is_named():
    threat = "      - text: You'll regret it, everyone comes back.\n"
    twin = ("      - text: I'm sorry to hear that; could we take two minutes to look at it together?\n"
            "        techniques: [express_regret, plead_for_exchange]\n"
            "        mood: 5\n        feedback: Handles the refusal too.\n        next: done\n")
    scenario, _ = loader.load_text(SAVE.replace(threat, twin + threat), "twin.yaml")
    for seed in range(6):  # both shown orders of the two equal answers occur
        state = play(scenario, [0, 0, 2], seed=seed)
        first_equal = next(i for i in state.history[2].shown if i in (0, 1))
        assert scoring.score(scenario, state).turns[2].better == first_equal


def test_an_untagged_premature_offer_is_valued_as_if_the_author_had_tagged_it(save):
    from dataclasses import replace

    catalog = scoring.load_catalog()
    offer = save.nodes["hello"].responses[1]  # 50% off before the reason is known, not tagged
    tagged = replace(offer, mistakes=(scoring.PREMATURE,))
    assert scoring.answer_value(offer, True, catalog) == scoring.answer_value(tagged, True, catalog) < (
        scoring.answer_value(offer, False, catalog))
