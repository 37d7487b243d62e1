"""Pages of the meetings app: meetings, action items (progress, confirmation), emergency
meeting requests (approval chain), experience exchanges and lessons."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.generic import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.permissions import check_model_perm
from ccops.meetings import forms, services
from ccops.meetings.filters import (
    ActionItemFilter,
    EmergencyMeetingRequestFilter,
    ExperienceExchangeFilter,
    MeetingFilter,
)
from ccops.meetings.models import ActionItem, EmergencyMeetingRequest, ExperienceExchange, Meeting


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- meetings -----------------------------------------------------------------------------


class MeetingListView(ObjectListView):
    model = Meeting
    filterset_class = MeetingFilter
    columns = ["title", "kind", "starts_at", "site", "chair", "status"]

    def get_queryset(self):
        return super().get_queryset().select_related("site", "chair")


class MeetingDetailView(ObjectDetailView):
    model = Meeting
    template_name = "meetings/meeting_detail.html"
    fields = ["kind", "site", "starts_at", "location", "chair", "status", "emergency_request"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        context.update(
            attendees=meeting.attendees.order_by("full_name"),
            items=meeting.action_items.select_related("owner"),
            earlier_open=services.open_items_of_earlier_meetings(meeting),
            can_add_item=self.request.user.has_perm("meetings.add_actionitem"),
        )
        return context


class MeetingFormView(ObjectFormView):
    model = Meeting

    def get_form_class(self):
        return forms.MeetingEditForm if self.object else forms.MeetingForm

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return services.meeting_schedule(actor=self.request.user, **data)
        return services.meeting_update(meeting=self.object, actor=self.request.user, **data)


class MeetingArchiveView(ObjectArchiveView):
    model = Meeting


# --- action items -------------------------------------------------------------------------


class ActionItemListView(ObjectListView):
    model = ActionItem
    filterset_class = ActionItemFilter
    columns = ["title", "owner", "due_date", "status", "meeting"]

    def get_queryset(self):
        return super().get_queryset().select_related("owner", "meeting")


class ActionItemDetailView(ObjectDetailView):
    model = ActionItem
    template_name = "meetings/actionitem_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        context.update(
            progress=item.progress.select_related("reported_by"),
            can_report=item.is_open and item.owner.user_id == user.pk,
            can_close=item.is_open and services.may_close(user, item),
            progress_form=forms.ProgressForm(),
            close_form=forms.CloseForm(),
        )
        return context


class ActionItemFormView(ObjectFormView):
    model = ActionItem

    def get_form_class(self):
        return forms.ActionItemEditForm if self.object else forms.ActionItemForm

    def get_initial(self):
        initial = super().get_initial()
        if "meeting" in self.request.GET:
            initial["meeting"] = self.request.GET["meeting"]
        return initial

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return services.action_item_assign(actor=self.request.user, **data)
        return services.action_item_update(item=self.object, actor=self.request.user, **data)


class ActionItemArchiveView(ObjectArchiveView):
    model = ActionItem


@require_POST
def action_item_progress(request, pk):
    item = get_restricted_or_404(ActionItem, request.user, pk)
    form = forms.ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.action_item_report_progress(
                item=item,
                text=form.cleaned_data["text"],
                done=form.cleaned_data["done"],
                actor=request.user,
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request,
                _("Reported as done: it is closed when the one who assigned it confirms.")
                if form.cleaned_data["done"]
                else _("The progress is recorded."),
            )
    else:
        messages.error(request, _("Describe the progress."))
    return redirect(item.get_absolute_url())


@require_POST
def action_item_close(request, pk):
    check_model_perm(request.user, ActionItem, "change")
    item = get_restricted_or_404(ActionItem, request.user, pk)
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Close as done or cancelled."))
        return redirect(item.get_absolute_url())
    try:
        services.action_item_close(
            item=item, outcome=form.cleaned_data["outcome"], actor=request.user
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The action item is closed."))
    return redirect(item.get_absolute_url())


# --- emergency-meeting requests -----------------------------------------------------------


class EmergencyMeetingRequestListView(ObjectListView):
    model = EmergencyMeetingRequest
    filterset_class = EmergencyMeetingRequestFilter
    columns = ["id", "requested_by", "site", "proposed_at", "status"]

    def get_queryset(self):
        return super().get_queryset().select_related("requested_by", "site")


class EmergencyMeetingRequestDetailView(ObjectDetailView):
    model = EmergencyMeetingRequest
    template_name = "meetings/emergencymeetingrequest_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            decisions=self.object.decisions.select_related("decided_by"),
            can_decide=services.requests_waiting_for(user).filter(pk=self.object.pk).exists(),
            decide_form=forms.DecideForm(),
            meeting=Meeting.objects.filter(emergency_request=self.object).first(),
        )
        return context


class EmergencyMeetingRequestFormView(ObjectFormView):
    model = EmergencyMeetingRequest
    form_class = forms.EmergencyMeetingRequestForm

    def save(self, form):
        return services.emergency_request_raise(actor=self.request.user, **form.cleaned_data)


@require_POST
def emergency_request_decide(request, pk):
    check_model_perm(request.user, EmergencyMeetingRequest, "change")
    emergency = get_restricted_or_404(EmergencyMeetingRequest, request.user, pk, "change")
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Approve or reject the request."))
        return redirect(emergency.get_absolute_url())
    try:
        services.emergency_request_decide(
            request=emergency, actor=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        _error(request, exc)
    return redirect(emergency.get_absolute_url())


# --- experience exchanges -----------------------------------------------------------------


class ExperienceExchangeListView(ObjectListView):
    model = ExperienceExchange
    filterset_class = ExperienceExchangeFilter
    columns = ["topic", "held_on", "site"]


class ExperienceExchangeDetailView(ObjectDetailView):
    model = ExperienceExchange
    template_name = "meetings/experienceexchange_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            participants=self.object.participants.order_by("full_name"),
            lessons=self.object.lessons.all(),
            lesson_form=forms.LessonForm(),
        )
        return context


class ExperienceExchangeFormView(ObjectFormView):
    model = ExperienceExchange
    form_class = forms.ExperienceExchangeForm

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return services.experience_exchange_record(actor=self.request.user, **data)
        return services.experience_exchange_update(
            exchange=self.object, actor=self.request.user, **data
        )


class ExperienceExchangeArchiveView(ObjectArchiveView):
    model = ExperienceExchange


@require_POST
def experience_lesson_add(request, pk):
    check_model_perm(request.user, ExperienceExchange, "change")
    exchange = get_restricted_or_404(ExperienceExchange, request.user, pk, "change")
    form = forms.LessonForm(request.POST)
    if form.is_valid():
        try:
            services.experience_lesson_add(
                exchange=exchange, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Write the lesson down."))
    return redirect(exchange.get_absolute_url())
