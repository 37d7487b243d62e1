"""Pages of shift template sets and schedules: generation, coverage heat-map, manual edits,
publishing, versions."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.generic import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.models import Job
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.wfm import services
from ccops.wfm.choices import ScheduleStatus
from ccops.wfm.filters import ScheduleFilter, TemplateSetFilter
from ccops.wfm.forms import GenerateForm, ShiftForm, TemplateSetForm
from ccops.wfm.models import Schedule, ScheduledShift, ShiftTemplateSet
from ccops.wfm.services import generate
from ccops.wfm.services.calendar import break_text


class TemplateSetListView(ObjectListView):
    model = ShiftTemplateSet
    filterset_class = TemplateSetFilter
    columns = ["name", "site", "description", "updated_at"]


class TemplateSetDetailView(ObjectDetailView):
    model = ShiftTemplateSet
    template_name = "wfm/shifttemplateset_detail.html"
    fields = ["site", "name", "description"]


class TemplateSetFormView(ObjectFormView):
    model = ShiftTemplateSet
    form_class = TemplateSetForm


class TemplateSetArchiveView(ObjectArchiveView):
    model = ShiftTemplateSet


class ScheduleListView(ObjectListView):
    model = Schedule
    filterset_class = ScheduleFilter
    columns = ["week_start", "version", "site", "status", "plan", "created_by", "published_at"]

    def get_queryset(self):
        return super().get_queryset().select_related("site", "plan", "created_by")


def heatmap(cov: dict, zone) -> dict:
    """Rows (time of day) x columns (days) of required/scheduled for the template."""
    ipd, im = cov["intervals_per_day"], cov["interval_minutes"]
    origin = cov["origin"]
    req, sch, sl = cov["required"], cov["scheduled"], cov["service_level"]
    days = [(origin + timedelta(days=d)).astimezone(zone).date() for d in range(7)]
    rows = []
    for k in range(ipd):
        cells = []
        for d in range(7):
            i = d * ipd + k
            gap = int(sch[i] - req[i])
            level = "ok" if gap == 0 else ("under" if gap < 0 else "over")
            strength = min(4, abs(gap)) if gap else 0
            cells.append(
                {
                    "required": int(req[i]),
                    "scheduled": int(sch[i]),
                    "gap": gap,
                    "css": f"{level}{strength}" if req[i] or sch[i] else "empty",
                    "sl": None if sl[i] != sl[i] else round(float(sl[i]) * 100),
                }
            )
        if any(c["required"] or c["scheduled"] for c in cells):
            label = (origin + timedelta(minutes=k * im)).astimezone(zone).strftime("%H:%M")
            rows.append({"time": label, "cells": cells})
    return {"days": days, "rows": rows}


class ScheduleDetailView(ObjectDetailView):
    model = Schedule
    template_name = "wfm/schedule_detail.html"
    fields = [
        "site",
        "week_start",
        "version",
        "status",
        "plan",
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
        cov = generate.coverage(schedule)
        context["coverage"] = cov
        context["heatmap"] = heatmap(cov, zone)
        shifts = list(schedule.shifts.select_related("employee", "queue").order_by("start"))
        for shift in shifts:
            shift.break_text = break_text(shift)
        context["shifts"] = shifts
        context["summary"] = {
            k: v
            for k, v in (schedule.summary or {}).items()
            if k not in {"need", "calls", "aht_seconds"}
        }
        context["zone"] = zone
        draft = schedule.status == ScheduleStatus.DRAFT
        may_change = has_model_perm(user, Schedule, "change")
        context["can_publish"] = draft and may_change
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
        return context


def schedule_generate(request):
    check_model_perm(request.user, Schedule, "add")
    check_model_perm(request.user, Job, "add")
    today = timezone.localdate()
    initial = {"week_start": today + timedelta(days=7 - today.weekday())}
    form = GenerateForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            schedule = generate.schedule_generate(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.info(request, _("The schedule is being generated."))
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
    return _schedule_action(
        request,
        pk,
        lambda s: services.schedule_publish(schedule=s, actor=request.user),
        _("The schedule is published and the agents are notified."),
    )


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
        }
    form = ShiftForm(request.POST or None, initial=initial, site=schedule.site)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if shift is None:
                services.shift_add(
                    schedule=schedule,
                    actor=request.user,
                    queue=schedule.plan.queue if schedule.plan else None,
                    **data,
                )
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
        "core/object_form.html",
        {"form": form, "title": title, "object": shift or schedule},
    )


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
