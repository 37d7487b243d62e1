"""The service manual: editions compiled from the published articles (one chapter per
top-level category) and the lessons of experience exchanges marked for it, published at
least every half year, acknowledged by the floor staff."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core.errors import Conflict
from ccops.core.models import Site
from ccops.core.services import lock_for_update, notify, record_create, record_sign
from ccops.knowledge.choices import ArticleState, EntryKind
from ccops.knowledge.models import (
    Article,
    Category,
    ManualAcknowledgement,
    ManualEdition,
    ManualEntry,
)
from ccops.knowledge.services.cases import actor_employee
from ccops.meetings.models import ExperienceLesson
from ccops.people.choices import EmploymentStatus
from ccops.people.models import Employee

#: The manual: a new edition at least every half year.
EDITION_INTERVAL_DAYS = 183
#: Who acknowledges reading a new edition: the floor staff.
READER_ROLES = ("agent", "group_manager", "area_manager")


def suggest_version(today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{today.year} H{1 if today.month <= 6 else 2}"


def _chapters():
    """``[(category, [articles])]``: top-level categories in order, each with the published
    articles of its subtree ordered by sub-category and title (three queries, whatever the
    number of chapters)."""
    tops = list(Category.objects.filter(parent__isnull=True).order_by("order", "name"))
    parent_of = dict(Category.all_objects.values_list("pk", "parent_id"))
    root_of: dict[int, int] = {}

    def root(pk: int) -> int:
        if pk not in root_of:
            seen, node = {pk}, pk
            while parent_of.get(node) is not None and parent_of[node] not in seen:
                node = parent_of[node]
                seen.add(node)
            root_of[pk] = node
        return root_of[pk]

    articles: dict[int, list[Article]] = {top.pk: [] for top in tops}
    published = (
        Article.objects.filter(state=ArticleState.PUBLISHED, live_revision__isnull=False)
        .select_related("live_revision", "category")
        .order_by("category__order", "category__name", "title", "pk")
    )
    for article in published:
        chapter = articles.get(root(article.category_id))
        if chapter is not None:
            chapter.append(article)
    return [(top, articles[top.pk]) for top in tops if articles[top.pk]]


def _lessons(site: Site):
    return (
        ExperienceLesson.objects.filter(
            for_service_manual=True,
            exchange__site=site,
            exchange__archived_at__isnull=True,
        )
        .select_related("exchange")
        .order_by("exchange__held_on", "pk")
    )


@transaction.atomic
def edition_compile(
    *, site: Site, version: str, title: str, actor, foreword: str = ""
) -> ManualEdition:
    """Compile a draft edition: the current published revisions and lessons are copied
    into it, so it reads the same whatever changes later."""
    version = version.strip()
    if ManualEdition.objects.filter(site=site, version=version).exists():
        raise ValidationError(
            {"version": _("Edition %(version)s exists already.") % {"version": version}}
        )
    chapters = _chapters()
    lessons = list(_lessons(site))
    if not chapters and not lessons:
        raise ValidationError(_("There is nothing to compile: no published article, no lesson."))
    edition = record_create(
        ManualEdition,
        data={"site": site, "version": version, "title": title.strip(), "foreword": foreword},
        actor=actor,
        verb="edition_compile",
    )
    number = 0
    for number, (category, articles) in enumerate(chapters, 1):
        for order, article in enumerate(articles, 1):
            record_create(
                ManualEntry,
                data={
                    "edition": edition,
                    "chapter": number,
                    "chapter_title": category.name,
                    "order": order,
                    "kind": EntryKind.ARTICLE,
                    "title": article.live_revision.title,
                    "body": article.live_revision.body,
                    "revision": article.live_revision,
                },
                actor=actor,
                verb="edition_compile",
            )
    if lessons:
        chapter_title = _("Lessons from experience exchanges")
        for order, lesson in enumerate(lessons, 1):
            record_create(
                ManualEntry,
                data={
                    "edition": edition,
                    "chapter": number + 1,
                    "chapter_title": chapter_title,
                    "order": order,
                    "kind": EntryKind.LESSON,
                    "title": f"{lesson.exchange.topic} ({lesson.exchange.held_on:%Y-%m-%d})",
                    "body": lesson.text,
                    "lesson": lesson,
                },
                actor=actor,
                verb="edition_compile",
            )
    return edition


def readers(edition: ManualEdition):
    """The floor staff of the edition's site who acknowledge it."""
    return (
        Employee.objects.filter(
            site=edition.site,
            status=EmploymentStatus.ACTIVE,
            user__is_active=True,
            user__groups__name__in=READER_ROLES,
        )
        .distinct()
        .order_by("team__name", "full_name")
    )


def outstanding(edition: ManualEdition):
    """Readers who have not acknowledged the edition yet."""
    done = ManualAcknowledgement.objects.filter(edition=edition).values("employee_id")
    return readers(edition).exclude(pk__in=done).select_related("team")


@transaction.atomic
def edition_publish(*, edition: ManualEdition, actor) -> ManualEdition:
    """Publish (sign) a draft edition: it is frozen, and every reader is asked to read and
    acknowledge it."""
    edition = lock_for_update(edition)
    if edition.is_signed:
        raise Conflict(_("%(edition)s is published already.") % {"edition": edition})
    if not edition.entries.exists():
        raise ValidationError(_("An edition without sections cannot be published."))
    record_sign(edition, actor=actor, verb="edition_publish")
    for person in readers(edition):
        notify(
            user=person.user,
            message=gettext_noop(
                "A new edition of the service manual is out: %(edition)s. "
                "Read it and confirm that you have."
            ),
            params={"edition": str(edition)},
            url=edition.get_absolute_url(),
        )
    return edition


@transaction.atomic
def edition_acknowledge(*, edition: ManualEdition, actor) -> ManualAcknowledgement:
    """Confirm having read a published edition (once; a second confirmation returns the
    first)."""
    edition = lock_for_update(edition)
    if not edition.is_signed:
        raise ValidationError(_("Only a published edition is acknowledged."))
    employee = actor_employee(actor)
    if employee.site_id != edition.site_id:
        raise ValidationError(_("This edition is for another site."))
    existing = ManualAcknowledgement.objects.filter(edition=edition, employee=employee).first()
    if existing is not None:
        return existing
    return record_create(
        ManualAcknowledgement,
        data={"edition": edition, "employee": employee},
        actor=actor,
        verb="edition_acknowledge",
    )


def latest_published(site) -> ManualEdition | None:
    return (
        ManualEdition.objects.filter(site=site, signed_at__isnull=False)
        .order_by("-signed_at", "-pk")
        .first()
    )


def edition_due(sites, today: dt.date | None = None) -> dict:
    """``{"last": edition or None, "due": bool}``: due when none was published in the
    last half year on any of the sites."""
    today = today or timezone.localdate()
    last = (
        ManualEdition.objects.filter(site__in=sites, signed_at__isnull=False)
        .order_by("-signed_at")
        .first()
    )
    due = last is None or (today - timezone.localdate(last.signed_at)).days > EDITION_INTERVAL_DAYS
    return {"last": last, "due": due}


def edition_to_acknowledge(user) -> ManualEdition | None:
    """The latest published edition of the user's site, if they are a reader who has not
    acknowledged it."""
    from ccops.people.services import employee_for

    employee = employee_for(user)
    if employee is None:
        return None
    edition = latest_published(employee.site)
    if edition is None or not readers(edition).filter(pk=employee.pk).exists():
        return None
    if ManualAcknowledgement.objects.filter(edition=edition, employee=employee).exists():
        return None
    return edition


def chapters_of(edition: ManualEdition) -> list[dict]:
    """``[{"number", "title", "entries": [...]}]`` of an edition, in order."""
    chapters: dict[int, dict] = {}
    for entry in edition.entries.order_by("chapter", "order"):
        chapter = chapters.setdefault(
            entry.chapter, {"number": entry.chapter, "title": entry.chapter_title, "entries": []}
        )
        chapter["entries"].append(entry)
    return list(chapters.values())
