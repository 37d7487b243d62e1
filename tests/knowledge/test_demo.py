"""The demo builder adds the knowledge base (30+ Chinese articles in a category tree, open
and escalated cases, a published manual), once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ccops.knowledge import search
from ccops.knowledge.demo import build_demo_knowledge
from ccops.knowledge.models import Article, Category, DifficultCase, ManualEdition
from ccops.meetings.demo import build_demo_meetings
from ccops.people.demo import build_demo_center
from ccops.shiftops.demo import build_demo_shiftops

pytestmark = pytest.mark.django_db


def test_demo_knowledge_base():
    today = timezone.localdate()
    report = build_demo_center(weeks=1, today=today)
    build_demo_shiftops(site=report.site, today=today)
    build_demo_meetings(site=report.site, today=today)
    added = build_demo_knowledge(site=report.site, today=today)
    published = Article.objects.filter(state="published")
    assert added >= 31 and published.count() >= 30
    assert Category.objects.filter(parent__isnull=True).count() >= 6
    assert Category.objects.filter(parent__isnull=False).count() >= 10
    statuses = set(DifficultCase.objects.values_list("status", flat=True))
    assert {"open", "escalated", "answered", "merged"} <= statuses
    assert any(c.is_overdue for c in DifficultCase.objects.all())
    assert set(DifficultCase.objects.values_list("level", flat=True)) >= {"expert", "department"}
    edition = ManualEdition.objects.get()
    assert edition.is_published and edition.entries.filter(kind="lesson").exists()
    assert published.filter(revisions__status="in_review").exists()  # next revision in review
    top = search.search("信用卡年费怎么减免").results[0].article
    assert top.title == "信用卡年费减免规则"
    assert search.search("储蓄卡挂失").results[0].article.title == "借记卡口头挂失"
    assert build_demo_knowledge(site=report.site, today=today) == 0
