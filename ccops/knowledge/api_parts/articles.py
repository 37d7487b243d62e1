"""Knowledge API: articles and revisions (write, submit, review, verify, archive, questions)."""

from __future__ import annotations

from ninja import ModelSchema, Schema, Status
from ninja.errors import HttpError

from ccops.core.apitools import get_or_404, register_crud, require_perm, resolve_pk
from ccops.core.permissions import missing_permission, not_found
from ccops.knowledge.api_parts.base import router
from ccops.knowledge.api_parts.cases import CaseOut, FromCaseIn  # noqa: F401
from ccops.knowledge.filters import (
    ArticleFilter,
)
from ccops.knowledge.models import (
    Article,
    ArticleRevision,
    Category,
    DifficultCase,
)
from ccops.knowledge.services import articles
from ccops.people.models import Employee

# --- articles and revisions ------------------------------------------------------------------


class RevisionOut(ModelSchema):
    class Meta:
        model = ArticleRevision
        fields = [
            "id",
            "article",
            "number",
            "title",
            "body",
            "tags",
            "change_note",
            "status",
            "author",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "created_at",
        ]


class ArticleOut(ModelSchema):
    body: str
    open_revision: int | None
    review_overdue: bool

    class Meta:
        model = Article
        fields = [
            "id",
            "category",
            "title",
            "tags",
            "owner",
            "visibility",
            "state",
            "live_revision",
            "review_interval_days",
            "verified_on",
            "next_review_on",
            "archived_at",
        ]

    @staticmethod
    def resolve_body(obj):
        return obj.live_revision.body if obj.live_revision_id else ""

    @staticmethod
    def resolve_open_revision(obj):
        revision = articles.open_revision(obj)
        return revision.pk if revision else None

    @staticmethod
    def resolve_review_overdue(obj):
        return obj.is_review_overdue


class ArticleIn(Schema):
    category: int
    title: str
    body: str
    tags: str = ""
    visibility: str = "internal"
    review_interval_days: int = 180


class ArticlePatch(Schema):
    category: int | None = None
    owner: int | None = None
    visibility: str | None = None
    review_interval_days: int | None = None


class RevisionPatch(Schema):
    title: str | None = None
    body: str | None = None
    tags: str | None = None
    change_note: str | None = None


class ReviewIn(Schema):
    approve: bool
    note: str = ""


class NoteIn(Schema):
    note: str = ""


class QuestionIn(Schema):
    question: str
    expected_answer: str


class QuestionOut(Schema):
    id: int
    topic: str
    text: str
    expected_answer: str


def _article_create(*, actor, category, **data):
    return articles.article_create(
        actor=actor, category=resolve_pk(Category, category, "category"), **data
    )


def _article_update(*, instance, actor, **data):
    if "category" in data:
        data["category"] = resolve_pk(Category, data["category"], "category")
    if "owner" in data:
        data["owner"] = resolve_pk(Employee, data["owner"], "owner")
    return articles.article_update(article=instance, actor=actor, **data)


register_crud(
    router,
    Article,
    path="articles",
    out_schema=ArticleOut,
    in_schema=ArticleIn,
    patch_schema=ArticlePatch,
    filterset=ArticleFilter,
    queryset=lambda request: articles.articles_for(request.user).select_related("live_revision"),
    create=_article_create,
    update=_article_update,
    archive=False,
)


@router.post(
    "/cases/{int:pk}/article",
    response={201: ArticleOut},
    operation_id="knowledge_difficultcase_article",
    summary="Write an article draft from an answered case",
)
def case_article(request, pk: int, payload: FromCaseIn):
    require_perm(request, Article, "add")
    case = get_or_404(request, DifficultCase, pk)
    category = resolve_pk(Category, payload.category, "category")
    return Status(201, articles.article_from_case(case=case, category=category, actor=request.user))


def _article_or_404(request, pk: int) -> Article:
    article = articles.articles_for(request.user).filter(pk=pk).first()
    if article is None:
        raise HttpError(404, not_found(Article._meta.verbose_name, pk))
    return article


@router.post(
    "/articles/{int:pk}/archive",
    response=ArticleOut,
    operation_id="knowledge_article_archive",
    summary="Archive an article",
)
def article_archive(request, pk: int):
    require_perm(request, Article, "delete")
    return articles.article_archive(article=_article_or_404(request, pk), actor=request.user)


@router.post(
    "/articles/{int:pk}/restore",
    response=ArticleOut,
    operation_id="knowledge_article_restore",
    summary="Restore an archived article",
)
def article_restore(request, pk: int):
    require_perm(request, Article, "delete")
    return articles.article_restore(article=_article_or_404(request, pk), actor=request.user)


@router.post(
    "/articles/{int:pk}/verify",
    response=ArticleOut,
    operation_id="knowledge_article_verify",
    summary="Confirm a published article is still right (re-verification)",
)
def article_verify(request, pk: int, payload: NoteIn):
    require_perm(request, Article, "view")
    return articles.article_verify(
        article=_article_or_404(request, pk), note=payload.note, actor=request.user
    )


@router.post(
    "/articles/{int:pk}/revisions",
    response={201: RevisionOut},
    operation_id="knowledge_article_revise",
    summary="Start the next revision of an article (a draft)",
)
def article_revise(request, pk: int):
    require_perm(request, ArticleRevision, "add")
    return Status(
        201, articles.revision_start(article=_article_or_404(request, pk), actor=request.user)
    )


@router.post(
    "/articles/{int:pk}/question",
    response={201: QuestionOut},
    operation_id="knowledge_article_question",
    summary="Turn a published article into a question of the handover question bank",
)
def article_question(request, pk: int, payload: QuestionIn):
    require_perm(request, Article, "view")
    made = articles.article_to_question(
        article=_article_or_404(request, pk), actor=request.user, **payload.dict()
    )
    return Status(
        201,
        {
            "id": made.pk,
            "topic": made.topic,
            "text": made.text,
            "expected_answer": made.expected_answer,
        },
    )


register_crud(router, ArticleRevision, path="revisions", out_schema=RevisionOut)


@router.patch(
    "/revisions/{int:pk}",
    response=RevisionOut,
    operation_id="knowledge_articlerevision_update",
    summary="Edit a draft revision",
)
def revision_update(request, pk: int, payload: RevisionPatch):
    require_perm(request, ArticleRevision, "change")
    revision = get_or_404(request, ArticleRevision, pk, "change")
    return articles.revision_update(
        revision=revision, actor=request.user, **payload.dict(exclude_unset=True)
    )


@router.post(
    "/revisions/{int:pk}/submit",
    response=RevisionOut,
    operation_id="knowledge_articlerevision_submit",
    summary="Send a draft revision for review",
)
def revision_submit(request, pk: int):
    require_perm(request, ArticleRevision, "change")
    revision = get_or_404(request, ArticleRevision, pk, "change")
    return articles.revision_submit(revision=revision, actor=request.user)


@router.post(
    "/revisions/{int:pk}/review",
    response=RevisionOut,
    operation_id="knowledge_articlerevision_review",
    summary="Approve (publish) or send back a revision in review (QA group)",
)
def revision_review(request, pk: int, payload: ReviewIn):
    require_perm(request, ArticleRevision, "view")
    if not articles.is_reviewer(request.user):
        raise HttpError(403, missing_permission("knowledge.review_article"))
    revision = get_or_404(request, ArticleRevision, pk)
    if payload.approve:
        return articles.revision_approve(revision=revision, note=payload.note, actor=request.user)
    return articles.revision_reject(revision=revision, note=payload.note, actor=request.user)
