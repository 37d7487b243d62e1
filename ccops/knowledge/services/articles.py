"""The knowledge base: articles written by editors in revisions and approved by the QA
group (the published revision stays live while the next one is reviewed), re-verified at
their review interval, archived rather than deleted; an answered case becomes a draft in
one step; articles linked to any other record; trainers turn articles into questions."""

from __future__ import annotations

import datetime as dt
import difflib
import html
import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.permissions import all_rows
from ccops.core.services import (
    lock_for_update,
    notify,
    record_archive,
    record_create,
    record_restore,
    record_update,
    require_state,
)
from ccops.knowledge.choices import (
    OPEN_REVISION_STATUSES,
    ArticleState,
    CaseEventKind,
    CaseStatus,
    RevisionStatus,
    Visibility,
)
from ccops.knowledge.models import (
    Article,
    ArticleLink,
    ArticleRevision,
    CaseEvent,
    Category,
    DifficultCase,
)
from ccops.knowledge.search import category_ancestors, category_subtree, index_article
from ccops.knowledge.services.cases import actor_employee
from ccops.people.models import Employee
from ccops.shiftops.models import HandoverQuestion

ALL_STATES = tuple(ArticleState.values)
_TAG_SPLIT = re.compile(r"[,，、;；\n]+")


def parse_tags(text: str) -> str:
    """Tags typed with any comma (, ， 、) or semicolon, cleaned and de-duplicated."""
    seen, tags = set(), []
    for tag in (t.strip() for t in _TAG_SPLIT.split(text or "")):
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    joined = ", ".join(tags)
    if len(joined) > 300:
        raise ValidationError({"tags": _("At most 300 characters of tags.")})
    return joined


def is_editor(user) -> bool:
    return user.has_perm("knowledge.change_article")


def is_reviewer(user) -> bool:
    return user.has_perm("knowledge.review_article")


def readable_states(user) -> tuple[str, ...]:
    """Editors and reviewers see every state; everyone else reads published articles."""
    return ALL_STATES if (is_editor(user) or is_reviewer(user)) else (ArticleState.PUBLISHED,)


def articles_for(user):
    """The articles ``user`` may read (archived ones only for editors and reviewers)."""
    return all_rows(Article).restrict(user, "view").filter(state__in=readable_states(user))


def open_revision(article: Article) -> ArticleRevision | None:
    return article.revisions.filter(status__in=OPEN_REVISION_STATUSES).first()


def _next_number(article: Article) -> int:
    return (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1


def _require_not_archived(article: Article) -> None:
    if article.state == ArticleState.ARCHIVED:
        raise Conflict(_("%(article)s is archived: restore it first.") % {"article": article})


@transaction.atomic
def article_create(
    *,
    category: Category,
    title: str,
    body: str,
    actor,
    tags: str = "",
    visibility: str = Visibility.INTERNAL,
    owner: Employee | None = None,
    review_interval_days: int = 180,
    change_note: str = "",
) -> Article:
    """A new article with its first revision, a draft."""
    if not body.strip():
        raise ValidationError({"body": _("Write the article's text.")})
    tags = parse_tags(tags)
    article = record_create(
        Article,
        data={
            "category": category,
            "title": title.strip(),
            "tags": tags,
            "owner": owner or actor_employee(actor),
            "visibility": visibility,
            "review_interval_days": review_interval_days,
        },
        actor=actor,
        verb="article_create",
    )
    record_create(
        ArticleRevision,
        data={
            "article": article,
            "number": 1,
            "title": article.title,
            "body": body.strip(),
            "tags": tags,
            "change_note": change_note.strip(),
            "author": actor,
        },
        actor=actor,
        verb="revision_create",
    )
    index_article(article)
    return article


ARTICLE_META = ("category", "owner", "visibility", "review_interval_days")


@transaction.atomic
def article_update(*, article: Article, actor, **data) -> Article:
    """Change an article's category, owner, visibility or review interval (its text
    changes through revisions)."""
    unknown = set(data) - set(ARTICLE_META)
    if unknown:
        raise ValidationError({name: _("The text changes in a new revision.") for name in unknown})
    article = lock_for_update(article)
    _require_not_archived(article)
    if "review_interval_days" in data and article.verified_on:
        data["next_review_on"] = article.verified_on + dt.timedelta(
            days=int(data["review_interval_days"])
        )
    article = record_update(article, data=data, actor=actor, verb="article_update")
    index_article(article)
    return article


@transaction.atomic
def revision_start(*, article: Article, actor) -> ArticleRevision:
    """Start the next revision, a draft copied from the published one (else the latest);
    the published revision stays live until this one is approved."""
    article = lock_for_update(article)
    _require_not_archived(article)
    current = open_revision(article)
    if current is not None:
        raise Conflict(
            _("Revision %(n)s of this article is still %(status)s: finish it first.")
            % {"n": current.number, "status": current.get_status_display()}
        )
    source = article.live_revision or article.revisions.order_by("-number").first()
    return record_create(
        ArticleRevision,
        data={
            "article": article,
            "number": _next_number(article),
            "title": source.title,
            "body": source.body,
            "tags": source.tags,
            "author": actor,
        },
        actor=actor,
        verb="revision_create",
    )


@transaction.atomic
def revision_update(
    *,
    revision: ArticleRevision,
    actor,
    title: str | None = None,
    body: str | None = None,
    tags: str | None = None,
    change_note: str | None = None,
) -> ArticleRevision:
    """Edit a draft revision."""
    revision = lock_for_update(revision)
    require_state(revision, "status", [RevisionStatus.DRAFT])
    data = {}
    if title is not None:
        data["title"] = title.strip()
    if body is not None:
        if not body.strip():
            raise ValidationError({"body": _("Write the article's text.")})
        data["body"] = body.strip()
    if tags is not None:
        data["tags"] = parse_tags(tags)
    if change_note is not None:
        data["change_note"] = change_note.strip()
    revision = record_update(revision, data=data, actor=actor, verb="revision_update")
    article = revision.article
    if article.live_revision_id is None:
        record_update(
            article,
            data={"title": revision.title, "tags": revision.tags},
            actor=actor,
            verb="revision_update",
        )
        index_article(article)
    return revision


@transaction.atomic
def revision_submit(*, revision: ArticleRevision, actor) -> ArticleRevision:
    """Send a draft to the QA group for review."""
    article = lock_for_update(revision.article)
    _require_not_archived(article)
    revision = lock_for_update(revision)
    require_state(revision, "status", [RevisionStatus.DRAFT])
    revision = record_update(
        revision,
        data={"status": RevisionStatus.IN_REVIEW, "submitted_at": timezone.now()},
        actor=actor,
        verb="revision_submit",
    )
    if article.state == ArticleState.DRAFT:
        record_update(
            article, data={"state": ArticleState.IN_REVIEW}, actor=actor, verb="revision_submit"
        )
        index_article(article)
    return revision


def _require_reviewer(actor, revision: ArticleRevision) -> None:
    if not is_reviewer(actor):
        raise PermissionDenied(_("The QA group approves articles."))
    if revision.author_id == actor.pk:
        raise PermissionDenied(_("A revision is approved by someone other than its author."))


@transaction.atomic
def revision_approve(*, revision: ArticleRevision, actor, note: str = "") -> ArticleRevision:
    """Publish a revision in review: it replaces the live one (kept as superseded)."""
    article = lock_for_update(revision.article)
    _require_not_archived(article)
    revision = lock_for_update(revision)
    require_state(revision, "status", [RevisionStatus.IN_REVIEW])
    _require_reviewer(actor, revision)
    now = timezone.now()
    today = timezone.localdate()
    if article.live_revision_id:
        record_update(
            article.live_revision,
            data={"status": RevisionStatus.SUPERSEDED},
            actor=actor,
            verb="revision_supersede",
        )
    revision = record_update(
        revision,
        data={
            "status": RevisionStatus.PUBLISHED,
            "reviewed_by": actor,
            "reviewed_at": now,
            "review_note": note.strip(),
        },
        actor=actor,
        verb="revision_approve",
    )
    record_update(
        article,
        data={
            "live_revision": revision,
            "title": revision.title,
            "tags": revision.tags,
            "state": ArticleState.PUBLISHED,
            "verified_on": today,
            "next_review_on": today + dt.timedelta(days=article.review_interval_days),
        },
        actor=actor,
        verb="article_publish",
    )
    article.live_revision = revision
    index_article(article)
    if revision.author_id != actor.pk:
        notify(
            user=revision.author,
            message=gettext_noop("Your revision of “%(title)s” was approved and published."),
            params={"title": revision.title},
            url=article.get_absolute_url(),
        )
    return revision


@transaction.atomic
def revision_reject(*, revision: ArticleRevision, actor, note: str) -> ArticleRevision:
    """Send a revision in review back to its author as a draft, with the reason."""
    if not note.strip():
        raise ValidationError({"note": _("Say what has to change.")})
    article = lock_for_update(revision.article)
    revision = lock_for_update(revision)
    require_state(revision, "status", [RevisionStatus.IN_REVIEW])
    _require_reviewer(actor, revision)
    revision = record_update(
        revision,
        data={
            "status": RevisionStatus.DRAFT,
            "reviewed_by": actor,
            "reviewed_at": timezone.now(),
            "review_note": note.strip(),
            "submitted_at": None,
        },
        actor=actor,
        verb="revision_reject",
    )
    if article.state == ArticleState.IN_REVIEW:
        record_update(
            article, data={"state": ArticleState.DRAFT}, actor=actor, verb="revision_reject"
        )
        index_article(article)
    notify(
        user=revision.author,
        message=gettext_noop("Your revision of “%(title)s” was sent back: %(note)s"),
        params={"title": revision.title, "note": note.strip()[:150]},
        url=revision.get_absolute_url(),
    )
    return revision


@transaction.atomic
def article_verify(*, article: Article, actor, note: str = "") -> Article:
    """Confirm a published article is still right: its next review date moves on."""
    article = lock_for_update(article)
    require_state(article, "state", [ArticleState.PUBLISHED])
    if not (is_reviewer(actor) or article.owner.user_id == actor.pk):
        raise PermissionDenied(_("The article's owner or the QA group verifies it."))
    today = timezone.localdate()
    article = record_update(
        article,
        data={
            "verified_on": today,
            "next_review_on": today + dt.timedelta(days=article.review_interval_days),
        },
        actor=actor,
        verb="article_verify",
    )
    if note.strip():
        with audit.acting_as(actor, via=audit.current_actor().via):
            audit.log_event(article, "article_verify_note", note=note.strip()[:200])
    return article


@transaction.atomic
def article_archive(*, article: Article, actor) -> Article:
    """Archive an article (out of search and lists; its revisions stay)."""
    article = lock_for_update(article, queryset=Article.all_objects.all())
    _require_not_archived(article)
    record_update(
        article, data={"state": ArticleState.ARCHIVED}, actor=actor, verb="article_archive"
    )
    index_article(article)
    return record_archive(article, actor=actor)


@transaction.atomic
def article_restore(*, article: Article, actor) -> Article:
    """Bring an archived article back in the state its revisions give it."""
    article = lock_for_update(article, queryset=Article.all_objects.all())
    require_state(article, "state", [ArticleState.ARCHIVED])
    if article.live_revision_id:
        state = ArticleState.PUBLISHED
    elif article.revisions.filter(status=RevisionStatus.IN_REVIEW).exists():
        state = ArticleState.IN_REVIEW
    else:
        state = ArticleState.DRAFT
    record_restore(article, actor=actor)
    article = record_update(article, data={"state": state}, actor=actor, verb="article_restore")
    index_article(article)
    return article


@transaction.atomic
def category_save(*, actor, category: Category | None = None, **data) -> Category:
    """Create or change a category; moving it re-indexes the articles below it (their
    category filter terms name every category up to the top)."""
    if category is None:
        return record_create(Category, data=data, actor=actor, verb="category_create")
    parent = data.get("parent", category.parent)
    if parent is not None and category.pk in category_ancestors(parent.pk):
        raise ValidationError({"parent": _("A category cannot be inside itself.")})
    moved = "parent" in data and data["parent"] != category.parent
    category = record_update(category, data=data, actor=actor, verb="category_update")
    if moved:
        for article in Article.all_objects.filter(category_id__in=category_subtree([category.pk])):
            index_article(article)
    return category


# --- from a case -----------------------------------------------------------------------------


@transaction.atomic
def article_from_case(*, case: DifficultCase, category: Category, actor) -> Article:
    """Turn an answered case into an article draft in one step (question and answer),
    linked to the case."""
    case = lock_for_update(case)
    require_state(case, "status", [CaseStatus.ANSWERED, CaseStatus.CLOSED])
    if case.article_id:
        raise Conflict(
            _("This case already has an article: %(article)s.") % {"article": case.article}
        )
    body = f"{_('Question')}\n{case.question}\n\n{_('Answer')}\n{case.answer}"
    tags = case.queue.name if case.queue_id else ""
    article = article_create(
        category=category,
        title=case.title[:200],
        body=body,
        tags=tags,
        actor=actor,
        change_note=_("From difficult case #%(n)s") % {"n": case.pk},
    )
    record_update(case, data={"article": article}, actor=actor, verb="case_article")
    record_create(
        CaseEvent,
        data={"case": case, "kind": CaseEventKind.ARTICLE, "by": actor_employee(actor)},
        actor=actor,
        verb="case_article",
    )
    article_link(article=article, target=case, actor=actor)
    return article


# --- links to other records -------------------------------------------------------------


def linkable(obj) -> bool:
    return audit.is_audited(type(obj)) and hasattr(obj, "get_absolute_url") and obj.pk is not None


@transaction.atomic
def article_link(*, article: Article, target, actor, note: str = "") -> ArticleLink:
    """Link an article to a record of any app (a case, a handover, an incident)."""
    if not linkable(target):
        raise ValidationError({"target": _("Articles can be linked to records only.")})
    target_type = ContentType.objects.get_for_model(type(target))
    if ArticleLink.objects.filter(
        article=article, target_type=target_type, target_id=target.pk
    ).exists():
        raise ValidationError(
            {"article": _("%(article)s is linked already.") % {"article": article}}
        )
    return record_create(
        ArticleLink,
        data={"article": article, "target_type": target_type, "target_id": target.pk, "note": note},
        actor=actor,
        verb="article_link",
    )


@transaction.atomic
def article_unlink(*, link: ArticleLink, actor) -> ArticleLink:
    return record_archive(lock_for_update(link), actor=actor)


def links_to(target):
    """The active links of a record, with their articles."""
    target_type = ContentType.objects.get_for_model(type(target))
    return ArticleLink.objects.filter(target_type=target_type, target_id=target.pk).select_related(
        "article", "article__category"
    )


# --- trainers ----------------------------------------------------------------------------


@transaction.atomic
def article_to_question(
    *, article: Article, question: str, expected_answer: str, actor
) -> HandoverQuestion:
    """A trainer turns an article into a question of the bank the handovers test the
    incoming staff with; the question links back to the article."""
    if not actor.has_perm("shiftops.add_handoverquestion"):
        raise PermissionDenied(_("Trainers and supervisors keep the question bank."))
    require_state(article, "state", [ArticleState.PUBLISHED])
    if not question.strip():
        raise ValidationError({"question": _("Write the question.")})
    made = record_create(
        HandoverQuestion,
        data={
            "topic": article.category.name[:100],
            "text": question.strip(),
            "expected_answer": expected_answer.strip(),
        },
        actor=actor,
        verb="article_to_question",
    )
    article_link(article=article, target=made, actor=actor, note=_("question bank"))
    return made


# --- lists ------------------------------------------------------------------------------


def articles_due_for_review(user, today: dt.date | None = None):
    today = today or timezone.localdate()
    return (
        articles_for(user)
        .filter(state=ArticleState.PUBLISHED, next_review_on__lt=today)
        .select_related("owner", "category")
        .order_by("next_review_on", "pk")
    )


def revisions_in_review(user):
    """Revisions waiting for the QA group (not the user's own)."""
    if not is_reviewer(user):
        return ArticleRevision.objects.none()
    return (
        ArticleRevision.objects.filter(
            status=RevisionStatus.IN_REVIEW, article__archived_at__isnull=True
        )
        .exclude(author=user)
        .select_related("article", "author")
        .order_by("submitted_at", "pk")
    )


def answered_cases_without_article(user):
    return (
        DifficultCase.objects.restrict(user, "view")
        .filter(status__in=[CaseStatus.ANSWERED, CaseStatus.CLOSED], article__isnull=True)
        .select_related("reported_by")
        .order_by("-answered_at", "-pk")
    )


# --- revision diff ----------------------------------------------------------------------


def _inline(old: str, new: str) -> tuple[str, str]:
    """Character-level marks inside a changed line (Chinese has no words to split on)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    left, right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = html.escape(old[i1:i2]), html.escape(new[j1:j2])
        if op == "equal":
            left.append(a)
            right.append(b)
        else:
            if a:
                left.append(f"<del>{a}</del>")
            if b:
                right.append(f"<ins>{b}</ins>")
    return "".join(left), "".join(right)


def revision_diff(old: ArticleRevision | None, new: ArticleRevision) -> list[dict]:
    """Side-by-side rows ``{"kind", "old", "new"}`` (HTML) of the title, tags and body of
    two revisions; unchanged stretches of the body are collapsed to their first line."""
    rows = []
    for label, a, b in (
        (_("Title"), old.title if old else "", new.title),
        (_("Tags"), old.tags if old else "", new.tags),
    ):
        if a != b:
            left, right = _inline(a, b)
            rows.append(
                {"kind": "change", "label": label, "old": mark_safe(left), "new": mark_safe(right)}
            )
    before = (old.body if old else "").splitlines()
    after = new.body.splitlines()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            if i2 - i1 > 2:
                rows.append(
                    {"kind": "same", "old": html.escape(before[i1]), "new": html.escape(after[j1])}
                )
                rows.append({"kind": "skip", "count": i2 - i1 - 1})
            else:
                for k in range(i2 - i1):
                    rows.append(
                        {
                            "kind": "same",
                            "old": html.escape(before[i1 + k]),
                            "new": html.escape(after[j1 + k]),
                        }
                    )
            continue
        pairs = max(i2 - i1, j2 - j1)
        for k in range(pairs):
            a = before[i1 + k] if i1 + k < i2 else ""
            b = after[j1 + k] if j1 + k < j2 else ""
            left, right = _inline(a, b)
            rows.append({"kind": "change", "old": mark_safe(left), "new": mark_safe(right)})
    for row in rows:
        for key in ("old", "new"):
            if key in row:
                row[key] = mark_safe(row[key])
    return rows
