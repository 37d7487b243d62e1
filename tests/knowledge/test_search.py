"""Search behaviour beyond the test set: segmentation, synonyms, ranking order, filters by
category, state and visibility, escaped highlights, pages, the page and the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from ccops.core.testing import api_operation_paths, build_world
from ccops.knowledge import search
from ccops.knowledge.search import segment
from ccops.knowledge.services import articles
from tests.knowledge import helpers as h

pytestmark = pytest.mark.django_db


def test_segmentation_of_chinese_and_english():
    terms = segment.index_terms("信用卡年费减免 Annual FEES waived")
    assert {"信用卡", "信用", "年费", "减免", "年", "费"} <= set(terms)
    assert {"annual", "fee", "waiv"} <= set(terms)
    assert "吞卡" in segment.index_terms("ATM吞卡")  # the call-center dictionary
    assert segment.query_words("信用卡年费怎么减免？") == ["信用卡", "年费", "减免"]
    assert segment.query_words("怎么") == ["怎么"]  # only stop words: keep them
    assert segment.normalize("ＡＴＭ") == "atm"


def test_synonyms_expand_a_query_word():
    groups = segment.query_groups(
        "贷记卡 年费",
        {("贷记卡",): [("信用卡",), ("credit", "card")], ("信用卡",): [("贷记卡",)]},
    )
    first = groups[0]
    assert first.word == "贷记卡"
    assert segment.Alternative(("信用卡",)) in first.alternatives
    assert segment.Alternative(("credit", "card"), phrase=True) in first.alternatives
    multi = segment.query_groups("credit card fee", {("credit", "card"): [("信用卡",)]})
    assert [g.word for g in multi] == ["credit card", "fee"]


def test_ranking_puts_articles_with_every_word_first():
    w = build_world()
    both = h.published(w, title="信用卡年费", body="年费减免规则")
    one = h.published(w, title="信用卡挂失", body="挂失即时生效", tags="挂失")
    found = search.search("信用卡 年费")
    assert [r.article.pk for r in found.results] == [both.pk, one.pk]
    assert found.results[0].all_words and not found.results[1].all_words


def test_filters_by_category_subtree_state_and_visibility():
    w = build_world()
    cards = h.category(w, "卡")
    lost = h.category(w, "挂失", parent=cards)
    loans = h.category(w, "贷款")
    in_sub = h.published(w, cat=lost, title="挂失规则", body="信用卡挂失")
    in_loans = h.published(w, cat=loans, title="贷款挂失", body="挂失")
    draft = h.draft(w, cat=cards, title="挂失草稿", body="挂失")
    ids = lambda page: {r.article.pk for r in page.results}  # noqa: E731
    assert ids(search.search("挂失")) == {in_sub.pk, in_loans.pk}
    assert ids(search.search("挂失", category_ids=[cards.pk])) == {in_sub.pk}
    assert ids(search.search("挂失", states=("draft",))) == {draft.pk}
    articles.article_update(article=in_loans, visibility="customer", actor=w.users["editor"])
    assert ids(search.search("挂失", visibility="customer")) == {in_loans.pk}


def test_highlights_are_escaped_and_snippets_cut_around_the_words():
    w = build_world()
    body = "<script>alert(1)</script> " + "无关内容。" * 60 + "补卡工本费20元，新卡7个工作日寄到。"
    a = h.published(w, title="补卡 <b>说明</b>", body=body)
    result = search.search("补卡 工本费").results[0]
    assert result.article.pk == a.pk
    assert "<script>" not in result.snippet and "&lt;b&gt;" in result.title_html
    assert "<mark>补卡</mark><mark>工本费</mark>" in result.snippet
    assert result.snippet.startswith("…")


def test_pages_and_counts():
    w = build_world()
    cat = h.category(w, "卡")
    for n in range(5):
        h.published(w, cat=cat, title=f"挂失第{n}条", body="挂失")
    first = search.search("挂失", per_page=2)
    assert first.total == 5 and first.pages == 3 and len(first.results) == 2
    last = search.search("挂失", per_page=2, page=3)
    assert len(last.results) == 1 and last.total == 5
    beyond = search.search("挂失", per_page=2, page=9)
    assert beyond.results == [] and beyond.total == 5
    assert search.search("").total == 0 and search.search("！？ ，").total == 0
    assert search.search("挂失" * 500).total == 5  # long queries are cut, not refused


def test_search_page_in_chinese_and_the_api(client):
    w = build_world()
    a = h.published(w, title="信用卡挂失与补卡", body="挂失即时生效。")
    h.draft(w, title="挂失草稿", body="挂失")
    client.force_login(w.users["agent"])
    page = client.get(reverse("knowledge:search"), {"q": "挂失"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and "找到 1 篇文章" in page.text
    assert a.get_absolute_url() in page.text and "挂失草稿" not in page.text
    assert 'name="state"' not in page.text  # readers search what is published
    path = api_operation_paths()["knowledge_search"]
    body = client.get(path, {"q": "挂失", "state": "draft"}).json()
    assert body["total"] == 1 and body["results"][0]["id"] == a.pk  # not the draft
    assert "<mark>挂失</mark>" in body["results"][0]["snippet_html"]
    bad = client.get(path, {"q": "挂失", "state": "nonsense"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "state"
    client.force_login(w.users["editor"])
    body = client.get(path, {"q": "挂失", "state": "draft"}).json()
    assert [r["title"] for r in body["results"]] == ["挂失草稿"]


def test_the_top_bar_search_is_on_every_page(client):
    w = build_world()
    client.force_login(w.users["agent"])
    for url in (reverse("home"), reverse("meetings:meeting_list"), reverse("core:account")):
        page = client.get(url).text
        assert 'id="topbar-search"' in page and reverse("knowledge:search") in page
        # the "/" key handler lives in the site script every page loads (no inline scripts)
        assert "/static/ccops/ccops.js" in page
    script = (Path(__file__).resolve().parents[2] / "ccops/web/static/ccops/ccops.js").read_text()
    assert 'e.key !== "/"' in script and "topbar-search" in script
