"""simulator/core/model: behaviour of the model's data classes."""

from __future__ import annotations

import pytest

from simulator.core.model import Persona


def _persona(spend: float) -> Persona:
    return Persona(name={"en": "Lin Wei", "zh": "林伟"}, segment="consumer", tenure_months=38,
                   plan={"en": "Unlimited 5G", "zh": "5G无限套餐"}, monthly_spend=spend, currency="CNY",
                   lifecycle_stage="mature", personality="steady", churn_category="price",
                   churn_reason={"en": "Bill went up"}, value_orientation="price", mood=40, churn_risk=None,
                   background=None)


@pytest.mark.parametrize(("lang", "name", "plan"), [("en", "Lin Wei", "Unlimited 5G"), ("zh", "林伟", "5G无限套餐")])
def test_persona_fields_are_in_the_calls_language(lang, name, plan):
    assert _persona(199.0).fields(lang) == {"name": name, "plan": plan, "monthly_spend": "199", "currency": "CNY",
                                            "tenure_months": "38"}


def test_persona_spend_keeps_its_cents_and_drops_a_trailing_zero():
    assert _persona(59.5).fields("en")["monthly_spend"] == "59.5"
