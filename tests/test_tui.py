import io
import re

import pytest
from helpers import load_example

from simulator.core import analysis
from simulator.core.engine import Engine
from simulator.storage import Store
from simulator.tui import PolicyError, Session, TerminalPlayer, auto_policy, script_policy


def player(answers, feedback="now"):
    out = io.StringIO()
    queue = list(answers)

    def ask(prompt):
        out.write(prompt)
        if not queue:
            raise EOFError
        return queue.pop(0)

    ticks = iter(range(0, 10_000, 3))
    return TerminalPlayer(load_example(), out=out, ask=ask, clock=lambda: next(ticks), feedback=feedback), out


def numbers_for(player_, state, wanted):
    """The display number of the response written ``wanted``-th (0-based)."""
    return str(player_.engine.options(state).index(wanted) + 1)


def test_a_whole_interactive_call_ends_with_the_score_line():
    p, out = player([])
    state = p.engine.start("en", seed=0, shuffle=False)
    p.ask = lambda prompt: "1"
    final = p.play(state)
    assert final.ending == "kept"
    assert re.search(r"^Score: 95/100", out.getvalue(), re.M)


def test_feedback_now_names_techniques_after_each_answer():
    p, out = player(["1", "1", "1", "1"])
    p.play(p.engine.start("en", shuffle=False))
    text = out.getvalue()
    assert "✓ Techniques: Rapport, Open probe" in text
    assert "Why: Warm, uses his name" in text


def test_feedback_end_holds_everything_back_until_the_review():
    p, out = player(["1", "1", "1", "1"], feedback="end")
    p.play(p.engine.start("en", shuffle=False))
    text = out.getvalue()
    review_at = text.index("Turn by turn")
    assert "✓ Rapport, Open probe" in text[review_at:]
    assert "Techniques:" not in text[:review_at]


def test_a_mistake_shows_what_to_say_instead():
    p, out = player(["2", "2"])
    p.play(p.engine.start("en", shuffle=False))
    assert "✗ Mistakes: Premature offer" in out.getvalue()
    assert "Say instead: Ask what made him think of cancelling first." in out.getvalue()


def test_undo_takes_back_the_last_answer():
    p, out = player(["2", "u", "1", "1", "1", "1"])
    final = p.play(p.engine.start("en", shuffle=False))
    assert "Undone." in out.getvalue()
    assert final.ending == "kept" and [t.response for t in final.history] == [0, 0, 0, 0]


def test_invalid_input_asks_again():
    p, out = player(["9", "abc", "1", "1", "1", "1"])
    p.play(p.engine.start("en", shuffle=False))
    assert out.getvalue().count("Please type a number from 1 to 2.") == 2


def test_quitting_keeps_the_session_for_resume(tmp_path):
    p, out = player(["1", "q"])
    store = Store(tmp_path / "s.db")
    state = p.engine.start("en", shuffle=False)
    sid = store.create("prepaid-cancel-example", "x.yaml", "", "en", None, {}, "t")
    final = p.play(state, session=Session(store, sid))
    assert final.turn == 1 and not final.over
    assert f"play --resume {sid}" in out.getvalue()
    assert store.get(sid).state["turn"] == 1


def test_end_of_input_quits_cleanly():
    p, _out = player(["1"])
    final = p.play(p.engine.start("en", shuffle=False))
    assert final.turn == 1 and not final.over


def test_chinese_call_shows_chinese_text_and_the_score_line():
    p, out = player([])
    p.ask = lambda prompt: "1"
    p.play(p.engine.start("zh", shuffle=False))
    text = out.getvalue()
    assert "你好，我想把这个号注销了。" in text and "得分明细" in text
    assert re.search(r"^Score: 95/100（等级 A）", text, re.M)


def test_the_expert_path_is_shown_when_the_trainee_took_another():
    p, out = player(["2", "2"])
    p.play(p.engine.start("en", shuffle=False))
    assert "The expert path in this scenario scores 95/100" in out.getvalue()


def test_answer_times_come_from_the_shells_clock():
    p, _out = player(["1", "1", "1", "1"])
    final = p.play(p.engine.start("en", shuffle=False))
    assert all(t.elapsed_ms == 3000 for t in final.history)


def test_script_policy_uses_numbers_as_written():
    scenario = load_example()
    eng = Engine(scenario)
    policy = script_policy([2])
    assert policy(eng, eng.start("en", seed=5)) == 1


def test_script_policy_explains_a_choice_not_offered():
    eng = Engine(load_example())
    with pytest.raises(PolicyError, match="not offered"):
        script_policy([3])(eng, eng.start("en"))


def test_auto_best_follows_the_analysis():
    scenario = load_example()
    eng = Engine(scenario)
    policy = auto_policy("best", scenario, None)
    state = eng.start("en", seed=9)
    while not state.over:
        state = eng.choose_response(state, policy(eng, state))
    assert state.ending == analysis.explore(scenario).best.ending


def test_auto_rejects_an_unknown_policy():
    with pytest.raises(PolicyError, match="unknown policy"):
        auto_policy("clever", load_example(), None)


def test_a_superscript_digit_asks_again_instead_of_crashing():
    p, out = player(["²", "1", "1", "1", "1"])
    p.play(p.engine.start("en", shuffle=False))
    assert out.getvalue().count("Please type a number from 1 to 2.") == 1
