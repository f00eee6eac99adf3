"""The careless-call warning's message (simulator/core/audit.py), apart from tests/test_audit.py while
that module is being reworked."""

from __future__ import annotations

from test_audit import _load, _mistakes_text

from simulator.core import audit


def test_an002_names_the_number_of_mistakes_it_counts_as_careless():
    report = audit.audit(_load(_mistakes_text("hard_sell", in_offer=True), "an002.yaml"))
    message = next(f.diagnostic.message for f in report.findings if f.diagnostic.code == "AN002")
    assert message.startswith(f"a call making {audit.CARELESS_MISTAKES} or more mistakes")
