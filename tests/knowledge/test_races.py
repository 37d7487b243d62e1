"""Every state transition of the knowledge app, as real parallel requests on PostgreSQL:
exactly one wins, the others get 409 (skipped on SQLite, which serialises writers)."""

from __future__ import annotations

import pytest
from django.test import Client

from ccops.core.testing import api_operation_paths, build_world, race, requires_row_locks
from ccops.knowledge.models import ArticleRevision, CaseEvent, ManualAcknowledgement
from ccops.knowledge.services import articles
from tests.knowledge import helpers as h

pytestmark = [requires_row_locks(), pytest.mark.django_db(transaction=True)]


def _post(user, operation, pk, data=None):
    def call():
        client = Client()
        client.force_login(user)
        path = api_operation_paths()[operation].replace("{pk}", str(pk))
        return client.post(path, data=data or {}, content_type="application/json")

    return call


def _one_wins(outcome, ok=200):
    assert outcome.errors == [None] * len(outcome.errors), outcome.errors
    assert sorted(outcome.statuses) == [ok] + [409] * (len(outcome.statuses) - 1), [
        (r.status_code, r.content[:200]) for r in outcome.results
    ]


def test_parallel_answers_of_one_case():
    w = build_world()
    case = h.case(w)
    gm = w.users["group_manager"]
    call = _post(gm, "knowledge_difficultcase_answer", case.pk, {"answer": "可以"})
    _one_wins(race(call, call, call))
    assert CaseEvent.objects.filter(case=case, kind="answered").count() == 1


def test_parallel_escalations_of_one_case():
    w = build_world()
    case = h.case(w)
    gm = w.users["group_manager"]
    to_trainer = _post(
        gm, "knowledge_difficultcase_escalate", case.pk, {"expert": w.employees["trainer"].pk}
    )
    to_qa = _post(
        gm, "knowledge_difficultcase_escalate", case.pk, {"expert": w.employees["qa_inspector"].pk}
    )
    _one_wins(race(to_trainer, to_qa))
    assert CaseEvent.objects.filter(case=case, kind="escalated").count() == 1


def test_parallel_follow_ups_and_closes():
    w = build_world()
    case = h.answered(w)
    agent = w.users["agent"]
    follow = _post(agent, "knowledge_difficultcase_follow_up", case.pk, {"text": "还有一个问题"})
    close = _post(agent, "knowledge_difficultcase_close", case.pk)
    _one_wins(race(follow, follow, close))


def test_parallel_merges_of_one_duplicate():
    w = build_world()
    dup, a, b = h.case(w), h.case(w), h.case(w)
    gm = w.users["group_manager"]
    outcome = race(
        _post(gm, "knowledge_difficultcase_merge", dup.pk, {"into": a.pk}),
        _post(gm, "knowledge_difficultcase_merge", dup.pk, {"into": b.pk}),
    )
    _one_wins(outcome)
    dup.refresh_from_db()
    assert dup.merged_into_id in (a.pk, b.pk)


def test_parallel_write_ups_of_one_case():
    w = build_world()
    case = h.answered(w)
    cat = h.category(w, "并发")
    call = _post(
        w.users["editor"], "knowledge_difficultcase_article", case.pk, {"category": cat.pk}
    )
    _one_wins(race(call, call), ok=201)


def test_parallel_revision_starts_submits_and_reviews():
    w = build_world()
    a = h.published(w)
    start = _post(w.users["editor"], "knowledge_article_revise", a.pk)
    _one_wins(race(start, start, start), ok=201)
    assert ArticleRevision.objects.filter(article=a, status="draft").count() == 1
    revision = articles.open_revision(a)
    submit = _post(w.users["editor"], "knowledge_articlerevision_submit", revision.pk)
    _one_wins(race(submit, submit))
    approve = _post(
        w.users["qa_inspector"], "knowledge_articlerevision_review", revision.pk, {"approve": True}
    )
    reject = _post(
        w.users["quality_supervisor"],
        "knowledge_articlerevision_review",
        revision.pk,
        {"approve": False, "note": "再改改"},
    )
    _one_wins(race(approve, reject))


def test_parallel_archives_of_one_article():
    w = build_world()
    a = h.published(w)
    call = _post(w.users["editor"], "knowledge_article_archive", a.pk)
    _one_wins(race(call, call))


def test_parallel_publications_and_acknowledgements_of_an_edition():
    w = build_world()
    edition = h.edition(w)
    call = _post(w.users["qa_inspector"], "knowledge_manualedition_publish", edition.pk)
    _one_wins(race(call, call))
    ack = _post(w.users["agent"], "knowledge_manualedition_acknowledge", edition.pk)
    outcome = race(ack, ack, ack)
    assert outcome.statuses == [200, 200, 200], outcome.errors
    assert ManualAcknowledgement.objects.filter(edition=edition).count() == 1
