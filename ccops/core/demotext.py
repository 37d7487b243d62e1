"""The language of the demo data: ``ccops demo --language zh-hans`` builds a Shanghai center
whose site, teams, job titles, checklists, questions, templates, calendar and people read in
Chinese (people with Chinese names in characters); ``en`` builds it in English.

Each app's ``demo.py`` writes its texts as pairs, ``t("Group 1", "一组")``; the demo command
runs the builders inside :func:`demo_language`. Builders called without it (tests) write
English.
"""

from __future__ import annotations

import contextlib
import contextvars
import re

_language: contextvars.ContextVar[str] = contextvars.ContextVar("ccops_demo_language", default="en")

#: The languages a demo can be built in.
LANGUAGES = ("zh-hans", "en")


@contextlib.contextmanager
def demo_language(code: str):
    """Build demo data in ``code`` (``zh-hans`` or ``en``) inside this block."""
    if code not in LANGUAGES:
        raise ValueError(f"demo language {code!r}: expected one of {', '.join(LANGUAGES)}")
    token = _language.set(code)
    try:
        yield
    finally:
        _language.reset(token)


def chinese() -> bool:
    return _language.get() == "zh-hans"


def t(english: str, chinese_text: str) -> str:
    """The text of the demo's language."""
    return chinese_text if chinese() else english


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "文",
    "华",
    "红",
    "玉兰",
    "辉",
    "鹏",
    "晨",
    "思远",
    "雨桐",
    "子涵",
    "欣怡",
    "浩然",
    "梓萱",
    "宇轩",
    "诗琪",
    "俊杰",
    "佳怡",
]


def chinese_name(index: int) -> str:
    """A Chinese name for the demo's ``index``-th person (distinct for the first 1200)."""
    surname = SURNAMES[index % len(SURNAMES)]
    given = GIVEN[(index // len(SURNAMES) * 7 + index) % len(GIVEN)]
    return surname + given


_MONTH = re.compile(r"^Bills of (?P<month>[A-Z][a-z]+) (?P<year>\d{4})$")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
#: Names of the synthetic center (queues, skills, calendar days) in Chinese.
CENTER_NAMES = {
    "General": "综合业务",
    "Billing": "账单业务",
    "Technical": "技术支持",
    "Sales": "营销",
    "Network incident in the north": "北方网络故障",
    "Spring offer mailing": "春季优惠邮寄",
    "Summer offer mailing": "夏季优惠邮寄",
    "Autumn offer mailing": "秋季优惠邮寄",
    "Winter offer mailing": "冬季优惠邮寄",
}


def center_name(name: str) -> str:
    """A queue, skill or calendar name of the synthetic center in the demo's language."""
    if not name:
        return name
    if not chinese():
        return bi(name)  # "春节 Spring Festival": the English half
    if name in CENTER_NAMES:
        return CENTER_NAMES[name]
    match = _MONTH.match(name)
    if match and match["month"] in _MONTHS:
        return f"{match['year']}年{_MONTHS.index(match['month']) + 1}月账单"
    if name.startswith("ACD outage"):
        return "ACD 中断" + name[len("ACD outage") :]
    return bi(name)  # "春节 Spring Festival": the Chinese half


_NUMBERED = re.compile(r"^\s*\d+\.\s*")


def _split(line: str) -> tuple[str, str] | None:
    """``"问候与身份核实 Greeting and verification"`` -> (Chinese, English); ``None`` when the
    line is not such a pair (no Latin text after the Chinese, or Chinese after the Latin)."""
    for i, ch in enumerate(line):
        if ch.isascii() and ch.isalpha() and _CJK.search(line[:i]) and not _CJK.search(line[i:]):
            chinese_text, english = line[:i].rstrip(), line[i:].strip()
            number = _NUMBERED.match(chinese_text)
            if number:
                english = number.group(0) + english
            return chinese_text, english
    return None


_CJK = re.compile(r"[\u4e00-\u9fff]")


def bi(text: str) -> str:
    """A text written as ``"中文 English"`` pairs (line by line) in the demo's language:
    ``bi("服务态度 Manner")`` is ``服务态度`` in the Chinese demo, ``Manner`` in the English
    one. Lines that are no pair stay as they are."""
    out = []
    for line in text.split("\n"):
        pair = _split(line)
        out.append(line if pair is None else pair[0] if chinese() else pair[1])
    return "\n".join(out)


def bi_all(value):
    """:func:`bi` on every text of nested tuples, lists and dicts (the demo's tables)."""
    if isinstance(value, str):
        return bi(value)
    if isinstance(value, tuple | list):
        return type(value)(bi_all(v) for v in value)
    if isinstance(value, dict):
        return {bi_all(k): bi_all(v) for k, v in value.items()}
    return value
