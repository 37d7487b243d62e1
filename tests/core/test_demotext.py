"""The demo's texts in one language (ccops.core.demotext), without a database."""

from __future__ import annotations

import pytest

from ccops.core.demotext import bi, bi_all, center_name, chinese_name, demo_language, t


def test_pairs_read_in_the_demo_language():
    text = "1. 与客户约定时间 Agree a time.\n2. 准时回电 Call back on time."
    assert bi(text) == "1. Agree a time.\n2. Call back on time."  # English without a language
    with demo_language("zh-hans"):
        assert bi(text) == "1. 与客户约定时间\n2. 准时回电"
        assert bi("金卡：首年免年费") == "金卡：首年免年费"  # no pair: as is
        assert bi("ACD 与录音系统网络拓扑 Network diagram") == "ACD 与录音系统网络拓扑"
        assert t("Group 1", "一组") == "一组"
        assert bi_all([("服务态度 Manner", 1.0, {"critical": True})]) == [
            ("服务态度", 1.0, {"critical": True})
        ]
        assert center_name("Bills of January 2027") == "2027年1月账单"
        assert center_name("春节 Spring Festival") == "春节"
        assert center_name("General") == "综合业务"
    with demo_language("en"):
        assert bi("服务态度 Manner") == "Manner" and center_name("General") == "General"
        assert center_name("春节 Spring Festival") == "Spring Festival"


def test_chinese_names_are_distinct_and_in_characters():
    names = [chinese_name(i) for i in range(60)]
    assert len(set(names)) == 60
    assert all("\u4e00" <= ch <= "\u9fff" for name in names for ch in name)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError), demo_language("fr"):
        pass
