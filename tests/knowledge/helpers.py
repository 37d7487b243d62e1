"""Sample knowledge-base rows for the tests, made through the services."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from ccops.core.services import record_create
from ccops.knowledge.models import Category, Synonym
from ccops.knowledge.services import articles, cases, manual

_n = itertools.count(1)


def category(w, name="信用卡", parent=None, order=10):
    return record_create(
        Category,
        data={"name": name, "parent": parent, "order": order},
        actor=w.users["editor"],
    )


def draft(w, *, cat=None, title="信用卡年费减免规则", body="金卡首年免年费。", tags="年费"):
    return articles.article_create(
        category=cat or category(w, f"cat-{next(_n)}"),
        title=title,
        body=body,
        tags=tags,
        actor=w.users["editor"],
    )


def publish(w, article):
    revision = articles.open_revision(article)
    articles.revision_submit(revision=revision, actor=w.users["editor"])
    articles.revision_approve(revision=revision, actor=w.users["qa_inspector"])
    article.refresh_from_db()
    return article


def published(w, **kwargs):
    return publish(w, draft(w, **kwargs))


def synonyms(w, sets):
    for terms in sets:
        record_create(Synonym, data={"terms": terms}, actor=w.users["editor"])


def load_corpus(w, corpus_articles, synonym_sets):
    """Publish the test set's articles (key -> article) and its synonym sets."""
    cats: dict[str, Category] = {}
    made = {}
    for key, (cat_name, title, tags, body) in corpus_articles.items():
        if cat_name not in cats:
            cats[cat_name] = category(w, cat_name, order=len(cats) + 1)
        made[key] = published(w, cat=cats[cat_name], title=title, body=body, tags=tags)
    synonyms(w, synonym_sets)
    return made


def case(w, *, actor=None, question="客户问境外消费能否退税？", minutes_ago=10):
    return cases.case_record(
        question=question,
        occurred_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        queue=w.queue,
        call_reference="CALL-0001",
        told_customer="我们会尽快回电。",
        actor=actor or w.users["agent"],
    )


def answered(w, **kwargs):
    c = case(w, **kwargs)
    return cases.case_answer(
        case=c, answer="可以退税，到账后自动抵扣。", actor=w.users["group_manager"]
    )


def edition(w, *, publish_it=False):
    published(w)
    made = manual.edition_compile(
        site=w.site, version=f"v{next(_n)}", title="服务手册", actor=w.users["qa_inspector"]
    )
    if publish_it:
        manual.edition_publish(edition=made, actor=w.users["qa_inspector"])
    return made
