"""The planner's tools on a schedule: the agent-by-day grid, the day timeline, activities
placed inside shifts, the comparison of two versions and the staff's feedback."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.formats import format_date, format_time, to_local
from ccops.core.generic import form_errors, get_restricted_or_404
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.people.models import Employee
from ccops.people.services import employee_for
from ccops.wfm.choices import ScheduleStatus
from ccops.wfm.forms import ActivityForm, FeedbackForm
from ccops.wfm.models import Schedule, ScheduledShift, ScheduleFeedback, ShiftActivity
from ccops.wfm.services import activities, review
from ccops.wfm.services.calendar import break_text
from ccops.wfm.services.queries import paid_hours, shift_breaks


def _schedule(request, pk, action="view") -> Schedule:
    check_model_perm(request.user, Schedule, action)
    return get_restricted_or_404(Schedule, request.user, pk, action)


def _days(schedule: Schedule) -> list[date]:
    return [schedule.week_start + timedelta(days=d) for d in range(7)]


def _day_label(day: date) -> str:
    """``Mon 2026-12-07`` / ``周一 2026-12-07``: the weekday first, in the reader's language."""
    return f"{date_format(day, 'D')} {format_date(day)}"


def schedule_grid(request, pk):
    """Agents down, days across: each agent's shifts of the week with their hours, open
    shifts in their own row; in a draft every cell links to edit or add a shift."""
    schedule = _schedule(request, pk)
    zone = schedule.site.zone
    days = _days(schedule)
    shifts = list(
        schedule.shifts.select_related("employee", "schedule__site")
        .defer("schedule__summary")
        .prefetch_related("activities")
        .order_by("start")
    )
    people = {
        e.pk: e
        for e in Employee.objects.filter(site=schedule.site, status="active").order_by("full_name")
    }
    for s in shifts:
        if s.employee_id and s.employee_id not in people:
            people[s.employee_id] = s.employee
    cells: dict[tuple[int | None, int], list] = {}
    hours: dict[int | None, float] = {}
    for s in shifts:
        d = (to_local(s.start, zone).date() - schedule.week_start).days
        s.label = f"{format_time(s.start, zone)}–{format_time(s.end, zone)}"
        s.break_label = break_text(s)
        cells.setdefault((s.employee_id, d), []).append(s)
        hours[s.employee_id] = hours.get(s.employee_id, 0) + paid_hours(s)
    rows = [
        {
            "employee": e,
            "cells": [cells.get((e.pk, d), []) for d in range(7)],
            "hours": round(hours.get(e.pk, 0), 1),
            "days": sum(1 for d in range(7) if cells.get((e.pk, d))),
        }
        for e in sorted(people.values(), key=lambda e: e.full_name)
    ]
    open_row = [cells.get((None, d), []) for d in range(7)]
    editable = schedule.status == ScheduleStatus.DRAFT and has_model_perm(
        request.user, ScheduledShift, "change"
    )
    return render(
        request,
        "wfm/schedule_grid.html",
        {
            "object": schedule,
            "title": _("Agents by day"),
            "days": [(d, _day_label(d)) for d in days],
            "rows": rows,
            "open_row": open_row,
            "editable": editable,
        },
    )


def schedule_day(request, pk):
    """One day as a timeline: a bar per shift, its breaks and activities, so a planner
    sees who is where and moves or reassigns a shift from it."""
    schedule = _schedule(request, pk)
    zone = schedule.site.zone
    days = _days(schedule)
    try:
        day = date.fromisoformat(request.GET.get("date") or days[0].isoformat())
    except ValueError:
        raise Http404(
            _("%(value)s is not a date (YYYY-MM-DD).") % {"value": request.GET.get("date")}
        ) from None
    if day not in days:
        raise Http404(
            _("%(day)s is not a day of the week of %(schedule)s.")
            % {"day": day.isoformat(), "schedule": schedule}
        )
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    end = start + timedelta(days=1)
    shifts = list(
        schedule.shifts.filter(start__lt=end, end__gt=start)
        .select_related("employee", "schedule__site")
        .defer("schedule__summary")
        .prefetch_related("activities")
        .order_by("start", "employee__full_name")
    )
    span = 24 * 60

    def place(a, b):
        left = max(0.0, (a - start).total_seconds() / 60)
        right = min(float(span), (b - start).total_seconds() / 60)
        return {"left": round(100 * left / span, 2), "width": round(100 * (right - left) / span, 2)}

    bars = []
    for s in shifts:
        bars.append(
            {
                "shift": s,
                "label": f"{format_time(s.start, zone)}–{format_time(s.end, zone)}",
                "bar": place(s.start, s.end),
                "breaks": [
                    {**place(a, b), "title": f"{name or _('Break')} {format_time(a, zone)}"}
                    for a, b, _paid, name in shift_breaks(s)
                ],
                "activities": [
                    {**place(x.start, x.end), "title": f"{x.title} {format_time(x.start, zone)}"}
                    for x in s.activities.all()
                ],
            }
        )
    editable = schedule.status == ScheduleStatus.DRAFT and has_model_perm(
        request.user, ScheduledShift, "change"
    )
    return render(
        request,
        "wfm/schedule_day.html",
        {
            "object": schedule,
            "title": _("Day timeline"),
            "day": day,
            "day_label": format_date(day, long=True),
            "days": [(d, _day_label(d)) for d in days],
            "bars": bars,
            "hours": [(h, round(100 * h * 60 / span, 2)) for h in range(0, 24, 2)],
            "editable": editable,
        },
    )


def activity_add(request, pk):
    check_model_perm(request.user, ShiftActivity, "add")
    schedule = _schedule(request, pk, "change")
    form = ActivityForm(request.POST or None, schedule=schedule)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placed = activities.activity_place(
                schedule=schedule,
                employees=list(data["employees"]),
                kind=data["kind"],
                title=data["title"],
                minutes=data["minutes"],
                day=data["day"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            done = [p for p in placed if p.activity]
            messages.success(
                request,
                _("%(n)d of %(m)d placed where the least coverage is lost.")
                % {"n": len(done), "m": len(placed)},
            )
            missing = [p.employee.full_name for p in placed if p.activity is None]
            if missing:
                messages.warning(
                    request,
                    _("No room in the shifts of: %(names)s.") % {"names": ", ".join(missing)},
                )
            short = [
                p.employee.full_name
                for p in done
                if p.lowest_spare is not None and p.lowest_spare < 1
            ]
            if short:
                messages.warning(
                    request,
                    _("Taking these agents off the phones leaves a queue short: %(names)s.")
                    % {"names": ", ".join(short)},
                )
            return redirect(schedule.get_absolute_url() + "#activities")
    return render(
        request,
        "core/object_form.html",
        {"form": form, "title": _("Place an activity"), "object": schedule},
    )


@require_POST
def activity_remove(request, pk):
    check_model_perm(request.user, ShiftActivity, "delete")
    activity = get_restricted_or_404(ShiftActivity, request.user, pk, "delete")
    try:
        activities.activity_remove(activity=activity, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The activity is removed."))
    return redirect(activity.shift.schedule.get_absolute_url() + "#activities")


def schedule_compare(request, pk):
    """This version against another (``?with=``; by default the published version of the
    week, the version before, or last week's schedule)."""
    schedule = _schedule(request, pk)
    other = None
    if request.GET.get("with"):
        try:
            other = get_restricted_or_404(Schedule, request.user, int(request.GET["with"]))
        except ValueError:
            raise Http404(
                _("%(value)s is not the number of a schedule.") % {"value": request.GET["with"]}
            ) from None
    else:
        other = review.compare_default(schedule)
    choices = (
        Schedule.objects.filter(site=schedule.site)
        .exclude(pk=schedule.pk)
        .order_by("-week_start", "-version")[:30]
    )
    context = {
        "object": schedule,
        "other": other,
        "choices": choices,
        "title": _("Compare schedules"),
        "weekdays": [date_format(d, "D") for d in _days(schedule)],
    }
    if other is not None:
        try:
            context["cmp"] = cmp = review.schedule_compare(other, schedule)
            names = context["weekdays"]
            context["agent_rows"] = [
                {
                    "row": r,
                    "starts": [", ".join(f"{names[d]} {t}" for d, t in side) for side in r.starts],
                    "days_off": [", ".join(names[d] for d in side) for side in r.days_off],
                }
                for r in cmp["agents"]
            ]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            context["other"] = None
    return render(request, "wfm/schedule_compare.html", context)


@require_POST
def feedback_add(request, pk):
    check_model_perm(request.user, ScheduleFeedback, "add")
    employee = employee_for(request.user)
    schedule = review.schedule_for_feedback(pk, employee)  # 404 without an employee record
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        try:
            review.schedule_feedback_add(
                schedule=schedule, employee=employee, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: the planners see your feedback."))
    return HttpResponseRedirect(reverse("wfm:my_schedule") + "#feedback")
