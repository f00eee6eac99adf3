"""Typing into the window as SDL delivers it: a KEYDOWN then its TEXTINPUT per key, an input method's
composition (TEXTEDITING) before it commits Chinese (TEXTINPUT); and a whole call answered in typed words.

The answers below are written for these tests (paraphrases, not the scenario's own lines): they
follow the best path of mobile-cancel-after-bill-shock, one per turn, in each language.
"""

from __future__ import annotations

import re

import pygame

PATH = {
    "en": [
        ("opening", 1, "That sounds really frustrating, Mr Zhou. I'll help you whichever way you go. "
                       "Can you tell me what happened with your charges?"),
        ("vent", 2, "After four years of normal bills, three big ones in a row would make anyone angry, and I'm "
                    "sorry. Please carry on and tell me everything; I'm listening and I won't interrupt."),
        ("surface_reason", 0, "That's a fair question, and I won't argue about the other offer. First I'd like to "
                              "understand your bills: what do you think pushed them up?"),
        ("still_vague", 2, "I've got your bills here: most of the extra is roaming data in Vietnam and Malaysia, "
                           "and it only started this spring. Are you travelling more for work?"),
        ("real_reason", 1, "So since the new job you're abroad around ten days a month, the phone has to work all "
                           "the time, and most of all you want a bill you can predict. Is that right?"),
        ("needs_confirmed", 1, "Your last three bills came to about 420 on average, mostly roaming. The Business "
                               "Travel 158 plan includes 5 GB in Southeast Asia, so you'd have paid around 170. We "
                               "should have told you sooner, so I'll credit 150 on this bill. Shall I set it up?"),
        ("rival_compare", 1, "Their 99 only covers data at home; abroad you'd pay their roaming, which on your "
                             "trips would be well over 158. And a new SIM means a new number, the one your "
                             "clients have called for four years."),
        ("pushback", 1, "I'd hate to lose you before you've tried a plan made for your trips. Give me two minutes: "
                        "I'll set a spending alert, and if next month's bill isn't what I said, call me and I'll "
                        "sort out the move myself."),
        ("agreed", 2, "Done: the 158 plan starts on the 1st and the 150 credit is on this bill. Thanks for giving "
                      "us another chance; I'll ring you after your next trip to go through the bill together."),
    ],
    "zh": [
        ("opening", 1, "周先生，遇到这样的账单换谁都生气。不管您最后怎么决定，我都帮您办。"
                       "能跟我说说话费是怎么回事吗？"),
        ("vent", 2, "用了四年一直挺稳定，突然连着三个月这么高，换谁都会上火，真对不起。您接着说，有什么不满都告诉我，"
                    "我先听您讲完。"),
        ("surface_reason", 0, "您问得有道理，别家的套餐我不评论。比较之前我想先弄清楚您的账单："
                              "您觉得是哪部分费用多出来了？"),
        ("still_vague", 2, "我调出了您的账单，多出来的大多是在越南和马来西亚的漫游流量，春天之前都没有。"
                           "是不是最近工作上经常出国？"),
        ("real_reason", 1, "我确认一下：换了工作以后您每个月大约十天在国外，手机一刻也离不开，"
                           "最重要的是每月花多少心里有底，是吧？"),
        ("needs_confirmed", 1, "您最近三个月平均每月420元左右，主要是漫游流量。商旅158元套餐每月含东南亚5GB，"
                               "换过去的话每月大约170元。我们没及时提醒您，这期账单给您返150元。现在帮您办吗？"),
        ("rival_compare", 1, "他们的99只管国内流量，出国还是按标准资费收漫游，按您的用量远远超过158。"
                             "而且换卡就要换号，这个号码您的客户已经存了四年。"),
        ("pushback", 1, "四年了，还没用过适合出差的套餐就走，我挺过意不去。再给我两分钟：我给您加一个超额提醒，"
                        "下月账单和我算的对不上，您直接找我，转网我亲自帮您办。"),
        ("agreed", 2, "办好了：158元套餐下个月1号开始，150元返还在这期账单上。谢谢您再给我们一次机会，"
                      "您下次出差回来我给您打电话，一起看看账单。"),
    ],
}


def press(app, key: int, text: str = "", mod: int = 0) -> None:
    """One key press: its KEYDOWN, then the TEXTINPUT it types (if any), as SDL sends them."""
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=text))
    if text:
        app.handle(pygame.event.Event(pygame.TEXTINPUT, text=text))


def type_keys(app, text: str) -> None:
    """Type ``text`` (ASCII) key by key: letters, digits, spaces and punctuation, Shift for capitals."""
    for ch in text:
        shift = ch.isupper()
        press(app, ord(ch.lower()), ch, pygame.KMOD_SHIFT if shift else 0)


def compose(app, text: str, start: int | None = None) -> None:
    """The input method's composition in progress (pinyin not yet committed)."""
    app.handle(pygame.event.Event(pygame.TEXTEDITING, text=text, start=len(text) if start is None else start,
                                  length=0))


def type_chinese(app, text: str) -> None:
    """Type ``text`` as a pinyin input method commits it: a composition, then the phrase, clause by clause."""
    for phrase in re.findall(r"[^，。：；？！、]*[，。：；？！、]?", text):
        if phrase:
            compose(app, "pin")
            compose(app, "pinyin")
            app.handle(pygame.event.Event(pygame.TEXTINPUT, text=phrase))


def type_answer(app, lang: str, text: str) -> None:
    """Type ``text`` the way a trainee in ``lang`` would."""
    if lang == "zh":
        type_chinese(app, text)
    else:
        type_keys(app, text)
