"""The knowledge base: drafts, review by the QA group (four eyes), the live revision while
the next is reviewed, every revision kept with a diff, re-verification, archive, an
answered case made an article in one step, links, questions for the bank."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.models import Notification
from ccops.core.services import record_update
from ccops.core.testing import api_operation_paths, build_world
from ccops.knowledge import search
from ccops.knowledge.models import Article, ArticleRevision
from ccops.knowledge.services import articles
from ccops.shiftops.models import HandoverQuestion
from tests.knowledge import helpers as h

pytestmark = pytest.mark.django_db


def test_an_article_is_written_reviewed_by_someone_else_and_published():
    w = build_world()
    a = h.draft(w, tags="年费，减免、 年费")
    assert a.state == "draft" and a.tags == "年费, 减免"
    revision = articles.open_revision(a)
    articles.revision_submit(revision=revision, actor=w.users["editor"])
    a.refresh_from_db()
    assert a.state == "in_review"
    with pytest.raises(PermissionDenied):  # editors write, the QA group approves
        articles.revision_approve(revision=revision, actor=w.users["editor"])
    with pytest.raises(PermissionDenied):
        articles.revision_approve(revision=revision, actor=w.users["trainer"])
    articles.revision_approve(revision=revision, actor=w.users["quality_supervisor"], note="OK")
    a.refresh_from_db()
    assert a.state == "published" and a.live_revision == revision
    assert a.next_review_on == timezone.localdate() + dt.timedelta(days=180)
    revision.refresh_from_db()
    assert revision.status == "published" and revision.reviewed_by == w.users["quality_supervisor"]
    with pytest.raises(audit.RecordLocked):  # a published revision never changes
        record_update(revision, data={"body": "changed"}, actor=w.users["editor"])


def test_the_published_revision_stays_live_while_the_next_is_reviewed():
    w = build_world()
    a = h.published(w, body="金卡首年免年费。")
    first = a.live_revision
    nxt = articles.revision_start(article=a, actor=w.users["editor"])
    with pytest.raises(Conflict):  # one open revision at a time
        articles.revision_start(article=a, actor=w.users["editor"])
    articles.revision_update(
        revision=nxt, body="金卡首年免年费，刷满6次免次年。", actor=w.users["editor"]
    )
    articles.revision_submit(revision=nxt, actor=w.users["editor"])
    a.refresh_from_db()
    assert a.state == "published" and a.live_revision == first
    hits = search.search("刷满").results
    assert hits == []  # the index holds the live text
    articles.revision_reject(revision=nxt, note="写明金额", actor=w.users["qa_inspector"])
    nxt.refresh_from_db()
    assert nxt.status == "draft" and nxt.review_note == "写明金额"
    assert any("sent back" in n.text for n in Notification.objects.filter(user=w.users["editor"]))
    with pytest.raises(ValidationError):
        articles.revision_reject(revision=nxt, note="", actor=w.users["qa_inspector"])
    articles.revision_submit(revision=nxt, actor=w.users["editor"])
    articles.revision_approve(revision=nxt, actor=w.users["qa_inspector"])
    a.refresh_from_db()
    first.refresh_from_db()
    assert a.live_revision == nxt and first.status == "superseded"
    assert [r.number for r in a.revisions.all()] == [2, 1]
    assert [r.article.pk for r in search.search("刷满").results] == [a.pk]


def test_revision_diff_marks_changed_characters():
    w = build_world()
    a = h.published(w, body="第一行不变\n金卡首年免年费。\n最后一行")
    nxt = articles.revision_start(article=a, actor=w.users["editor"])
    nxt = articles.revision_update(
        revision=nxt, body="第一行不变\n金卡次年免年费。\n最后一行", actor=w.users["editor"]
    )
    rows = articles.revision_diff(a.live_revision, nxt)
    changed = [r for r in rows if r["kind"] == "change"]
    assert len(changed) == 1
    assert "<del>首</del>" in changed[0]["old"] and "<ins>次</ins>" in changed[0]["new"]


def test_readers_see_published_articles_only_and_nothing_is_deleted(client):
    w = build_world()
    draft = h.draft(w, title="草稿文章")
    live = h.published(w, title="已发布文章")
    client.force_login(w.users["agent"])
    assert client.get(draft.get_absolute_url()).status_code == 404
    page = client.get(live.get_absolute_url())
    assert page.status_code == 200 and "已发布文章" in page.text
    listing = client.get(reverse("knowledge:article_list")).text
    assert "已发布文章" in listing and "草稿文章" not in listing
    with pytest.raises(audit.HardDeleteRefused):
        live.delete()
    articles.article_archive(article=live, actor=w.users["editor"])
    live.refresh_from_db()
    assert live.state == "archived" and live.archived_at is not None
    assert client.get(live.get_absolute_url()).status_code == 404
    assert search.search("已发布文章").total == 0
    client.force_login(w.users["editor"])
    assert client.get(live.get_absolute_url()).status_code == 200
    client.post(reverse("knowledge:article_restore", args=[live.pk]))
    live.refresh_from_db()
    assert live.state == "published" and live.archived_at is None


def test_overdue_articles_are_on_the_reverification_list(client):
    w = build_world()
    stale = h.published(w, title="过期文章")
    fresh = h.published(w, title="新文章")
    record_update(
        stale,
        data={"next_review_on": timezone.localdate() - dt.timedelta(days=1)},
        actor=w.users["editor"],
    )
    assert list(articles.articles_due_for_review(w.users["editor"])) == [stale]
    client.force_login(w.users["qa_inspector"])
    panel = client.get(reverse("home")).text.split('id="panel-knowledgereverify"')[1]
    assert stale.get_absolute_url() in panel and fresh.get_absolute_url() not in panel
    with pytest.raises(PermissionDenied):
        articles.article_verify(article=stale, actor=w.users["agent"])
    client.post(reverse("knowledge:article_verify", args=[stale.pk]), {"note": "已核对"})
    stale.refresh_from_db()
    assert stale.next_review_on > timezone.localdate()
    assert list(articles.articles_due_for_review(w.users["editor"])) == []


def test_an_answered_case_becomes_a_draft_in_one_step(client):
    w = build_world()
    case = h.answered(w)
    cat = h.category(w, "境外消费")
    client.force_login(w.users["editor"])
    panel = client.get(reverse("home")).text.split('id="panel-knowledgeto_write_up"')[1]
    assert case.get_absolute_url() in panel
    response = client.post(
        reverse("knowledge:difficultcase_article", args=[case.pk]), {"category": cat.pk}
    )
    case.refresh_from_db()
    article = case.article
    revision = articles.open_revision(article)
    assert response["Location"] == reverse("knowledge:articlerevision_edit", args=[revision.pk])
    assert article.state == "draft" and article.category == cat
    assert case.question in revision.body and case.answer in revision.body
    assert [link.target for link in article.links.all()] == [case]
    assert case.events.filter(kind="article").exists()
    with pytest.raises(Conflict):
        articles.article_from_case(case=case, category=cat, actor=w.users["editor"])
    with pytest.raises(Conflict):  # not answered yet
        articles.article_from_case(case=h.case(w), category=cat, actor=w.users["editor"])


def test_articles_link_to_any_record_and_show_there(client):
    w = build_world()
    a = h.published(w, title="境外盗刷处理")
    case = h.case(w)
    client.force_login(w.users["group_manager"])
    search_page = client.get(
        reverse("knowledge:search"),
        {"q": "盗刷", "link_type": "knowledge.difficultcase", "link_id": case.pk},
    ).text
    assert "Link this article" in search_page
    client.post(
        reverse("knowledge:articlelink_add"),
        {
            "article": a.pk,
            "target_type": "knowledge.difficultcase",
            "target_id": case.pk,
            "next": case.get_absolute_url(),
        },
    )
    page = client.get(case.get_absolute_url()).text
    assert a.get_absolute_url() in page.split('id="linked-articles"')[1]
    with pytest.raises(ValidationError, match="linked already"):
        articles.article_link(article=a, target=case, actor=w.users["group_manager"])
    link = a.links.get()
    client.post(reverse("knowledge:articlelink_remove", args=[link.pk]), {"next": "//evil.example"})
    link.refresh_from_db()
    assert link.archived_at is not None
    with pytest.raises(ValidationError):
        articles.article_link(article=a, target=w.users["agent"], actor=w.users["editor"])
    api = api_operation_paths()["knowledge_articlelink_list"]
    response = client.get(api, {"target_type": "knowledge.difficultcase", "target_id": case.pk})
    assert response.status_code == 200 and response.json() == []
    bad = client.get(api, {"target_type": "no.such", "target_id": 1})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "target_type"


def test_trainers_turn_articles_into_handover_questions(client):
    w = build_world()
    a = h.published(w, title="信用卡挂失", body="挂失即时生效。")
    client.force_login(w.users["trainer"])
    form = client.get(reverse("knowledge:article_question", args=[a.pk]))
    assert form.status_code == 200 and "挂失即时生效" in form.text
    client.post(
        reverse("knowledge:article_question", args=[a.pk]),
        {"question": "挂失什么时候生效？", "expected_answer": "即时生效"},
    )
    question = HandoverQuestion.objects.get(text="挂失什么时候生效？")
    assert question.expected_answer == "即时生效"
    assert [link.target for link in a.links.all()] == [question]
    with pytest.raises(PermissionDenied):
        articles.article_to_question(
            article=a, question="Q", expected_answer="A", actor=w.users["agent"]
        )


def test_editor_pages_write_and_submit_a_revision(client):
    w = build_world()
    cat = h.category(w, "贷款")
    client.force_login(w.users["editor"])
    response = client.post(
        reverse("knowledge:article_add"),
        {
            "category": cat.pk,
            "title": "房贷提前还款",
            "body": "须提前15个工作日预约。",
            "tags": "房贷",
            "visibility": "internal",
            "review_interval_days": 90,
        },
    )
    article = Article.objects.get(title="房贷提前还款")
    assert response["Location"] == article.get_absolute_url()
    revision = articles.open_revision(article)
    edit = reverse("knowledge:articlerevision_edit", args=[revision.pk])
    client.post(
        edit,
        {
            "title": "房贷提前还款规则",
            "body": "须提前15个工作日预约；满一年免违约金。",
            "submit": "1",
        },
    )
    revision.refresh_from_db()
    assert revision.status == "in_review" and revision.title == "房贷提前还款规则"
    assert client.get(edit).status_code == 302  # only drafts are edited
    client.force_login(w.users["qa_inspector"])
    page = client.get(revision.get_absolute_url()).text
    assert 'id="review"' in page
    client.post(
        reverse("knowledge:articlerevision_review", args=[revision.pk]), {"decision": "approve"}
    )
    article.refresh_from_db()
    assert article.state == "published" and article.title == "房贷提前还款规则"
    assert ArticleRevision.objects.filter(article=article).count() == 1
