"""Agent self-service: my schedule, calendar feed, time-off and swap requests, and the
managers' decisions on requests."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.generic import (
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.models import Queue
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.people.services import employee_for
from ccops.wfm import services
from ccops.wfm.choices import RequestStatus, SwapStatus
from ccops.wfm.filters import ShiftFilter, SwapFilter, TimeOffFilter
from ccops.wfm.forms import DecisionForm, FeedbackForm, SwapForm, TimeOffForm
from ccops.wfm.models import (
    CalendarFeedToken,
    ScheduledShift,
    ScheduleFeedback,
    ShiftSwapRequest,
    TimeOffRequest,
)
from ccops.wfm.services import leave as leave_services
from ccops.wfm.services.calendar import break_text, my_shifts, shifts_ical


def _error_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def my_schedule(request):
    """The agent's published shifts of the coming weeks, requests and calendar feed."""
    check_model_perm(request.user, ScheduledShift, "view")
    employee = employee_for(request.user)
    now = timezone.now()
    shifts = []
    if employee is not None:
        since = now - timedelta(days=7) if request.GET.get("past") else now - timedelta(hours=12)
        shifts = list(
            my_shifts(employee, since=since, until=now + timedelta(days=35)).prefetch_related(
                "activities"
            )
        )
        for shift in shifts:
            shift.break_text = break_text(shift)
    # feedback on the published weeks the agent works (the planners read it)
    schedules = list({s.schedule_id: s.schedule for s in shifts}.values())
    given = (
        set(
            ScheduleFeedback.objects.filter(employee=employee, schedule__in=schedules).values_list(
                "schedule_id", flat=True
            )
        )
        if employee
        else set()
    )
    leave = (
        TimeOffRequest.objects.filter(employee=employee, end__gt=now).order_by("start")
        if employee
        else []
    )
    swaps = (
        ShiftSwapRequest.objects.filter(participants=employee)
        .filter(status__in=[SwapStatus.REQUESTED, SwapStatus.ACCEPTED])
        .select_related("requester", "colleague", "shift", "colleague_shift")
        if employee
        else []
    )
    feed = CalendarFeedToken.objects.filter(user=request.user).first()
    feed_url = request.session.get("wfm_feed_url") if feed else None
    year = timezone.localtime(now, employee.site.zone).year if employee else now.year
    return render(
        request,
        "wfm/my_schedule.html",
        {
            "employee": employee,
            "shifts": shifts,
            "zone": employee.site.zone if employee else None,
            "leave": leave,
            "balances": leave_services.employee_balances(employee, year),
            "balance_year": year,
            "swaps": swaps,
            "feed": feed,
            "feed_url": feed_url,
            "feedback_schedules": [
                (x, x.pk in given, FeedbackForm(auto_id=f"id_feedback{x.pk}_%s", label_suffix=""))
                for x in schedules
            ],
            "title": _("My schedule"),
        },
    )


@require_POST
def calendar_feed_create(request):
    check_model_perm(request.user, CalendarFeedToken, "add")
    _token, raw = services.calendar_feed_create(actor=request.user)
    # the feed speaks the language of the page it was made on (calendar apps send no cookie)
    url = request.build_absolute_uri(
        f"{reverse('wfm:calendar_feed', args=[raw])}?lang={translation.get_language()}"
    )
    request.session["wfm_feed_url"] = url
    messages.success(request, _("Your calendar feed address: %(url)s") % {"url": url})
    return redirect("wfm:my_schedule")


@require_POST
def calendar_feed_revoke(request):
    check_model_perm(request.user, CalendarFeedToken, "delete")
    services.calendar_feed_revoke(actor=request.user)
    request.session.pop("wfm_feed_url", None)
    messages.success(request, _("Your calendar feed is revoked."))
    return redirect("wfm:my_schedule")


@login_not_required
def calendar_feed(request, token: str):
    """The iCalendar feed of the user whose secret is in the URL (no session needed)."""
    user = services.calendar_feed_user(token)
    employee = employee_for(user) if user else None
    if employee is None:
        raise Http404(_("This calendar feed is unknown or was revoked."))
    language = request.GET.get("lang", "")
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = settings.CCOPS_EMAIL_LANGUAGE
    with translation.override(language):
        body = shifts_ical(employee, host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="shifts.ics"'
    return response


# --- shifts -------------------------------------------------------------------------------


class ShiftListView(ObjectListView):
    model = ScheduledShift
    filterset_class = ShiftFilter
    columns = ["start", "end", "employee", "queue", "template", "schedule"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("employee", "queue__site", "schedule__site")
            .defer("schedule__summary")
        )


class ShiftDetailView(ObjectDetailView):
    model = ScheduledShift
    # the breaks as clock times of the site, the queues by name (not the stored JSON)
    fields = ["schedule", "employee", "start", "end", "break_list", "template", "queue_list"]

    def get_context_data(self, **kwargs):
        shift = self.object
        shift.break_list = break_text(shift)
        names = dict(
            Queue.all_objects.filter(pk__in=shift.queue_ids or []).values_list("pk", "name")
        )
        shift.queue_list = ", ".join(names.get(q, str(q)) for q in shift.queue_ids or [])
        return super().get_context_data(**kwargs)


# --- time off -----------------------------------------------------------------------------


class TimeOffListView(ObjectListView):
    model = TimeOffRequest
    filterset_class = TimeOffFilter
    columns = [
        "employee",
        "kind",
        "start",
        "end",
        "day_part",
        "days",
        "emergency",
        "status",
        "decided_by",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("employee", "decided_by")


class TimeOffDetailView(ObjectDetailView):
    model = TimeOffRequest
    template_name = "wfm/timeoffrequest_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj, user = self.object, self.request.user
        pending = obj.status == RequestStatus.REQUESTED
        context["can_decide"] = (
            pending
            and has_model_perm(user, TimeOffRequest, "change")
            and obj.employee.user_id != user.pk
        )
        context["can_cancel"] = obj.employee.user_id == user.pk and obj.status in (
            RequestStatus.REQUESTED,
            RequestStatus.APPROVED,
        )
        context["decision_form"] = DecisionForm()
        context["can_change"] = False
        if pending or obj.status == RequestStatus.APPROVED:
            conflicts = services.leave_conflicts(obj) if context["can_decide"] else []
            context["summary"] = leave_services.decision_summary(obj, conflicts)
            zone = obj.employee.site.zone
            context["calendar_month"] = timezone.localtime(obj.start, zone).strftime("%Y-%m")
        return context


class TimeOffFormView(ObjectFormView):
    model = TimeOffRequest
    form_class = TimeOffForm
    template_name = "wfm/timeoffrequest_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        employee = employee_for(self.request.user)
        if employee is not None:
            year = timezone.localtime(timezone.now(), employee.site.zone).year
            context["balances"] = leave_services.employee_balances(employee, year)
            context["balance_year"] = year
        return context

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def save(self, form):
        data = dict(form.cleaned_data)
        employee = data.pop("employee", None) or employee_for(self.request.user)
        if employee is None:
            raise ValidationError(_("Your account has no employee record."))
        try:
            return services.time_off_request(employee=employee, actor=self.request.user, **data)
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from None


def _act(request, model, pk, action_perm, call, success):
    """Run a decision service on a row the user may see; errors become messages."""
    if action_perm:
        check_model_perm(request.user, model, action_perm)
    obj = get_restricted_or_404(model, request.user, pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        call(obj, note)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, success)
    return HttpResponseRedirect(obj.get_absolute_url())


@require_POST
def time_off_approve(request, pk):
    return _act(
        request,
        TimeOffRequest,
        pk,
        "change",
        lambda o, note: services.time_off_approve(request=o, actor=request.user, note=note),
        _("The time off is approved."),
    )


@require_POST
def time_off_reject(request, pk):
    return _act(
        request,
        TimeOffRequest,
        pk,
        "change",
        lambda o, note: services.time_off_reject(request=o, actor=request.user, note=note),
        _("The time off is rejected."),
    )


@require_POST
def time_off_cancel(request, pk):
    return _act(
        request,
        TimeOffRequest,
        pk,
        None,
        lambda o, note: services.time_off_cancel(request=o, actor=request.user),
        _("The request is cancelled."),
    )


# --- swaps --------------------------------------------------------------------------------


class SwapListView(ObjectListView):
    model = ShiftSwapRequest
    filterset_class = SwapFilter
    columns = ["requester", "shift", "colleague", "colleague_shift", "status", "decided_by"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("requester", "colleague", "shift", "colleague_shift", "decided_by")
        )


class SwapDetailView(ObjectDetailView):
    model = ShiftSwapRequest
    template_name = "wfm/shiftswaprequest_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj, user = self.object, self.request.user
        parties = {obj.requester.user_id, obj.colleague.user_id}
        context["can_accept"] = (
            obj.status == SwapStatus.REQUESTED and obj.colleague.user_id == user.pk
        )
        context["can_decide"] = (
            obj.status == SwapStatus.ACCEPTED
            and has_model_perm(user, ShiftSwapRequest, "change")
            and user.pk not in parties
        )
        context["can_cancel"] = obj.requester.user_id == user.pk and obj.status in (
            SwapStatus.REQUESTED,
            SwapStatus.ACCEPTED,
        )
        context["problems"] = (
            services.swap_violations(obj)
            if obj.status in (SwapStatus.REQUESTED, SwapStatus.ACCEPTED)
            else []
        )
        context["decision_form"] = DecisionForm()
        context["can_change"] = False
        return context


class SwapFormView(ObjectFormView):
    model = ShiftSwapRequest
    form_class = SwapForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def save(self, form):
        try:
            return services.shift_swap_request(actor=self.request.user, **form.cleaned_data)
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from None


@require_POST
def swap_accept(request, pk):
    return _act(
        request,
        ShiftSwapRequest,
        pk,
        None,
        lambda o, note: services.shift_swap_accept(swap=o, actor=request.user),
        _("You accepted the swap; it now waits for a manager."),
    )


@require_POST
def swap_approve(request, pk):
    return _act(
        request,
        ShiftSwapRequest,
        pk,
        "change",
        lambda o, note: services.shift_swap_approve(swap=o, actor=request.user, note=note),
        _("The swap is approved and the shifts have changed hands."),
    )


@require_POST
def swap_reject(request, pk):
    return _act(
        request,
        ShiftSwapRequest,
        pk,
        None,
        lambda o, note: services.shift_swap_reject(swap=o, actor=request.user, note=note),
        _("The swap is rejected."),
    )


@require_POST
def swap_cancel(request, pk):
    return _act(
        request,
        ShiftSwapRequest,
        pk,
        None,
        lambda o, note: services.shift_swap_cancel(swap=o, actor=request.user),
        _("The swap is cancelled."),
    )
