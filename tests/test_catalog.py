import re
from pathlib import Path

from simulator.core.catalog import catalog_as_json, load_catalog

PLAYBOOK = Path(__file__).resolve().parents[2] / "shared" / "domain" / "playbook.md"


def playbook_ids(section: str) -> list[str]:
    text = PLAYBOOK.read_text("utf-8").split(section, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", text, re.M)


def test_the_catalog_has_the_five_steps_in_order():
    assert list(load_catalog().steps) == ["build_trust", "probe_reason", "propose", "resolve_refusal", "close"]


def test_every_playbook_technique_is_in_the_catalog_with_its_step():
    catalog = load_catalog()
    text = PLAYBOOK.read_text("utf-8")
    rows = re.findall(r"^\| `([a-z_]+)` \| ([a-z_]+) \|", text.split("## 2.", 1)[1].split("## 3.", 1)[0], re.M)
    assert len(rows) == 26
    assert {tid: catalog.techniques[tid].step for tid, _ in rows} == dict(rows)


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
