"""Pages of shift template sets and schedules: generation, coverage heat-map, manual edits,
publishing, versions."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.formats import format_time
from ccops.core.generic import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.models import Job, Queue
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.wfm import services
from ccops.wfm.choices import ScheduleStatus
from ccops.wfm.filters import ScheduleFilter, TemplateSetFilter
from ccops.wfm.forms import GenerateForm, ShiftForm, TemplateSetForm
from ccops.wfm.models import (
    Schedule,
    ScheduledShift,
    ScheduleFeedback,
    ShiftActivity,
    ShiftTemplateSet,
)
from ccops.wfm.services import generate, review
from ccops.wfm.services.calendar import break_text
from ccops.wfm.services.coverage import coverage, projected_vs_actual, request_projection
from ccops.wfm.services.schedules import NeedsConfirmation, publish_warnings


class TemplateSetListView(ObjectListView):
    model = ShiftTemplateSet
    filterset_class = TemplateSetFilter
    columns = ["name", "site", "description", "updated_at"]


def can_generate(user) -> bool:
    return has_model_perm(user, Schedule, "add") and has_model_perm(user, Job, "add")


class TemplateSetDetailView(ObjectDetailView):
    model = ShiftTemplateSet
    template_name = "wfm/shifttemplateset_detail.html"
    fields = ["site", "name", "description"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_generate"] = can_generate(self.request.user)
        return context


class TemplateSetFormView(ObjectFormView):
    model = ShiftTemplateSet
    form_class = TemplateSetForm


class TemplateSetArchiveView(ObjectArchiveView):
    model = ShiftTemplateSet


class ScheduleListView(ObjectListView):
    model = Schedule
    filterset_class = ScheduleFilter
    columns = [
        "week_start",
        "version",
        "site",
        "status",
        "template_set",
        "created_by",
        "published_at",
    ]
    template_name = "wfm/schedule_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("site", "template_set", "created_by")
            .defer("summary")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_generate"] = can_generate(user)
        return context


def heatmap(required, scheduled, sl, cov: dict, zone, low=None, high=None) -> dict:
    """Rows (time of day) x columns (days) of scheduled/required for the template, with
    the projected service level (and the simulation's confidence bounds, ``low``/``high``)
    of each cell."""
    ipd, im = cov["intervals_per_day"], cov["interval_minutes"]
    origin = cov["origin"]
    days = [(origin + timedelta(days=d)).astimezone(zone).date() for d in range(7)]
    sl_label = _("Service level")
    rows = []
    for k in range(ipd):
        cells = []
        for d in range(7):
            i = d * ipd + k
            req, sch = float(required[i]), float(scheduled[i])
            gap = round(sch - req)
            level = "ok" if gap == 0 else ("under" if gap < 0 else "over")
            strength = min(4, abs(gap)) if gap else 0
            value = sl[i] if sl is not None else float("nan")
            lo = low[i] if low is not None else float("nan")
            hi = high[i] if high is not None else float("nan")
            ranged = value == value and lo == lo and hi == hi and hi - lo > 1e-9
            cells.append(
                {
                    "required": _num(req),
                    "scheduled": _num(sch),
                    "gap": gap,
                    "css": f"{level}{strength}" if req or sch else "empty",
                    "sl": None if value != value else round(float(value) * 100),
                    "sl_low": round(float(lo) * 100) if ranged else None,
                    "sl_high": round(float(hi) * 100) if ranged else None,
                }
            )
        if any(c["required"] or c["scheduled"] for c in cells):
            label = format_time(origin + timedelta(minutes=k * im), zone)
            # written here rather than by the template: 700 cells a week
            html = format_html_join(
                "",
                '<td class="{}" title="{}">{}/{}</td>',
                (
                    (
                        c["css"],
                        _cell_title(c, sl_label),
                        c["scheduled"],
                        c["required"],
                    )
                    for c in cells
                ),
            )
            rows.append({"time": label, "cells": cells, "html": html})
    return {"days": days, "rows": rows}


def _cell_title(cell: dict, label: str) -> str:
    """A heat-map cell's tooltip: its projected level, with the simulation's interval."""
    if cell["sl"] is None:
        return ""
    text = f"{label} {cell['sl']} %"
    if cell["sl_low"] is not None:
        ci = _("95 %% confidence interval %(lo)s–%(hi)s %%") % {
            "lo": cell["sl_low"],
            "hi": cell["sl_high"],
        }
        text += f" ({ci})"
    return text


def _num(value: float):
    """A whole number as an int, else one decimal (agents shared between queues)."""
    return round(value) if abs(value - round(value)) < 0.05 else round(value, 1)


class ScheduleDetailView(ObjectDetailView):
    model = Schedule
    template_name = "wfm/schedule_detail.html"
    fields = [
        "site",
        "week_start",
        "version",
        "status",
        "template_set",
        "created_by",
        "published_at",
        "published_by",
        "notes",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        schedule, user = self.object, self.request.user
        zone = schedule.site.zone
        cov = coverage(schedule)
        request_projection(schedule, cov)
        context["coverage"] = cov
        context["actuals"] = projected_vs_actual(schedule, cov)
        chosen = self.request.GET.get("queue", "")
        queue_row = next((q for q in cov["queues"] if str(q["id"]) == chosen), None)
        if queue_row is not None:
            context["heatmap"] = heatmap(
                queue_row["required"],
                queue_row["scheduled"],
                queue_row["service_level"],
                cov,
                zone,
                queue_row["service_level_low"],
                queue_row["service_level_high"],
            )
        else:
            context["heatmap"] = heatmap(
                cov["required"], cov["met"], cov["service_level"], cov, zone
            )
        context["heatmap_queue"] = queue_row
        names = {q["id"]: q["name"] for q in cov["queues"]}
        context.update(self._shift_days(schedule, zone))
        # one day's shifts at a time: a center of 300 agents has 1,300 a week
        start = datetime.combine(context["shift_day"], time(0), tzinfo=zone)
        shifts = list(
            schedule.shifts.select_related("employee")
            .filter(start__gte=start, start__lt=start + timedelta(days=1))
            .order_by("start", "pk")
        )
        for shift in shifts:
            shift.break_text = break_text(shift)
            shift.queue_names = ", ".join(names.get(q, str(q)) for q in shift.serves)
        context["shifts"] = shifts
        context["queue_param"] = queue_row["id"] if queue_row is not None else ""
        context["generation"] = generation_summary(schedule)
        context["zone"] = zone
        draft = schedule.status == ScheduleStatus.DRAFT
        may_change = has_model_perm(user, Schedule, "change")
        context["can_publish"] = draft and may_change
        context["publish_warnings"] = (
            publish_warnings(schedule, cov) if context["can_publish"] else []
        )
        context["can_edit_shifts"] = draft and has_model_perm(user, ScheduledShift, "change")
        context["can_copy"] = may_change and schedule.status in (
            ScheduleStatus.PUBLISHED,
            ScheduleStatus.SUPERSEDED,
            ScheduleStatus.DRAFT,
        )
        context["versions"] = Schedule.objects.filter(
            site=schedule.site, week_start=schedule.week_start
        ).order_by("-version")
        context["can_change"] = False
        context["activities"] = list(
            ShiftActivity.objects.filter(shift__schedule=schedule, shift__archived_at__isnull=True)
            .select_related("shift__employee")
            .order_by("start", "pk")
        )
        context["can_place_activities"] = schedule.status in (
            ScheduleStatus.DRAFT,
            ScheduleStatus.PUBLISHED,
        ) and has_model_perm(user, ShiftActivity, "add")
        context["can_remove_activities"] = has_model_perm(user, ShiftActivity, "delete")
        if has_model_perm(user, ScheduleFeedback, "view"):
            context["feedback"] = review.feedback_summary(schedule)
        return context

    def _shift_days(self, schedule: Schedule, zone) -> dict:
        """The day whose shifts the page lists (``?day=``, else today within the week, else
        the week's first day), each day of the week with its number of shifts, and the
        week's open shifts and rostered agents."""
        rows = list(schedule.shifts.values_list("start", "employee_id"))
        per_day = Counter(start.astimezone(zone).date() for start, _employee in rows)
        week = [schedule.week_start + timedelta(days=d) for d in range(7)]
        wanted = self.request.GET.get("day", "")
        today = timezone.localtime(timezone.now(), zone).date()
        day = next(
            (d for d in week if d.isoformat() == wanted), today if today in week else week[0]
        )
        return {
            "shift_day": day,
            "shift_days": [
                {"date": d, "count": per_day.get(d, 0), "current": d == day} for d in week
            ],
            "open_shifts": sum(1 for _start, employee in rows if employee is None),
            "rostered": len({employee for _start, employee in rows if employee}),
        }


def generation_summary(schedule: Schedule) -> list[tuple[str, str]]:
    """The generation figures as (label, value) in the reader's language."""
    summary = schedule.summary or {}
    if "shifts" not in summary:
        return []
    queues = dict(Queue.all_objects.filter(site=schedule.site).values_list("pk", "name"))
    rows = [
        (_("Shifts planned"), str(summary.get("shifts", 0))),
        (_("Shifts rostered"), str(summary.get("assigned_shifts", 0))),
        (_("Paid hours"), str(summary.get("paid_hours", 0))),
        (_("Agents considered"), str(summary.get("agents", 0))),
        (_("Understaffed agent-intervals"), str(summary.get("understaffed_agent_intervals", 0))),
        (_("Overstaffed agent-intervals"), str(summary.get("overstaffed_agent_intervals", 0))),
        (_("Lower bound of the plan's objective"), str(summary.get("lp_bound", ""))),
        (_("Objective"), str(summary.get("objective", ""))),
    ]
    pools = summary.get("pools") or []
    if pools:
        rows.append(
            (
                _("Skill sets planned"),
                "; ".join(" + ".join(queues.get(q, str(q)) for q in pool) for pool in pools),
            )
        )
    missing = summary.get("queues_without_plan") or []
    if missing:
        rows.append(
            (_("Queues without a staffing plan"), ", ".join(queues.get(q, str(q)) for q in missing))
        )
    for key, count in (summary.get("unassigned_reasons") or {}).items():
        rows.append((_("Open shifts"), f"{count}: {open_reason_text(key)}"))
    violations = summary.get("hard_rule_violations") or []
    rows.append((_("Rule violations found by the independent check"), str(len(violations))))
    return rows


def open_reason_text(key: str) -> str:
    """The coded reason a generated shift stayed open, in the reader's language."""
    code, _sep, rest = key.partition(":")
    counts = dict(part.split("=", 1) for part in rest.split(",") if "=" in part)
    words = {
        "skills": _("lack the skills"),
        "leave": _("are on leave"),
        "unavailable": _("are unavailable"),
        "rest_before_horizon": _("need their rest after last week"),
        "longer_than_contract": _("have contracts too short for it"),
        "daily_hours": _("may not work so many hours in a day"),
        "outside_horizon": _("cannot work outside the week"),
    }
    parts = ", ".join(f"{n} {words.get(r, r)}" for r, n in counts.items())
    if code == "no_agent":
        return _("no agent can work it (%(why)s)") % {"why": parts}
    return _("every agent who could is at their limits of hours, days off or rest") + (
        f" ({parts})" if parts else ""
    )


def schedule_generate(request):
    check_model_perm(request.user, Schedule, "add")
    check_model_perm(request.user, Job, "add")
    today = timezone.localdate()
    initial = {"week_start": today + timedelta(days=7 - today.weekday())}
    for name in ("week_start", "site", "template_set"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = GenerateForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            schedule = generate.schedule_generate(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.info(request, _("The schedule is being generated for every queue."))
            return redirect(schedule.get_absolute_url())
    return render(
        request,
        "core/object_form.html",
        {"form": form, "title": _("Generate a schedule"), "list_url": "../"},
    )


def _schedule_action(request, pk, call, success):
    check_model_perm(request.user, Schedule, "change")
    schedule = get_restricted_or_404(Schedule, request.user, pk, "change")
    try:
        result = call(schedule)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(schedule.get_absolute_url())
    messages.success(request, success)
    return HttpResponseRedirect(result.get_absolute_url())


@require_POST
def schedule_publish(request, pk):
    """Publish; with open shifts or a service level below target, first a page that lists
    them and asks the planner to confirm."""
    check_model_perm(request.user, Schedule, "change")
    schedule = get_restricted_or_404(Schedule, request.user, pk, "change")
    confirm = request.POST.get("confirm") == "1"
    try:
        services.schedule_publish(schedule=schedule, actor=request.user, confirm=confirm)
    except NeedsConfirmation as exc:
        return render(
            request,
            "wfm/schedule_publish_confirm.html",
            {"object": schedule, "warnings": exc.messages, "title": _("Publish the schedule?")},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(schedule.get_absolute_url())
    messages.success(
        request, _("The schedule is published; agents whose shifts changed are notified.")
    )
    return HttpResponseRedirect(schedule.get_absolute_url())


@require_POST
def schedule_copy(request, pk):
    return _schedule_action(
        request,
        pk,
        lambda s: services.schedule_create(
            site=s.site, week_start=s.week_start, copy_from=s, actor=request.user
        ),
        _("A new draft version was made from this one."),
    )


def _shift_form(request, schedule, shift=None):
    initial = {}
    if shift is not None:
        zone = schedule.site.zone
        initial = {
            "employee": shift.employee,
            "start": timezone.localtime(shift.start, zone).replace(tzinfo=None),
            "end": timezone.localtime(shift.end, zone).replace(tzinfo=None),
            "template": shift.template,
            "queues": list(shift.serves),
        }
    if shift is None:
        initial.update(_prefill(request, schedule))
    form = ShiftForm(request.POST or None, initial=initial, site=schedule.site)
    problems = None
    if request.method == "POST" and form.is_valid() and "check" in request.POST:
        # the rule check before saving: what the change would break, nothing saved
        data = form.shift_data()
        try:
            problems = services.shift_problems(
                schedule,
                employee=data["employee"],
                start=data["start"],
                end=data["end"],
                breaks=shift.breaks if shift else None,
                serves=data["queue_ids"],
                replacing=shift,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    elif request.method == "POST" and form.is_valid():
        data = form.shift_data()
        try:
            if shift is None:
                services.shift_add(schedule=schedule, actor=request.user, **data)
            else:
                services.shift_change(shift=shift, actor=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The shift is saved."))
            return redirect(schedule.get_absolute_url())
    title = _("Edit the shift") if shift else _("Add a shift")
    return render(
        request,
        "wfm/shift_form.html",
        {"form": form, "title": title, "object": shift or schedule, "problems": problems},
    )


def _prefill(request, schedule) -> dict:
    """A new shift from the grid: the agent and day clicked, a day shift by default."""
    out = {}
    employee = request.GET.get("employee", "")
    if employee.isdigit():
        out["employee"] = int(employee)
    day = request.GET.get("day", "")
    if day.isdigit() and int(day) < 7:
        start = datetime.combine(schedule.week_start + timedelta(days=int(day)), time(9))
        out.update(start=start, end=start + timedelta(hours=8, minutes=30))
    return out


def shift_add(request, pk):
    check_model_perm(request.user, ScheduledShift, "add")
    schedule = get_restricted_or_404(Schedule, request.user, pk, "change")
    return _shift_form(request, schedule)


def shift_edit(request, pk):
    check_model_perm(request.user, ScheduledShift, "change")
    shift = get_restricted_or_404(ScheduledShift, request.user, pk, "change")
    return _shift_form(request, shift.schedule, shift)


@require_POST
def shift_remove(request, pk):
    check_model_perm(request.user, ScheduledShift, "delete")
    shift = get_restricted_or_404(ScheduledShift, request.user, pk, "delete")
    try:
        services.shift_remove(shift=shift, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The shift is removed."))
    return redirect(shift.schedule.get_absolute_url())
