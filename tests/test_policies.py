import pytest
from helpers import load_example

from simulator.core import analysis
from simulator.core.engine import Engine
from simulator.policies import PolicyError, auto_policy, random_policy, script_policy


def test_script_policy_uses_numbers_as_written():
    scenario = load_example()
    eng = Engine(scenario)
    policy = script_policy([2])
    assert policy(eng, eng.start("en", seed=5)) == 1


def test_script_policy_explains_a_choice_not_offered():
    eng = Engine(load_example())
    with pytest.raises(PolicyError, match="not offered"):
        script_policy([3])(eng, eng.start("en"))


@pytest.mark.parametrize("which", ["best", "worst"])
def test_auto_plays_the_path_the_analysis_found(which):
    scenario = load_example()
    eng = Engine(scenario)
    policy = auto_policy(which, scenario, None)
    state, picks = eng.start("en", seed=9), []
    while not state.over:
        picks.append(policy(eng, state))
        state = eng.choose_response(state, picks[-1])
    path = getattr(analysis.explore(scenario), which)
    assert picks == list(path.responses) and state.ending == path.ending


def test_auto_rejects_an_unknown_policy():
    with pytest.raises(PolicyError, match="unknown policy"):
        auto_policy("clever", load_example(), None)


def test_a_script_policy_knows_what_it_has_left():
    eng = Engine(load_example())
    policy = script_policy([1, 2, 1])
    policy(eng, eng.start("en", shuffle=False))
    assert policy.left == [2, 1]


def test_a_script_that_runs_out_says_at_which_turn():
    eng = Engine(load_example())
    with pytest.raises(PolicyError, match="ran out of choices at turn 1"):
        script_policy([])(eng, eng.start("en"))


def test_a_random_policy_with_the_same_seed_plays_the_same_call():
    eng = Engine(load_example())

    def play(seed):
        policy, state, picks = random_policy(seed), eng.start("en", seed=1, shuffle=False), []
        while not state.over:
            picks.append(policy(eng, state))
            state = eng.choose_response(state, picks[-1])
        return picks

    assert play(7) == play(7)
    assert any(play(seed) != play(7) for seed in range(8))


def test_a_random_seed_that_is_not_a_number_is_explained():
    with pytest.raises(PolicyError, match="'x' is not a seed"):
        auto_policy("random:x", load_example(), None)
