"""REST API of the knowledge app: difficult cases (record, answer, escalate, follow up,
close, merge, write up), articles and revisions (write, submit, review, verify, archive),
search, categories, synonyms, departments, links, service-manual editions."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from ninja import ModelSchema, Router, Schema, Status
from ninja.errors import HttpError

from ccops.core.apitools import get_or_404, register_crud, require_perm, resolve_pk
from ccops.core.models import Queue, Site
from ccops.core.permissions import all_rows, can
from ccops.knowledge import search
from ccops.knowledge.choices import ArticleState
from ccops.knowledge.filters import (
    ArticleFilter,
    CategoryFilter,
    DepartmentFilter,
    DifficultCaseFilter,
    ManualEditionFilter,
    SynonymFilter,
)
from ccops.knowledge.models import (
    Article,
    ArticleLink,
    ArticleRevision,
    CaseEvent,
    Category,
    Department,
    DifficultCase,
    ManualAcknowledgement,
    ManualEdition,
    ManualEntry,
    Synonym,
)
from ccops.knowledge.services import articles, cases, manual
from ccops.people.models import Employee

router = Router(tags=["knowledge"])


# --- difficult cases -------------------------------------------------------------------------


class CaseEventOut(ModelSchema):
    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "kind",
            "by",
            "level",
            "to_employee",
            "to_department",
            "due_at",
            "text",
            "other_case",
            "created_at",
        ]


class CaseOut(ModelSchema):
    overdue: bool
    events: list[CaseEventOut]

    class Meta:
        model = DifficultCase
        fields = [
            "id",
            "site",
            "reported_by",
            "team",
            "queue",
            "call_reference",
            "occurred_at",
            "question",
            "told_customer",
            "status",
            "level",
            "assignee",
            "department",
            "due_at",
            "answer",
            "answered_by",
            "answered_at",
            "merged_into",
            "handover_check",
            "article",
        ]

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())


class CaseIn(Schema):
    question: str
    occurred_at: datetime
    queue: int | None = None
    call_reference: str = ""
    told_customer: str = ""


class AnswerIn(Schema):
    answer: str


class EscalateIn(Schema):
    expert: int | None = None
    department: int | None = None
    note: str = ""
    due_at: datetime | None = None


class TextIn(Schema):
    text: str


class MergeIn(Schema):
    into: int


class FromCaseIn(Schema):
    category: int


def _case_record(*, actor, queue=None, **data):
    return cases.case_record(actor=actor, queue=resolve_pk(Queue, queue, "queue"), **data)


register_crud(
    router,
    DifficultCase,
    path="cases",
    out_schema=CaseOut,
    filterset=DifficultCaseFilter,
    archive=False,
)


@router.post(
    "/cases/",
    response={201: CaseOut},
    operation_id="knowledge_difficultcase_create",
    summary="Record a difficult case (it goes to your group manager)",
)
def case_create(request, payload: CaseIn):
    require_perm(request, DifficultCase, "add")
    return Status(201, _case_record(actor=request.user, **payload.dict()))


@router.post(
    "/cases/{int:pk}/answer",
    response=CaseOut,
    operation_id="knowledge_difficultcase_answer",
    summary="Answer a waiting case",
)
def case_answer(request, pk: int, payload: AnswerIn):
    require_perm(request, DifficultCase, "view")
    case = get_or_404(request, DifficultCase, pk)
    return cases.case_answer(case=case, answer=payload.answer, actor=request.user)


@router.post(
    "/cases/{int:pk}/escalate",
    response=CaseOut,
    operation_id="knowledge_difficultcase_escalate",
    summary="Escalate a waiting case to a named expert or a department",
)
def case_escalate(request, pk: int, payload: EscalateIn):
    require_perm(request, DifficultCase, "view")
    case = get_or_404(request, DifficultCase, pk)
    expert = resolve_pk(Employee, payload.expert, "expert", cases.expert_choices(case))
    department = resolve_pk(Department, payload.department, "department")
    return cases.case_escalate(
        case=case,
        expert=expert,
        department=department,
        note=payload.note,
        due_at=payload.due_at,
        actor=request.user,
    )


@router.post(
    "/cases/{int:pk}/follow-up",
    response=CaseOut,
    operation_id="knowledge_difficultcase_follow_up",
    summary="Ask a follow-up question on your answered case",
)
def case_follow_up(request, pk: int, payload: TextIn):
    require_perm(request, DifficultCase, "view")
    case = get_or_404(request, DifficultCase, pk)
    return cases.case_follow_up(case=case, text=payload.text, actor=request.user)


@router.post(
    "/cases/{int:pk}/close",
    response=CaseOut,
    operation_id="knowledge_difficultcase_close",
    summary="Close an answered case",
)
def case_close(request, pk: int):
    require_perm(request, DifficultCase, "view")
    case = get_or_404(request, DifficultCase, pk)
    return cases.case_close(case=case, actor=request.user)


@router.post(
    "/cases/{int:pk}/merge",
    response=CaseOut,
    operation_id="knowledge_difficultcase_merge",
    summary="Merge a duplicate case into another one",
)
def case_merge(request, pk: int, payload: MergeIn):
    require_perm(request, DifficultCase, "change")
    case = get_or_404(request, DifficultCase, pk, "change")
    into = resolve_pk(
        DifficultCase, payload.into, "into", DifficultCase.objects.restrict(request.user, "view")
    )
    return cases.case_merge(duplicate=case, into=into, actor=request.user)


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
        raise HttpError(404, f"article {pk} not found")
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
        raise HttpError(403, "missing permission knowledge.review_article")
    revision = get_or_404(request, ArticleRevision, pk)
    if payload.approve:
        return articles.revision_approve(revision=revision, note=payload.note, actor=request.user)
    return articles.revision_reject(revision=revision, note=payload.note, actor=request.user)


# --- search ----------------------------------------------------------------------------------


class SearchHit(Schema):
    id: int
    title: str
    title_html: str
    snippet_html: str
    category: str
    state: str
    visibility: str
    score: float
    all_words: bool
    url: str


class SearchOut(Schema):
    query: str
    words: list[str]
    total: int
    more: bool
    page: int
    pages: int
    results: list[SearchHit]


@router.get(
    "/search",
    response=SearchOut,
    operation_id="knowledge_search",
    summary="Full-text search of the knowledge base (Chinese and English)",
)
def search_articles(
    request,
    q: str,
    category: int | None = None,
    state: str | None = None,
    visibility: str | None = None,
    page: int = 1,
    page_size: int = 20,
):
    require_perm(request, Article, "view")
    readable = articles.readable_states(request.user)
    if state and state not in ArticleState.values:
        raise ValidationError({"state": f"unknown state {state!r}"})
    states = (state,) if state and state in readable else (ArticleState.PUBLISHED,)
    if category is not None:
        resolve_pk(Category, category, "category")
    found = search.search(
        q,
        states=states,
        category_ids=[category] if category else None,
        visibility=visibility,
        page=max(1, page),
        per_page=max(1, min(100, page_size)),
    )
    return {
        "query": found.query,
        "words": found.words,
        "total": found.shown_total,
        "more": found.more,
        "page": found.page,
        "pages": found.pages,
        "results": [
            {
                "id": r.article.pk,
                "title": r.article.title,
                "title_html": str(r.title_html),
                "snippet_html": str(r.snippet),
                "category": str(r.article.category),
                "state": r.article.state,
                "visibility": r.article.visibility,
                "score": r.score,
                "all_words": r.all_words,
                "url": r.article.get_absolute_url(),
            }
            for r in found.results
        ],
    }


# --- reference data and links --------------------------------------------------------------


class CategoryOut(ModelSchema):
    class Meta:
        model = Category
        fields = ["id", "name", "parent", "order", "description", "archived_at"]


class CategoryIn(Schema):
    name: str
    parent: int | None = None
    order: int = 10
    description: str = ""


class CategoryPatch(Schema):
    name: str | None = None
    parent: int | None = None
    order: int | None = None
    description: str | None = None


def _category_data(data):
    if "parent" in data:
        data["parent"] = resolve_pk(Category, data["parent"], "parent")
    return data


register_crud(
    router,
    Category,
    path="categories",
    out_schema=CategoryOut,
    in_schema=CategoryIn,
    patch_schema=CategoryPatch,
    filterset=CategoryFilter,
    create=lambda *, actor, **data: articles.category_save(actor=actor, **_category_data(data)),
    update=lambda *, instance, actor, **data: articles.category_save(
        category=instance, actor=actor, **_category_data(data)
    ),
)


class SynonymOut(ModelSchema):
    class Meta:
        model = Synonym
        fields = ["id", "terms", "note", "archived_at"]


class SynonymIn(Schema):
    terms: str
    note: str = ""


class SynonymPatch(Schema):
    terms: str | None = None
    note: str | None = None


register_crud(
    router,
    Synonym,
    path="synonyms",
    out_schema=SynonymOut,
    in_schema=SynonymIn,
    patch_schema=SynonymPatch,
    filterset=SynonymFilter,
)


class DepartmentOut(ModelSchema):
    class Meta:
        model = Department
        fields = ["id", "name", "contact", "answer_hours", "archived_at"]


class DepartmentIn(Schema):
    name: str
    contact: str = ""
    answer_hours: int = 48


class DepartmentPatch(Schema):
    name: str | None = None
    contact: str | None = None
    answer_hours: int | None = None


register_crud(
    router,
    Department,
    path="departments",
    out_schema=DepartmentOut,
    in_schema=DepartmentIn,
    patch_schema=DepartmentPatch,
    filterset=DepartmentFilter,
)


class LinkOut(Schema):
    id: int
    article: int
    target_type: str
    target_id: int
    note: str


class LinkIn(Schema):
    article: int
    target_type: str
    target_id: int
    note: str = ""


def _link_out(link: ArticleLink) -> dict:
    return {
        "id": link.pk,
        "article": link.article_id,
        "target_type": link.target_type.app_label + "." + link.target_type.model,
        "target_id": link.target_id,
        "note": link.note,
    }


@router.get(
    "/links",
    response=list[LinkOut],
    operation_id="knowledge_articlelink_list",
    summary="Articles linked to a record (?target_type=shiftops.handover&target_id=)",
)
def links_list(request, target_type: str, target_id: int):
    require_perm(request, ArticleLink, "view")
    target = _target(request, target_type, target_id)
    readable = set(articles.readable_states(request.user))
    return [_link_out(link) for link in articles.links_to(target) if link.article.state in readable]


def _target(request, label: str, pk: int):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise ValidationError({"target_type": f"unknown record type {label!r}"}) from None
    target = all_rows(model).filter(pk=pk).first()
    if target is None or not can(request.user, target, "view"):
        raise HttpError(404, f"{label} {pk} not found")
    return target


@router.post(
    "/links",
    response={201: LinkOut},
    operation_id="knowledge_articlelink_create",
    summary="Link an article to a record (a case, a handover, an incident)",
)
def link_create(request, payload: LinkIn):
    require_perm(request, ArticleLink, "add")
    target = _target(request, payload.target_type, payload.target_id)
    article = resolve_pk(Article, payload.article, "article", articles.articles_for(request.user))
    link = articles.article_link(
        article=article, target=target, actor=request.user, note=payload.note
    )
    return Status(201, _link_out(link))


@router.post(
    "/links/{int:pk}/archive",
    response=LinkOut,
    operation_id="knowledge_articlelink_archive",
    summary="Remove a link (archive it)",
)
def link_archive(request, pk: int):
    require_perm(request, ArticleLink, "delete")
    link = get_or_404(request, ArticleLink, pk, "delete")
    return _link_out(articles.article_unlink(link=link, actor=request.user))


# --- the service manual ----------------------------------------------------------------------


class EntryOut(ModelSchema):
    class Meta:
        model = ManualEntry
        fields = [
            "id",
            "chapter",
            "chapter_title",
            "order",
            "kind",
            "title",
            "body",
            "revision",
            "lesson",
        ]


class EditionOut(ModelSchema):
    published: bool
    entries: list[EntryOut]

    class Meta:
        model = ManualEdition
        fields = [
            "id",
            "site",
            "version",
            "title",
            "foreword",
            "signed_at",
            "signed_by",
            "created_at",
            "archived_at",
        ]

    @staticmethod
    def resolve_published(obj):
        return obj.is_published

    @staticmethod
    def resolve_entries(obj):
        return list(obj.entries.order_by("chapter", "order"))


class EditionIn(Schema):
    site: int
    version: str
    title: str
    foreword: str = ""


class AckOut(ModelSchema):
    class Meta:
        model = ManualAcknowledgement
        fields = ["id", "edition", "employee", "created_at"]


class ReaderOut(Schema):
    id: int
    full_name: str
    team: str


def _editions(request):
    rows = ManualEdition.objects.all()
    if not request.user.has_perm("knowledge.change_manualedition"):
        rows = rows.filter(signed_at__isnull=False)
    return rows


def _edition_compile(*, actor, site, **data):
    return manual.edition_compile(actor=actor, site=resolve_pk(Site, site, "site"), **data)


register_crud(
    router,
    ManualEdition,
    path="editions",
    out_schema=EditionOut,
    filterset=ManualEditionFilter,
    queryset=_editions,
)


@router.post(
    "/editions/",
    response={201: EditionOut},
    operation_id="knowledge_manualedition_create",
    summary="Compile a new edition from the published articles and lessons",
)
def edition_create(request, payload: EditionIn):
    require_perm(request, ManualEdition, "add")
    return Status(201, _edition_compile(actor=request.user, **payload.dict()))


def _edition_or_404(request, pk):
    edition = _editions(request).restrict(request.user, "view").filter(pk=pk).first()
    if edition is None:
        raise HttpError(404, f"edition {pk} not found")
    return edition


@router.post(
    "/editions/{int:pk}/publish",
    response=EditionOut,
    operation_id="knowledge_manualedition_publish",
    summary="Publish an edition (the floor staff are asked to read it)",
)
def edition_publish(request, pk: int):
    require_perm(request, ManualEdition, "change")
    return manual.edition_publish(edition=_edition_or_404(request, pk), actor=request.user)


@router.post(
    "/editions/{int:pk}/acknowledge",
    response=AckOut,
    operation_id="knowledge_manualedition_acknowledge",
    summary="Confirm you have read a published edition",
)
def edition_acknowledge(request, pk: int):
    require_perm(request, ManualAcknowledgement, "add")
    return manual.edition_acknowledge(edition=_edition_or_404(request, pk), actor=request.user)


@router.get(
    "/editions/{int:pk}/outstanding",
    response=list[ReaderOut],
    operation_id="knowledge_manualedition_outstanding",
    summary="Who has not confirmed reading a published edition (in your scope)",
)
def edition_outstanding(request, pk: int):
    require_perm(request, ManualEdition, "view")
    edition = _edition_or_404(request, pk)
    visible = Employee.objects.restrict(request.user, "view").values("pk")
    return [
        {"id": e.pk, "full_name": e.full_name, "team": str(e.team or "")}
        for e in manual.outstanding(edition).filter(pk__in=visible)
    ]
