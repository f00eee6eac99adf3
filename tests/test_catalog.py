import re
from pathlib import Path

import pytest

from simulator.core.catalog import catalog_as_json, load_catalog

PLAYBOOK = Path(__file__).resolve().parents[2] / "shared" / "domain" / "playbook.md"
# The playbook's canonical ids (§2, §3), spelled exactly; the catalog may add, never rename.
CANONICAL_TECHNIQUES = {
    "build_trust": ["rapport", "active_listening", "empathy", "common_ground"],
    "probe_reason": ["open_probe", "deep_probe", "restate_confirm", "value_orientation"],
    "propose": ["apologize_and_solve", "acknowledge_and_reframe", "tailored_offer", "personalized_evidence",
                "counter_analytical", "counter_marginal_utility", "counter_sunk_cost", "counter_focus_shift",
                "counter_problem_exposure", "raise_switching_cost", "ask_acceptance"],
    "resolve_refusal": ["plead_for_exchange", "express_regret", "reveal_risk", "graceful_exit"],
    "close": ["confirm_solution", "thank_customer", "follow_up"],
}
CANONICAL_MISTAKES = ["deny_customer_view", "harass", "disparage_competitor", "threaten_pressure", "premature_offer",
                      "hard_sell", "overpromise", "complain_company", "interrupt", "blame_customer"]
needs_playbook = pytest.mark.skipif(not PLAYBOOK.exists(), reason="the shared playbook is not beside this checkout")


def playbook_ids(section: str) -> list[str]:
    text = PLAYBOOK.read_text("utf-8").split(section, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", text, re.M)


def test_the_catalog_has_the_five_steps_in_order():
    assert list(load_catalog().steps) == ["build_trust", "probe_reason", "propose", "resolve_refusal", "close"]


def test_every_canonical_technique_is_in_the_catalog_with_its_step():
    catalog = load_catalog()
    for step, ids in CANONICAL_TECHNIQUES.items():
        assert all(catalog.techniques[t].step == step for t in ids)


def test_every_canonical_mistake_is_in_the_catalog():
    assert set(CANONICAL_MISTAKES) <= set(load_catalog().mistakes)


@needs_playbook
def test_every_playbook_technique_is_in_the_catalog_with_its_step():
    catalog = load_catalog()
    text = PLAYBOOK.read_text("utf-8")
    rows = re.findall(r"^\| `([a-z_]+)` \| ([a-z_]+) \|", text.split("## 2.", 1)[1].split("## 3.", 1)[0], re.M)
    assert len(rows) == 26
    assert {tid: catalog.techniques[tid].step for tid, _ in rows} == dict(rows)


@needs_playbook
def test_every_playbook_mistake_is_in_the_catalog():
    assert set(playbook_ids("## 3.")) == set(load_catalog().mistakes)


def test_every_entry_has_english_and_chinese_name_and_description():
    data = catalog_as_json(load_catalog())
    for entry in data["steps"] + data["techniques"] + data["mistakes"]:
        for key in ("name", "description"):
            assert entry[key]["en"].strip() and re.search(r"[\u4e00-\u9fff]", entry[key]["zh"]), entry["id"]


def test_weights_and_penalties_are_positive():
    catalog = load_catalog()
    assert all(t.weight > 0 for t in catalog.techniques.values())
    assert all(m.penalty > 0 for m in catalog.mistakes.values())


def test_offers_and_counters_are_retention_moves():
    moves = {t.id for t in load_catalog().techniques.values() if t.retention_move}
    assert {"tailored_offer", "counter_analytical", "raise_switching_cost", "apologize_and_solve"} <= moves
    assert not moves & {"open_probe", "deep_probe", "rapport", "ask_acceptance", "personalized_evidence"}


def test_the_authoring_guide_carries_the_current_catalog_table():
    from simulator.core.catalog import catalog_markdown

    guide = (Path(__file__).resolve().parent.parent / "docs" / "authoring.md").read_text("utf-8")
    assert catalog_markdown(load_catalog()) in guide
