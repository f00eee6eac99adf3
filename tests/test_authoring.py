"""The instructor's commands through the real command line: new, analyze, graph, test --coverage/--generate,
validate --watch."""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
import yaml
from helpers import ROOT, default_ctrl_c, doc_example_text

from simulator.cli import main
from simulator.commands import new
from simulator.core import loader
from simulator.core.points import PART_IDS
from simulator.core.text import pick

ALL_FLAGS = ["--id", "kim-bill-complaint", "--category", "complaint", "--personality", "analytical",
             "--stage", "growth", "--segment", "high_end", "--languages", "en,zh", "--name-en", "Kim Lee",
             "--name-zh", "李金", "--spend", "120", "--tenure", "40"]


@pytest.fixture(autouse=True)
def private_dirs(isolated_library):
    """Every test here runs against the isolated library."""



def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# -- new ----------------------------------------------------------------------------------------
def test_new_with_every_flag_writes_a_file_that_validates(capsys, tmp_path):
    target = tmp_path / "kim.yaml"
    code, out, _ = run(capsys, "new", *ALL_FLAGS, "-o", target)
    assert code == 0 and f"wrote {target}" in out
    code, out, _ = run(capsys, "validate", target)
    assert code == 0 and "checked 1 file(s): 0 error(s), 0 warning(s): ok" in out


def test_new_with_every_flag_uses_every_answer(capsys, tmp_path):
    target = tmp_path / "kim.yaml"
    run(capsys, "new", *ALL_FLAGS, "-o", target)
    scenario = loader.load(str(target))
    p = scenario.persona
    assert (scenario.id, scenario.category, scenario.languages) == ("kim-bill-complaint", "complaint", ("en", "zh"))
    assert (p.personality, p.lifecycle_stage, p.segment, p.monthly_spend, p.tenure_months) == (
        "analytical", "growth", "high_end", 120.0, 40)
    assert (pick(p.name, "en"), pick(p.name, "zh")) == ("Kim Lee", "李金")


def test_new_file_plays_to_a_score(capsys, tmp_path):
    target = tmp_path / "kim.yaml"
    run(capsys, "new", *ALL_FLAGS, "-o", target)
    code, out, _ = run(capsys, "play", target, "--script", "1,1,1,1,1", "--no-save", "--tui")
    assert code == 0
    assert re.search(r"^Score: \d+/100", out, re.M)


def test_new_refuses_to_overwrite_without_force(capsys, tmp_path):
    target = tmp_path / "kim.yaml"
    target.write_text("mine\n", "utf-8")
    code, _, err = run(capsys, "new", *ALL_FLAGS, "-o", target)
    assert code == 2 and "--force" in err and str(target) in err
    assert target.read_text("utf-8") == "mine\n"


def test_new_overwrites_with_force(capsys, tmp_path):
    target = tmp_path / "kim.yaml"
    target.write_text("mine\n", "utf-8")
    code, _, _ = run(capsys, "new", *ALL_FLAGS, "-o", target, "--force")
    assert code == 0 and "Kim Lee" in target.read_text("utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left behind


def test_new_without_output_writes_into_the_scenario_folder(capsys, tmp_path):
    code, _, _ = run(capsys, "new", *ALL_FLAGS)
    assert code == 0 and (tmp_path / "library" / "kim-bill-complaint.yaml").exists()


@pytest.mark.parametrize("bad", ["Bad Id", "-starts-with-dash", "UPPER", "semi;colon"])
def test_new_rejects_a_bad_id(capsys, tmp_path, bad):
    target = tmp_path / "x.yaml"
    code, _, err = run(capsys, "new", f"--id={bad}", "-o", target)
    assert code == 2 and f"'{bad}' is not a valid id" in err
    assert not target.exists()


@pytest.mark.parametrize("bad", ["fr", "en,en", "en,zh,fr", ","])
def test_new_rejects_bad_languages(capsys, tmp_path, bad):
    target = tmp_path / "x.yaml"
    code, _, err = run(capsys, "new", f"--languages={bad}", "-o", target)
    assert code == 2 and "languages: write en, zh or en,zh" in err
    assert not target.exists()


def test_new_rejects_a_spend_of_zero(capsys, tmp_path):
    code, _, err = run(capsys, "new", "--spend", "0", "-o", tmp_path / "x.yaml")
    assert code == 2 and "monthly spend must be more than 0" in err


def _namespace(output) -> argparse.Namespace:
    fields = ("id", "category", "personality", "lifecycle_stage", "segment", "languages", "name_en", "name_zh",
              "monthly_spend", "tenure_months", "force")
    return argparse.Namespace(**dict.fromkeys(fields), output=str(output))


def test_new_asks_for_every_answer_and_asks_again_after_an_invalid_one(capsys, tmp_path):
    target = tmp_path / "asked.yaml"
    answers = iter(["asked-case", "sales", "complaint", "expressive", "", "high_end", "zh", "Ignored",
                    "王芳", "76.5", "3"])
    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    assert new.run(_namespace(target), ask=ask) == 0
    out = capsys.readouterr().out
    assert len(prompts) == 11 and next(answers, None) is None
    assert prompts[1] == prompts[2] and prompts[1].startswith("Category [churn_threat/complaint/competitor_offer]")
    assert "'sales' is not one of: churn_threat, complaint, competitor_offer" in out
    scenario, diagnostics = loader.load_with_diagnostics(str(target))
    assert diagnostics == []
    p = scenario.persona
    assert (scenario.id, scenario.category, scenario.languages) == ("asked-case", "complaint", ("zh",))
    assert (p.personality, p.lifecycle_stage, p.segment, pick(p.name, "zh"), p.monthly_spend, p.tenure_months) == (
        "expressive", "decline", "high_end", "王芳", 76.5, 3)  # an empty answer keeps the default stage


def test_new_asks_nothing_that_a_flag_answered(capsys, tmp_path):
    prompts: list[str] = []
    args = _namespace(tmp_path / "flags.yaml")
    for field, value in (("id", "flag-case"), ("category", "churn_threat"), ("personality", "amiable"),
                         ("lifecycle_stage", "growth"), ("segment", "mass"), ("languages", "en"),
                         ("name_en", "Ann"), ("name_zh", "安"), ("monthly_spend", 50.0), ("tenure_months", 8)):
        setattr(args, field, value)
    assert new.run(args, ask=lambda q: prompts.append(q) or "") == 0
    assert prompts == []


# -- analyze --------------------------------------------------------------------------------------
def test_analyze_prints_paths_and_random_play_odds(capsys, example):
    code, out, _ = run(capsys, "analyze", example)
    assert code == 0
    assert "distinct playthroughs: 3" in out
    assert "outcomes under random play: churned 25.0%, retained 75.0%" in out
    assert out.rstrip().endswith("10 warning(s)")  # the cue audit: the example's right answers are longest


def test_analyze_prints_each_policys_score_and_the_length_cue_per_language(capsys, example):
    _, out, _ = run(capsys, "analyze", example)
    assert "[en] best call 95 (exact); best is longest in 2/2 turns (100%)" in out
    assert "[zh] best call 95 (exact)" in out
    assert "longest 95→kept  shortest 10→cancelled  first 95→kept  last 10→cancelled" in out
    assert "warning AN003 always choosing the longest answer (en) ends retained ('kept') with 95/100" in out


def test_analyze_json_has_the_documented_keys(capsys, example):
    code, out, _ = run(capsys, "analyze", example, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert {"paths", "best", "worst", "parts", "outcome_odds", "warnings"} <= set(data)
    assert data["paths"] == 3 and data["best"]["ending"] == "kept" and data["worst"]["ending"] == "cancelled"
    assert set(data["parts"]) == set(PART_IDS) and len(data["parts"]) == 6
    assert all({"best", "worst", "best_path", "worst_path"} <= set(part) for part in data["parts"].values())
    assert sum(data["outcome_odds"].values()) == pytest.approx(1.0, abs=1e-3)
    assert {w["code"] for w in data["warnings"]} == {"AN003", "AN004"}


def test_analyze_json_has_every_policy_in_every_language_and_the_length_cue(capsys, example):
    data = json.loads(run(capsys, "analyze", example, "--format", "json")[1])
    cues = data["cues"]
    assert cues["best"] == [{"variant": None, "score": 95, "source": "exact"}]
    assert len(cues["policies"]) == 14 and {p["language"] for p in cues["policies"]} == {"en", "zh"}
    longest = next(p for p in cues["policies"] if p["policy"] == "longest" and p["language"] == "en")
    assert longest == {"policy": "longest", "language": "en", "variant": None, "score": 95, "ending": "kept",
                       "outcome": "retained", "choices": [1, 1, 1, 1]}
    assert cues["best_is_longest"][0] == {"language": "en", "variant": None, "turns": 2, "hits": 2, "share": 1.0}


def test_analyze_prints_the_proven_bound_beside_a_best_the_budget_cut_short(capsys):
    from simulator import authoring
    from simulator.core import audit

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import adversarial_yaml

    # A version no other test analyses, so no remembered exact answer stands in for the cut one.
    scenario, _ = loader.load_text(adversarial_yaml("chain", 40, 6, seed=11), "chain.yaml")
    report = audit.audit(scenario, budget=50)
    authoring.print_audit(scenario, authoring.audit_as_json(scenario, report), report)
    out = capsys.readouterr().out
    best = report.analysis
    assert best.best.score < best.best_bound  # the cut really left the best unproven
    assert f"  best: ≥ {best.best.score}/100 (bound ≤ {best.best_bound:g}) → " in out


def test_analyze_an_unknown_variant_exits_2(capsys, example):
    code, _, err = run(capsys, "analyze", example, "--variant", "nobody")
    assert code == 2 and "has no variant 'nobody'" in err


# -- graph --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("fmt", "start"), [
    ("mermaid", "flowchart LR\n"), ("dot", 'digraph "prepaid-cancel-example" {\n'), ("html", "<!DOCTYPE html>\n")])
def test_graph_writes_the_map_to_a_file(capsys, tmp_path, example, fmt, start):
    target = tmp_path / "maps" / f"map.{fmt}"
    code, out, _ = run(capsys, "graph", example, "--format", fmt, "-o", target)
    assert code == 0 and out.strip() == f"wrote {target}"
    assert target.read_text("utf-8").startswith(start)


def test_graph_without_output_prints_the_map(capsys, example):
    code, out, _ = run(capsys, "graph", example, "--format", "mermaid")
    assert code == 0 and out.startswith("flowchart LR\n")


def test_graph_of_an_unknown_scenario_exits_2_with_a_message(capsys):
    code, out, err = run(capsys, "graph", "no-such-scenario", "--format", "dot")
    assert code == 2 and out == ""
    assert "no scenario file or id 'no-such-scenario'" in err


# -- test --coverage / --generate ------------------------------------------------------------------------
def test_coverage_counts_nodes_responses_and_endings(capsys, example):
    code, out, _ = run(capsys, "test", "--coverage", example)
    assert code == 0
    assert f"{example}: nodes 4/5 (80%), responses 4/7 (57%), endings 1/2" in out


def test_coverage_points_at_the_never_visited_node(capsys, example, where):
    line, col = where(doc_example_text(), "annoyed:\n")
    _, out, _ = run(capsys, "test", "--coverage", example)
    assert f"{example}:{line}:{col}: node 'annoyed' is never visited" in out
    assert "ending 'cancelled' is never reached" in out


def test_coverage_of_a_broken_file_fails(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: [unclosed\n", "utf-8")
    code, out, _ = run(capsys, "test", "--coverage", bad)
    assert code == 1 and f"FAIL {bad}: does not load" in out


def test_generate_prints_yaml_with_an_expert_playthrough(capsys, example):
    code, out, _ = run(capsys, "test", "--generate", example)
    proposals = yaml.safe_load(out)
    assert code == 0 and out.startswith("# ")
    expert = next(p for p in proposals if p["name"] == "expert")
    assert expert["choices"] == [1, 1, 1, 1] and expert["ending"] == "kept"
    assert [p["name"] for p in proposals] == ["expert", "novice"]


# -- validate --watch --------------------------------------------------------------------------------------
def test_validate_watch_reports_a_broken_save_and_stops_on_ctrl_c(tmp_path):
    folder = tmp_path / "watched"
    folder.mkdir()
    scenario = folder / "example.yaml"
    scenario.write_text(doc_example_text(), "utf-8")
    env = {**os.environ, "RETENTION_SIM_DATA": str(tmp_path / "data"), "PYTHONUNBUFFERED": "1"}
    # A child inherits an ignored SIGINT (a suite started in the background, `(make test &)`), and Python then
    # installs no Ctrl-C handler; the watcher must get the handler a person's terminal gives it.
    proc = subprocess.Popen([sys.executable, "main.py", "validate", "--watch", str(folder)], cwd=ROOT, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=default_ctrl_c)
    seen: list[str] = []

    def reader():
        for raw in proc.stdout:
            seen.append(raw.decode("utf-8", "replace"))

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()

    def wait_for(pattern: str, start: int = 0, timeout: float = 20) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, line in enumerate(list(seen)[start:], start):
                if pattern in line:
                    return i
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no {pattern!r} in {''.join(seen)!r}")

    try:
        first = wait_for("checked 1 file(s): 0 error(s)")
        watching = wait_for("watching", first)
        time.sleep(0.3)  # let the watcher settle before the change
        scenario.write_text("format: 1\nid: [unclosed\n", "utf-8")
        broken = wait_for("checked 1 file(s): 1 error", watching)
        assert any("RS004" in line for line in seen[watching:broken])
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=5)
        assert code in (0, 130), code  # 0 when the watcher catches it, 130 if it lands mid-check
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        thread.join(10)
        proc.stdout.close()
        proc.stderr.close()


def test_new_cancelled_with_ctrl_d_writes_nothing(tmp_path):
    import argparse

    from simulator import authoring

    fields = ("id", "category", "personality", "lifecycle_stage", "segment", "languages", "name_en", "name_zh",
              "monthly_spend", "tenure_months")
    args = argparse.Namespace(**dict.fromkeys(fields), output=str(tmp_path / "x.yaml"), force=False)

    def ask(_prompt):
        raise EOFError

    with pytest.raises(authoring.AuthoringError, match="cancelled"):
        new.run(args, ask=ask)
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize("spend", ["nan", "inf"])
def test_new_rejects_a_spend_that_is_not_a_real_amount(capsys, tmp_path, spend):
    from simulator.cli import main

    code = main(["new", "--id", "n1", "--spend", spend, "-o", str(tmp_path / "n.yaml")])
    assert code == 2 and not (tmp_path / "n.yaml").exists()
