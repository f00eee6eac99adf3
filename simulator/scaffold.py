"""``new``: a valid, playable scenario from a few answers, for an author to reshape.

The call follows the five links; each node has a good, a fair and a poor answer with their
techniques, mistakes and feedback already filled, so the file plays, validates and scores
from the first minute and shows the author every feature in use.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .core.model import CATEGORIES, LIFECYCLE_STAGES, PERSONALITIES, SEGMENTS

OPENERS = {
    "churn_threat": {
        "en": "Hello. I want to cancel my number, today if possible.",
        "zh": "你好，我要把这个号销了，最好今天就办。",
        "reason_en": "Honestly, the bill keeps going up and I barely use half of what I pay for.",
        "reason_zh": "说实话，话费越来越高，我交的钱一半都用不上。",
    },
    "complaint": {
        "en": "I'm calling about my bill, and I'm really not happy. There's a charge I never agreed to.",
        "zh": "我打电话是为了账单的事，我很不满意。上面有一笔我从没同意过的扣费。",
        "reason_en": "Thirty yuan for a music pack. Nobody asked me. This is the second month.",
        "reason_zh": "一个30块的音乐包，没人问过我，已经是第二个月了。",
    },
    "competitor_offer": {
        "en": "Another operator is offering me a cheaper plan. Give me one reason to stay.",
        "zh": "别家运营商给我报了个更便宜的套餐，你给我一个留下来的理由。",
        "reason_en": "They quoted 20 yuan less a month, with more data.",
        "reason_zh": "他们每个月便宜20块，流量还更多。",
    },
}


@dataclass
class Answers:
    """What the questionnaire (or the flags) decided."""

    id: str = "my-first-scenario"
    title_en: str = "A customer on the edge"
    title_zh: str = "一位想离开的客户"
    category: str = "churn_threat"
    personality: str = "amiable"
    lifecycle_stage: str = "decline"
    segment: str = "mass"
    languages: tuple[str, ...] = ("en", "zh")
    name_en: str = "Alex Chen"
    name_zh: str = "陈明"
    plan_en: str = "Plan 98"
    plan_zh: str = "98元套餐"
    monthly_spend: float = 98
    tenure_months: int = 26


QUESTIONS = (
    ("id", "Scenario id (lower-case letters, digits, '-')", None),
    ("category", "Category", CATEGORIES),
    ("personality", "Customer personality", PERSONALITIES),
    ("lifecycle_stage", "Lifecycle stage", LIFECYCLE_STAGES),
    ("segment", "Segment", SEGMENTS),
    ("languages", "Languages (en, zh or en,zh)", None),
    ("name_en", "Customer name in English", None),
    ("name_zh", "Customer name in Chinese", None),
    ("monthly_spend", "Monthly spend", None),
    ("tenure_months", "Months as a customer", None),
)


def _t(lang: tuple[str, ...], en: str, zh: str) -> object:
    if len(lang) == 1:
        return en if lang[0] == "en" else zh
    return {"en": en, "zh": zh}


def scenario_data(a: Answers) -> dict:
    """The scenario as plain data, ready to dump."""
    L = a.languages
    o = OPENERS.get(a.category, OPENERS["churn_threat"])

    def t(en: str, zh: str) -> object:
        return _t(L, en, zh)

    def resp(text, feedback, nxt, techniques=(), mistakes=(), mood=0, instead=None, **extra):
        r = {"text": text}
        if techniques:
            r["techniques"] = list(techniques)
        if mistakes:
            r["mistakes"] = list(mistakes)
        r["mood"] = mood
        r["feedback"] = feedback
        if instead is not None:
            r["instead"] = instead
        r.update(extra)
        r["next"] = nxt
        return r

    hang_up_if_angry = [{"if": {"mood": {"lt": 20}}, "goto": "hangs_up"}]
    nodes = {
        "opening": {
            "step": "build_trust", "emotion": "annoyed", "customer": t(o["en"], o["zh"]),
            "responses": [
                resp(t("I'm sorry to hear that, {name}. I'll help either way; may I ask what's been going on?",
                       "{name}，听到您这么说真抱歉。不管怎样我都会帮您处理，能先跟我说说发生了什么吗？"),
                     t("Empathy first, then an open question: the customer feels heard.",
                       "先共情，再用开放式问题，客户感到被倾听。"),
                     "reason", ("empathy", "open_probe"), mood=10),
                resp(t("Before you decide, we have a great discount this month!", "先别急，我们这个月有很划算的优惠！"),
                     t("An offer before the reason is known feels like hard selling.",
                       "还不知道原因就推优惠，像是在硬推销。"),
                     hang_up_if_angry + [{"goto": "reason"}], mistakes=("premature_offer",), mood=-15,
                     instead=t("Acknowledge the feeling and ask what happened.", "先回应情绪，再问发生了什么。")),
            ],
        },
        "reason": {
            "step": "probe_reason", "emotion": "neutral", "customer": t(o["reason_en"], o["reason_zh"]),
            "responses": [
                resp(t("So the real problem is what you pay for versus what you use. Have I got that right?",
                       "也就是说，真正的问题是花的钱和实际用的不匹配，我理解得对吗？"),
                     t("Restating confirms the real reason before anything is proposed.",
                       "复述确认了真实原因，再谈方案。"),
                     "proposal", ("restate_confirm", "deep_probe"), mood=10, set={"reason_known": True}),
                resp(t("That's not possible, our prices are the same for everyone.", "不可能，我们的价格对谁都一样。"),
                     t("Denying the customer's view breaks the conversation.", "直接否定客户的看法，谈话就断了。"),
                     hang_up_if_angry + [{"goto": "proposal"}], mistakes=("deny_customer_view",), mood=-20,
                     instead=t("Restate what you heard and confirm it.", "复述您听到的内容并确认。")),
            ],
        },
        "proposal": {
            "step": "propose", "emotion": "skeptical", "customer": t("So what can you actually do for me?",
                                                                     "那你到底能帮我做什么？"),
            "responses": [
                resp(t("You said you use about half, so a smaller plan saves you 20 a month and keeps your number. "
                       "Shall I set it up?",
                       "您说只用得到一半，换个小一档的套餐每月能省20元，号码也不变。要我帮您办吗？"),
                     t("A tailored offer built on what the customer said, and it asks for agreement.",
                       "基于客户所说量身定制，并询问是否接受。"),
                     "refusal", ("tailored_offer", "ask_acceptance"), mood=15,
                     offer={"cost": 0, "label": t("Smaller plan", "小一档套餐")}),
                resp(t("I'll give you six months free, just stay.", "我送您半年免费，您就别走了。"),
                     t("It may keep the customer, but at a cost far above a fitting offer.",
                       "也许能留住客户，但代价远超合适的方案。"),
                     "refusal", ("tailored_offer",), mood=20,
                     offer={"cost": round(a.monthly_spend * 6), "label": t("Six months free", "半年免费")}),
            ],
        },
        "refusal": {
            "step": "resolve_refusal", "emotion": "hesitant",
            "customer": t("I don't know. It still feels like a hassle.", "我也说不好，还是觉得挺麻烦的。"),
            "responses": [
                resp(t("I understand. Give me two minutes: I'll do the change now, and you won't need to do anything.",
                       "我理解。给我两分钟，我现在就帮您改好，您什么都不用操心。"),
                     t("Asks for a little time and removes the effort: the refusal softens.",
                       "争取两分钟并替客户省事，拒绝就松动了。"),
                     "close", ("plead_for_exchange",), mood=10),
                resp(t("If you leave, you'll lose everything. Think carefully.",
                       "您要是走了，什么都没了，您可想清楚。"),
                     t("A threat leaves damage even if the customer stays.", "威胁施压，即使客户留下也会留下隐患。"),
                     hang_up_if_angry + [{"goto": "close"}], mistakes=("threaten_pressure",), mood=-25,
                     instead=t("Ask for two minutes, or step back gracefully.", "争取两分钟，或体面地退一步。")),
            ],
        },
        "close": {
            "step": "close", "emotion": "calm", "customer": t("Alright, let's do it.", "好吧，那就这么办吧。"),
            "responses": [
                resp(t("Done: the change starts on the 1st. Thank you for staying, "
                       "and I'll call you next month to check.",
                       "已经办好了，下月1号生效。谢谢您的信任，下个月我再打电话问问您用得怎么样。"),
                     t("Confirms, thanks and schedules the follow-up.", "确认方案、致谢并约定回访。"),
                     [{"if": {"mood": {"ge": 50}}, "goto": "kept"}, {"goto": "kept_grudgingly"}],
                     ("confirm_solution", "thank_customer", "follow_up"), mood=5),
                resp(t("OK. Bye.", "好，再见。"),
                     t("A cold ending wastes the goodwill the call built.", "草草收尾，浪费了前面建立的好感。"),
                     "kept_grudgingly", mood=-5,
                     instead=t("Confirm the change, thank the customer and name a follow-up.",
                               "确认变更、感谢客户并约好回访时间。")),
            ],
        },
    }
    name = t(a.name_en, a.name_zh)
    return {
        "format": 1,
        "id": a.id,
        "title": t(a.title_en, a.title_zh),
        "languages": list(L),
        "category": a.category,
        "difficulty": "beginner",
        "situation": t("A customer calls, unhappy; find out why and keep them with a fitting offer.",
                       "一位不满意的客户来电；弄清原因，用合适的方案留住客户。"),
        "objectives": [t("Find the real reason before offering anything", "先弄清真实原因，再提方案")],
        "tags": [],
        "shuffle": True,
        "max_turns": 12,
        "save_budget_months": 2,
        "persona": {
            "name": name, "segment": a.segment, "tenure_months": a.tenure_months, "plan": t(a.plan_en, a.plan_zh),
            "monthly_spend": a.monthly_spend, "currency": "CNY", "lifecycle_stage": a.lifecycle_stage,
            "personality": a.personality,
            "churn_category": "competitive" if a.category == "competitor_offer" else
            ("fault" if a.category == "complaint" else "natural"),
            "churn_reason": t("Pays for more than they use", "花的钱比用的多"),
            "value_orientation": "value_for_money", "mood": 40,
        },
        "variables": {"reason_known": False},
        "start": "opening",
        "nodes": nodes,
        "endings": {
            "kept": {"outcome": "retained", "customer": t("Thanks, that's much better.", "谢谢，这样好多了。"),
                     "debrief": t("The customer stayed on a plan that fits.", "客户换到合适的套餐，留了下来。")},
            "kept_grudgingly": {"outcome": "downgraded",
                                "debrief": t("The customer stayed, but without warmth; a follow-up is needed.",
                                             "客户留下了，但心里不太痛快，需要跟进回访。")},
            "hangs_up": {"outcome": "churned", "customer": t("Forget it.", "算了。"),
                         "debrief": t("The customer hung up after feeling pushed.", "客户感到被逼，挂断了电话。")},
        },
        "playthroughs": [
            {"name": "expert", "choices": [1, 1, 1, 1, 1], "ending": "kept", "score": [85, 100]},
            {"name": "novice", "choices": [2, 2], "ending": "hangs_up", "score": [0, 40]},
        ],
    }


HEADER = """# yaml-language-server: $schema=../schema/scenario.schema.json
# Made by `python main.py new`. It already plays: python main.py play {path} --tui
# Rewrite the lines in your own words, add nodes and endings, then check with:
#   python main.py validate {path}    python main.py analyze {path}    python main.py test {path}
# The format, field by field: docs/scenario-format.md; a guide: docs/authoring.md
"""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True  # scenarios refuse aliases, so never write one


def render(answers: Answers, path: str) -> str:
    """The scenario file's text."""
    body = yaml.dump(scenario_data(answers), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110,
                     default_flow_style=False)
    return HEADER.format(path=path) + body
