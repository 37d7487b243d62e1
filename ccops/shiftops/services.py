"""Writes of the shift-operations app: handovers, duty diary, briefings (and the
derived late/missing handover watch). Each service is one transaction, audited and
attributed to ``actor``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.formats import format_datetime
from ccops.core.models import Site
from ccops.core.permissions import managed_team_ids
from ccops.core.roles import SCOPE_ALL, is_supervisor, user_scope
from ccops.core.services import (
    lock_for_update,
    record_amend,
    record_create,
    record_sign,
    record_update,
)
from ccops.people.models import Employee, Team
from ccops.people.services import employee_for
from ccops.shiftops.choices import CheckStatus, HandoverSide
from ccops.shiftops.models import (
    Briefing,
    ChecklistItemTemplate,
    DutyDiaryEntry,
    Handover,
    HandoverAnswer,
    HandoverCheck,
    HandoverQuestion,
    HandoverTime,
)


def _locked_error(handover: Handover) -> ValidationError:
    return ValidationError(
        _(
            "%(handover)s is signed by both sides and cannot be changed: "
            "record an amendment instead."
        )
        % {"handover": handover}
    )


def _refuse_if_locked(handover: Handover) -> None:
    if handover.is_signed:
        raise _locked_error(handover)


def _lock_handover(handover: Handover) -> Handover:
    """The handover re-read under a row lock: every change of a handover and of its
    checklist, questions and answers takes it first, so a change and a signature never
    pass each other; a signed handover refuses with a 409 conflict."""
    locked = lock_for_update(handover)
    if locked.is_signed:
        raise Conflict(_locked_error(locked).messages[0])
    return locked


def _actor_employee(actor) -> Employee:
    employee = employee_for(actor)
    if employee is None:
        raise PermissionDenied(_("Your account has no employee record."))
    return employee


# --- handovers ----------------------------------------------------------------------------


@transaction.atomic
def handover_open(
    *,
    site: Site,
    handover_at: dt.datetime,
    outgoing_lead: Employee,
    incoming_lead: Employee,
    actor,
    notes: str = "",
) -> Handover:
    """Open a handover: its checklist is copied from the template (the site's items and
    those for every site); the open duty-diary entries of the site up to the handover
    time are attached to it. One handover per site and time: the site is locked first, and
    a database constraint backs the check."""
    site = lock_for_update(site)
    if Handover.objects.filter(site=site, handover_at=handover_at, amends__isnull=True).exists():
        raise Conflict({"handover_at": _("A handover at this time is already open for the site.")})
    if outgoing_lead.pk == incoming_lead.pk:
        raise ValidationError({"incoming_lead": _("The incoming duty lead must be someone else.")})
    for field, person in (("outgoing_lead", outgoing_lead), ("incoming_lead", incoming_lead)):
        if person.site_id != site.pk:
            raise ValidationError({field: _("%(who)s works on another site.") % {"who": person}})
    handover = record_create(
        Handover,
        data={
            "site": site,
            "handover_at": handover_at,
            "outgoing_lead": outgoing_lead,
            "incoming_lead": incoming_lead,
            "notes": notes,
        },
        actor=actor,
        verb="handover_open",
    )
    items = ChecklistItemTemplate.objects.filter(site__isnull=True) | (
        ChecklistItemTemplate.objects.filter(site=site)
    )
    for item in items.order_by("order", "pk"):
        record_create(
            HandoverCheck,
            data={
                "handover": handover,
                "category": item.category,
                "item": item.text,
                "order": item.order,
            },
            actor=actor,
            verb="handover_open",
        )
    _attach_diary(handover, actor)
    return handover


def _attach_diary(handover: Handover, actor) -> int:
    entries = DutyDiaryEntry.objects.filter(
        site=handover.site, handover__isnull=True, time__lte=handover.handover_at
    )
    with audit.acting_as(actor, via=audit.current_actor().via), audit.action("diary_attach"):
        return entries.update(handover=handover)


@transaction.atomic
def handover_update(*, handover: Handover, actor, **data) -> Handover:
    """Change the handover time, leads or the outgoing side's notes (only before anyone
    has signed: a signature covers what was there when it was given)."""
    handover = _lock_handover(handover)
    if handover.outgoing_signed_at:
        raise Conflict(
            _("The outgoing side has signed: nothing can change before the incoming side signs.")
        )
    allowed = {"handover_at", "outgoing_lead", "incoming_lead", "notes"}
    fixed = {"handover_at", "outgoing_lead", "incoming_lead"} & set(data)
    if fixed and handover.is_started:
        raise Conflict(_("The handover has started: its time and duty leads no longer change."))
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    outgoing = data.get("outgoing_lead", handover.outgoing_lead)
    incoming = data.get("incoming_lead", handover.incoming_lead)
    if getattr(outgoing, "pk", outgoing) == getattr(incoming, "pk", incoming):
        raise ValidationError({"incoming_lead": _("The incoming duty lead must be someone else.")})
    return record_update(handover, data=data, actor=actor, verb="handover_update")


@transaction.atomic
def handover_check_set(
    *, check: HandoverCheck, status: str, actor, note: str = ""
) -> HandoverCheck:
    """Mark a checklist item OK or a problem (a problem needs a note)."""
    handover = _lock_handover(check.handover)
    if handover.outgoing_signed_at:
        raise Conflict(_("The outgoing side has signed its checklist."))
    check = lock_for_update(check)
    if status == CheckStatus.PROBLEM and not note.strip():
        raise ValidationError({"note": _("Describe the problem.")})
    return record_update(
        check, data={"status": status, "note": note.strip()}, actor=actor, verb="handover_check"
    )


@transaction.atomic
def handover_question_ask(
    *, handover: Handover, question: HandoverQuestion, asked_to: Employee, actor
) -> HandoverAnswer:
    """Put a question of the bank to someone of the incoming shift."""
    handover = _lock_handover(handover)
    if handover.incoming_signed_at:
        raise Conflict(_("The incoming side has signed."))
    if asked_to.site_id != handover.site_id:
        raise ValidationError({"asked_to": _("%(who)s works on another site.") % {"who": asked_to}})
    if asked_to.pk == handover.outgoing_lead_id:
        raise ValidationError({"asked_to": _("Questions are put to the incoming staff.")})
    return record_create(
        HandoverAnswer,
        data={
            "handover": handover,
            "question": question,
            "question_text": question.text,
            "asked_to": asked_to,
        },
        actor=actor,
        verb="handover_question_ask",
    )


@transaction.atomic
def handover_answer_record(
    *, answer: HandoverAnswer, text: str, correct: bool | None, actor
) -> HandoverAnswer:
    """Record the answer given and whether it was correct. Only the outgoing duty lead,
    who asked, marks an answer correct or incorrect: never the person who answered."""
    handover = _lock_handover(answer.handover)
    answer = lock_for_update(answer)
    if not text.strip():
        raise ValidationError({"answer": _("Write down the answer given.")})
    asker = handover.outgoing_lead.user_id
    is_asker = asker is not None and getattr(actor, "pk", None) == asker
    if correct is not None and not is_asker:
        raise PermissionDenied(
            _("Only the outgoing duty lead, %(lead)s, marks the answers.")
            % {"lead": handover.outgoing_lead.full_name}
        )
    if not is_asker:  # a mark stands for the answer it was given to
        correct = answer.correct if text.strip() == answer.answer else None
    return record_update(
        answer,
        data={"answer": text.strip(), "correct": correct},
        actor=actor,
        verb="handover_answer",
    )


@transaction.atomic
def handover_sign(*, handover: Handover, side: str, actor) -> Handover:
    """Sign one side of a handover, as oneself. The outgoing side signs first (every
    checklist item marked); the incoming side then signs (every question answered and
    marked), which locks the handover."""
    handover = _lock_handover(handover)
    lead = {
        HandoverSide.OUTGOING: handover.outgoing_lead,
        HandoverSide.INCOMING: handover.incoming_lead,
    }
    if side not in lead:
        raise ValidationError({"side": _("Sign as the outgoing or the incoming side.")})
    if lead[side].user_id is None or actor is None or lead[side].user_id != actor.pk:
        raise PermissionDenied(
            _("Only %(lead)s can sign for the %(side)s side.")
            % {"lead": lead[side].full_name, "side": HandoverSide(side).label}
        )
    now = timezone.now()
    if side == HandoverSide.OUTGOING:
        if handover.outgoing_signed_at:
            raise Conflict(_("The outgoing side has already signed."))
        if handover.checks.filter(status=CheckStatus.UNCHECKED).exists():
            raise ValidationError(_("Mark every checklist item before signing."))
        _attach_diary(handover, actor)
        return record_update(
            handover,
            data={"outgoing_signed_at": now, "outgoing_signed_by": actor},
            actor=actor,
            verb="handover_sign_outgoing",
        )
    if not handover.outgoing_signed_at:
        raise ValidationError(_("The outgoing side signs first."))
    if handover.answers.filter(correct__isnull=True).exists():
        raise ValidationError(_("Record and mark the answer to every question before signing."))
    handover.incoming_signed_at = now
    handover.incoming_signed_by = actor
    return record_sign(handover, actor=actor, verb="handover_sign_incoming")


@transaction.atomic
def handover_amend(*, handover: Handover, notes: str, actor) -> Handover:
    """Correct a signed handover: a new handover linked to it, with a copy of its
    checklist and answers, to be signed again by both sides. One amendment is open at a
    time (a database constraint backs the check made under the row lock)."""
    handover = lock_for_update(handover)
    if not handover.is_signed:
        raise ValidationError(_("This handover is not signed yet: edit it instead."))
    if Handover.objects.filter(amends=handover, signed_at__isnull=True).exists():
        raise Conflict(_("An amendment of this handover is already open."))
    amendment = record_amend(
        handover,
        data={
            "notes": notes,
            "outgoing_signed_at": None,
            "outgoing_signed_by": None,
            "incoming_signed_at": None,
            "incoming_signed_by": None,
        },
        actor=actor,
        verb="handover_amend",
    )
    for check in handover.checks.all():
        record_create(
            HandoverCheck,
            data={
                "handover": amendment,
                "category": check.category,
                "item": check.item,
                "order": check.order,
                "status": check.status,
                "note": check.note,
            },
            actor=actor,
            verb="handover_amend",
        )
    for answer in handover.answers.all():
        record_create(
            HandoverAnswer,
            data={
                "handover": amendment,
                "question": answer.question,
                "question_text": answer.question_text,
                "asked_to": answer.asked_to,
                "answer": answer.answer,
                "correct": answer.correct,
            },
            actor=actor,
            verb="handover_amend",
        )
    return amendment


def may_work_on_handover(user, handover: Handover) -> bool:
    """The two duty leads and the supervisors work on a handover's checklist and questions."""
    leads = {handover.outgoing_lead.user_id, handover.incoming_lead.user_id}
    return bool(user and user.is_authenticated and (user.pk in leads or is_supervisor(user)))


def check_may_work_on(user, handover: Handover) -> None:
    if not may_work_on_handover(user, handover):
        raise PermissionDenied(
            _("Only the duty leads of this handover and the supervisors can do this.")
        )


# --- duty diary ---------------------------------------------------------------------------


@transaction.atomic
def diary_entry_write(
    *, site: Site, time: dt.datetime, category: str, text: str, actor
) -> DutyDiaryEntry:
    """Write an entry of the duty diary, as oneself. A shift already handed over (a signed
    handover at or after ``time``) takes no new entries.

    The open handover the entry belongs to is locked first, so that an entry and the
    signature closing its shift never pass each other."""
    author = _actor_employee(actor)
    open_handover = _open_handover_locked(site, time)
    if DutyDiaryEntry.shift_closed(site.pk, time):
        raise ValidationError(
            {"time": _("That shift has been handed over; its diary is signed and closed.")}
        )
    entry = record_create(
        DutyDiaryEntry,
        data={"site": site, "time": time, "category": category, "text": text, "author": author},
        actor=actor,
        verb="diary_entry_write",
    )
    if open_handover is not None:
        _attach_diary(open_handover, actor)
        entry.refresh_from_db()
    return entry


def _open_handover_locked(site: Site, time: dt.datetime) -> Handover | None:
    """The first unsigned handover of the site at or after ``time``, locked (or None)."""
    first = (
        Handover.objects.filter(site=site, signed_at__isnull=True, handover_at__gte=time)
        .order_by("handover_at", "pk")
        .first()
    )
    return lock_for_update(first) if first is not None else None


@transaction.atomic
def diary_entry_update(*, entry: DutyDiaryEntry, actor, **data) -> DutyDiaryEntry:
    """Correct one's own entry, until the handover closing the shift is signed. An entry
    cannot be moved into a shift already handed over, nor past the handover it belongs to."""
    if entry.handover_id:
        _lock_handover(entry.handover)
    entry = lock_for_update(entry)
    if entry.archived_at is not None:
        raise Conflict(_("This diary entry is archived."))
    if entry.handover_id and entry.handover.is_signed:
        raise Conflict(_locked_error(entry.handover).messages[0])
    if entry.author.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the author can correct a diary entry."))
    unknown = set(data) - {"time", "category", "text"}
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    time = data.get("time") or entry.time
    if entry.handover_id and time > entry.handover.handover_at:
        raise ValidationError(
            {
                "time": _("The entry belongs to the handover of %(time)s: it cannot be later.")
                % {"time": format_datetime(entry.handover.handover_at)}
            }
        )
    target = None if entry.handover_id else _open_handover_locked(entry.site, time)
    if not entry.handover_id and DutyDiaryEntry.shift_closed(entry.site_id, time):
        raise ValidationError(
            {"time": _("That shift has been handed over; its diary is signed and closed.")}
        )
    entry = record_update(entry, data=data, actor=actor, verb="diary_entry_update")
    if target is not None:
        _attach_diary(target, actor)
        entry.refresh_from_db()
    return entry


# --- briefings ----------------------------------------------------------------------------


@transaction.atomic
def briefing_record(
    *,
    site: Site,
    kind: str,
    held_at: dt.datetime,
    led_by: Employee,
    attendees,
    actor,
    team: Team | None = None,
    topics: str = "",
    problems_raised: str = "",
    questions_asked: str = "",
) -> Briefing:
    """Record a pre-shift or post-shift briefing and who attended it. Group and area
    managers record the briefings of their own teams only; a briefing for the whole site
    (no team) is a supervisor's."""
    _check_briefing_team(actor, team)
    briefing = record_create(
        Briefing,
        data={
            "site": site,
            "team": team,
            "kind": kind,
            "held_at": held_at,
            "led_by": led_by,
            "topics": topics,
            "problems_raised": problems_raised,
            "questions_asked": questions_asked,
        },
        actor=actor,
        verb="briefing_record",
    )
    _set_attendees(briefing, attendees, actor)
    return briefing


def _set_attendees(briefing: Briefing, attendees, actor) -> None:
    people = list(attendees)
    briefing.attendees.set(people)
    names = ", ".join(sorted(p.employee_number for p in people))
    with audit.acting_as(actor, via=audit.current_actor().via):
        audit.log_event(briefing, "briefing_attendees", note=names[:500])


def _check_briefing_team(actor, team: Team | None) -> None:
    if user_scope(actor) == SCOPE_ALL or getattr(actor, "is_superuser", False):
        return
    if team is None:
        raise PermissionDenied(_("A briefing for the whole site is recorded by a supervisor."))
    if team.pk not in set(managed_team_ids(actor)):
        raise PermissionDenied(_("%(team)s is not one of your teams.") % {"team": team})


@transaction.atomic
def briefing_update(*, briefing: Briefing, actor, attendees=None, **data) -> Briefing:
    briefing = lock_for_update(briefing)
    if briefing.archived_at is not None:
        raise Conflict(_("This briefing is archived."))
    if "team" in data:
        _check_briefing_team(actor, data["team"])
    briefing = record_update(briefing, data=data, actor=actor, verb="briefing_update")
    if attendees is not None:
        _set_attendees(briefing, attendees, actor)
    return briefing


# --- late or missing handovers ------------------------------------------------------------


@dataclass(frozen=True)
class HandoverWatchRow:
    site: Site
    expected_at: dt.datetime
    name: str
    status: str  # "missing", "unsigned" or "late"
    handover: Handover | None


def expected_handovers(sites, start: dt.datetime, end: dt.datetime):
    """``(handover_time, expected_at)`` of every configured shift change in ``[start, end)``."""
    times = HandoverTime.objects.filter(site__in=sites).select_related("site")
    for ht in times:
        zone = ht.site.zone
        day = start.astimezone(zone).date() - dt.timedelta(days=1)
        last = end.astimezone(zone).date()
        while day <= last:
            expected = dt.datetime.combine(day, ht.time, tzinfo=zone).astimezone(dt.UTC)
            if start <= expected < end:
                yield ht, expected
            day += dt.timedelta(days=1)


def handover_watch(*, sites, now: dt.datetime | None = None, hours: int = 24):
    """The shift changes of the last ``hours`` whose handover is missing, not signed by both
    sides within the grace period, or was signed late. A handover counts for a shift change
    when its time is within two hours of it."""
    now = now or timezone.now()
    window = dt.timedelta(hours=2)
    rows = []
    for ht, expected in expected_handovers(sites, now - dt.timedelta(hours=hours), now):
        deadline = expected + dt.timedelta(minutes=ht.grace_minutes)
        if deadline > now:
            continue
        handover = (
            Handover.objects.filter(
                site=ht.site,
                amends__isnull=True,
                handover_at__gte=expected - window,
                handover_at__lte=expected + window,
            )
            .order_by("signed_at")
            .first()
        )
        if handover is None:
            status = "missing"
        elif handover.signed_at is None:
            status = "unsigned"
        elif handover.signed_at > deadline:
            status = "late"
        else:
            continue
        rows.append(HandoverWatchRow(ht.site, expected, ht.name, status, handover))
    return sorted(rows, key=lambda r: r.expected_at, reverse=True)
