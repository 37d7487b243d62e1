"""Pages of the shift-operations app: handovers (checklist, questions, signatures,
amendments), the duty diary, briefings, and their configuration."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
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
from ccops.core.services import record_create, record_update
from ccops.shiftops import forms, services
from ccops.shiftops.filters import (
    BriefingFilter,
    ChecklistItemTemplateFilter,
    DutyDiaryEntryFilter,
    HandoverFilter,
    HandoverQuestionFilter,
    HandoverTimeFilter,
)
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


def _error_message(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- handovers ----------------------------------------------------------------------------


class HandoverListView(ObjectListView):
    model = Handover
    filterset_class = HandoverFilter
    columns = ["handover_at", "site", "outgoing_lead", "incoming_lead", "state", "amends"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("site", "outgoing_lead", "incoming_lead", "amends__site")
        )


class HandoverDetailView(ObjectDetailView):
    model = Handover
    template_name = "shiftops/handover_detail.html"
    fields = [
        "site",
        "handover_at",
        "outgoing_lead",
        "incoming_lead",
        "notes",
        "outgoing_signed_at",
        "outgoing_signed_by",
        "incoming_signed_at",
        "incoming_signed_by",
        "amends",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        handover = self.object
        user = self.request.user
        can_work = services.may_work_on_handover(user, handover) and not handover.is_signed
        context.update(
            checks=handover.checks.all(),
            answers=handover.answers.select_related("asked_to"),
            diary=handover.diary_entries.select_related("author"),
            amendments=Handover.objects.filter(amends=handover),
            can_check=can_work and not handover.outgoing_signed_at,
            can_ask=can_work and not handover.incoming_signed_at,
            can_mark=handover.outgoing_lead.user_id == user.pk,
            sign_outgoing=(
                not handover.outgoing_signed_at and handover.outgoing_lead.user_id == user.pk
            ),
            sign_incoming=(
                handover.outgoing_signed_at
                and not handover.is_signed
                and handover.incoming_lead.user_id == user.pk
            ),
            can_amend=handover.is_signed and user.has_perm("shiftops.add_handover"),
            check_statuses=forms.HandoverCheckForm().fields["status"].choices,
            ask_form=forms.HandoverAskForm(initial={"asked_to": handover.incoming_lead_id}),
            amend_form=forms.HandoverAmendForm(initial={"notes": handover.notes}),
        )
        context["can_change"] = context["can_change"] and not handover.outgoing_signed_at
        return context


class HandoverFormView(ObjectFormView):
    model = Handover

    def get_form_class(self):
        return forms.HandoverEditForm if self.object else forms.HandoverForm

    def _refuse_signed(self):
        if self.object is not None and self.object.outgoing_signed_at:
            if self.object.is_signed:
                messages.error(self.request, " ".join(services._locked_error(self.object).messages))
            else:
                messages.error(self.request, _("The outgoing side has signed this handover."))
            return redirect(self.object.get_absolute_url())
        return None

    def get(self, request, *args, **kwargs):
        return self._refuse_signed() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refuse_signed() or super().post(request, *args, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        if self.object is None:
            return services.handover_open(actor=self.request.user, **data)
        changed = {name: data[name] for name in form.changed_data}
        return services.handover_update(handover=self.object, actor=self.request.user, **changed)


class HandoverArchiveView(ObjectArchiveView):
    model = Handover


@require_POST
def handover_check_set(request, pk):
    check = get_object_or_404(HandoverCheck, pk=pk)
    handover = get_restricted_or_404(Handover, request.user, check.handover_id)
    services.check_may_work_on(request.user, handover)
    form = forms.HandoverCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect(handover.get_absolute_url())
    try:
        services.handover_check_set(check=check, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _error_message(request, exc)
    return redirect(handover.get_absolute_url())


@require_POST
def handover_question_ask(request, pk):
    handover = get_restricted_or_404(Handover, request.user, pk)
    services.check_may_work_on(request.user, handover)
    form = forms.HandoverAskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a question and a person."))
        return redirect(handover.get_absolute_url())
    try:
        services.handover_question_ask(handover=handover, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _error_message(request, exc)
    return redirect(handover.get_absolute_url())


@require_POST
def handover_answer_record(request, pk):
    answer = get_object_or_404(HandoverAnswer, pk=pk)
    handover = get_restricted_or_404(Handover, request.user, answer.handover_id)
    services.check_may_work_on(request.user, handover)
    form = forms.HandoverAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write down the answer and mark it."))
        return redirect(handover.get_absolute_url())
    try:
        services.handover_answer_record(
            answer=answer,
            text=form.cleaned_data["answer"],
            correct=form.cleaned_data["correct"],
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
    return redirect(handover.get_absolute_url())


@require_POST
def handover_sign(request, pk):
    handover = get_restricted_or_404(Handover, request.user, pk)
    form = forms.HandoverSignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Sign as the outgoing or the incoming side."))
        return redirect(handover.get_absolute_url())
    try:
        side = form.cleaned_data["side"]
        services.handover_sign(handover=handover, side=side, actor=request.user)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("Signed."))
    return redirect(handover.get_absolute_url())


def handover_amend(request, pk):
    check_model_perm(request.user, Handover, "add")
    handover = get_restricted_or_404(Handover, request.user, pk)
    form = forms.HandoverAmendForm(request.POST or None, initial={"notes": handover.notes})
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.handover_amend(
                handover=handover, notes=form.cleaned_data["notes"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Amendment recorded: both sides sign it again."))
            return redirect(amendment.get_absolute_url())
    return render(
        request,
        "core/object_form.html",
        {
            "form": form,
            "object": handover,
            "title": _("Amend %(handover)s") % {"handover": handover},
        },
    )


# --- duty diary ---------------------------------------------------------------------------


class DutyDiaryEntryListView(ObjectListView):
    model = DutyDiaryEntry
    filterset_class = DutyDiaryEntryFilter
    columns = ["time", "site", "category", "text", "author", "handover"]

    def get_queryset(self):
        return super().get_queryset().select_related("site", "author", "handover__site")


class DutyDiaryEntryDetailView(ObjectDetailView):
    model = DutyDiaryEntry


class DutyDiaryEntryFormView(ObjectFormView):
    model = DutyDiaryEntry

    def get_form_class(self):
        return forms.DutyDiaryEntryEditForm if self.object else forms.DutyDiaryEntryForm

    def save(self, form):
        data = form.cleaned_data
        if self.object is None:
            return services.diary_entry_write(actor=self.request.user, **data)
        return services.diary_entry_update(entry=self.object, actor=self.request.user, **data)


class DutyDiaryEntryArchiveView(ObjectArchiveView):
    model = DutyDiaryEntry


# --- briefings ----------------------------------------------------------------------------


class BriefingListView(ObjectListView):
    model = Briefing
    filterset_class = BriefingFilter
    columns = ["held_at", "kind", "site", "team", "led_by"]

    def get_queryset(self):
        return super().get_queryset().select_related("site", "team", "led_by")


class BriefingDetailView(ObjectDetailView):
    model = Briefing
    template_name = "shiftops/briefing_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["attendees"] = self.object.attendees.order_by("full_name")
        return context


class BriefingFormView(ObjectFormView):
    model = Briefing
    form_class = forms.BriefingForm

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return services.briefing_record(actor=self.request.user, **data)
        return services.briefing_update(briefing=self.object, actor=self.request.user, **data)


class BriefingArchiveView(ObjectArchiveView):
    model = Briefing


# --- configuration: handover times, checklist template, question bank ---------------------


class HandoverTimeListView(ObjectListView):
    model = HandoverTime
    filterset_class = HandoverTimeFilter
    columns = ["name", "site", "time", "grace_minutes"]


class HandoverTimeDetailView(ObjectDetailView):
    model = HandoverTime


class HandoverTimeFormView(ObjectFormView):
    model = HandoverTime
    form_class = forms.HandoverTimeForm


class HandoverTimeArchiveView(ObjectArchiveView):
    model = HandoverTime


class ChecklistItemTemplateListView(ObjectListView):
    model = ChecklistItemTemplate
    filterset_class = ChecklistItemTemplateFilter
    columns = ["text", "category", "site", "order"]


class ChecklistItemTemplateDetailView(ObjectDetailView):
    model = ChecklistItemTemplate


class ChecklistItemTemplateFormView(ObjectFormView):
    model = ChecklistItemTemplate
    form_class = forms.ChecklistItemTemplateForm


class ChecklistItemTemplateArchiveView(ObjectArchiveView):
    model = ChecklistItemTemplate


class HandoverQuestionListView(ObjectListView):
    model = HandoverQuestion
    filterset_class = HandoverQuestionFilter
    columns = ["text", "topic", "kind", "points", "for_handovers", "for_tests"]


class HandoverQuestionDetailView(ObjectDetailView):
    """A question of the one bank shared by handovers and the quality app's skills tests."""

    model = HandoverQuestion
    template_name = "shiftops/handoverquestion_detail.html"
    fields = ["topic", "text", "kind", "answer_true", "expected_answer", "points"]
    fields += ["for_handovers", "for_tests"]


class HandoverQuestionFormView(ObjectFormView):
    model = HandoverQuestion
    form_class = forms.HandoverQuestionForm

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return record_create(HandoverQuestion, data=data, actor=self.request.user)
        return record_update(self.object, data=data, actor=self.request.user)


class HandoverQuestionArchiveView(ObjectArchiveView):
    model = HandoverQuestion
