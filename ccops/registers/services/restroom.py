"""The rest room: the cleaning rota (daily, and the weekly thorough cleaning) with the
assignee's sign-off, and the rule that rests of more than half an hour may use the rest
room, shown where the rests are planned."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ccops.core.errors import Conflict
from ccops.core.services import lock_for_update, record_create, record_sign, record_update
from ccops.people.models import Employee
from ccops.registers.choices import CleaningKind
from ccops.registers.models import REST_ROOM_MIN_MINUTES, CleaningDuty, RestRoom
from ccops.registers.services.common import same_site

#: How far ahead a rota is generated at once.
MAX_ROTA_DAYS = 92


@transaction.atomic
def cleaning_rota_generate(*, room: RestRoom, start: dt.date, days: int, assignees, actor) -> int:
    """Put ``assignees`` in turn on the daily cleaning of each day from ``start`` for
    ``days`` days, and on the weekly thorough cleaning on the room's day, skipping days
    already on the rota. Returns the duties added."""
    people = list(assignees)
    if not people:
        raise ValidationError({"assignees": _("Choose who takes turns.")})
    if not 1 <= days <= MAX_ROTA_DAYS:
        raise ValidationError(
            {"days": _("Plan 1 to %(max)s days at a time.") % {"max": MAX_ROTA_DAYS}}
        )
    for person in people:
        same_site(room.site, {"assignees": person})
    existing = set(
        CleaningDuty.objects.filter(
            room=room, due_date__gte=start, due_date__lt=start + dt.timedelta(days=days)
        ).values_list("kind", "due_date")
    )
    added = 0
    daily_turn = weekly_turn = 0
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        kinds = [CleaningKind.DAILY]
        if day.weekday() == room.weekly_cleaning_day:
            kinds.append(CleaningKind.WEEKLY)
        for kind in kinds:
            if kind == CleaningKind.DAILY:
                person = people[daily_turn % len(people)]
                daily_turn += 1
            else:
                person = people[(weekly_turn + len(people) // 2) % len(people)]
                weekly_turn += 1
            if (kind, day) in existing:
                continue
            record_create(
                CleaningDuty,
                data={"room": room, "kind": kind, "due_date": day, "assignee": person},
                actor=actor,
                verb="cleaning_rota_generate",
            )
            added += 1
    return added


@transaction.atomic
def cleaning_duty_reassign(*, duty: CleaningDuty, assignee: Employee, actor) -> CleaningDuty:
    duty = lock_for_update(duty)
    if duty.is_signed:
        raise Conflict(_("This cleaning is already signed off."))
    same_site(duty.room.site, {"assignee": assignee})
    return record_update(duty, data={"assignee": assignee}, actor=actor, verb="cleaning_reassign")


@transaction.atomic
def cleaning_duty_sign_off(*, duty: CleaningDuty, actor, note: str = "") -> CleaningDuty:
    """The assignee signs the cleaning off as done, as themselves, on the day or later."""
    duty = lock_for_update(duty)
    if duty.is_signed:
        raise Conflict(_("This cleaning is already signed off."))
    if duty.assignee.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(
            _("Only %(who)s, who is on the rota, signs this cleaning off.")
            % {"who": duty.assignee.full_name}
        )
    if duty.due_date > timezone.localdate():
        raise ValidationError(_("A cleaning is signed off on its day, not before."))
    duty.note = note.strip()[:300]
    return record_sign(duty, actor=actor, verb="cleaning_sign_off")


def missed_duties(queryset, today: dt.date | None = None):
    today = today or timezone.localdate()
    return queryset.filter(signed_at__isnull=True, due_date__lt=today).select_related(
        "room", "assignee"
    )


# --- the rest-room rule -----------------------------------------------------------------------


@dataclass(frozen=True)
class LongRest:
    """A planned rest of more than half an hour and the rest rooms it may use."""

    shift: object
    start: dt.datetime
    end: dt.datetime
    minutes: int
    rooms: tuple


def long_rests(shifts) -> list[LongRest]:
    """The rests of ``shifts`` (wfm scheduled shifts, their ``breaks``) longer than
    :data:`REST_ROOM_MIN_MINUTES`, each with the active rest rooms of the shift's site."""
    rooms_by_site: dict[int, tuple] = {}
    found = []
    for shift in shifts:
        site_id = shift.schedule.site_id
        for rest in shift.breaks or []:
            start, end = parse_datetime(rest.get("start", "")), parse_datetime(rest.get("end", ""))
            if start is None or end is None:
                continue
            minutes = int((end - start).total_seconds() // 60)
            if minutes <= REST_ROOM_MIN_MINUTES:
                continue
            if site_id not in rooms_by_site:
                rooms_by_site[site_id] = tuple(RestRoom.objects.filter(site_id=site_id))
            found.append(LongRest(shift, start, end, minutes, rooms_by_site[site_id]))
    return found
