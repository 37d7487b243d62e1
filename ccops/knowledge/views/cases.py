"""Pages of difficult cases: the list, recording (also from a handover's open problem),
and the case page with its timeline and the actions of whoever it waits for."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.generic import (
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.permissions import check_model_perm
from ccops.knowledge import forms
from ccops.knowledge.choices import CaseStatus
from ccops.knowledge.filters import DifficultCaseFilter
from ccops.knowledge.models import Article, Category, DifficultCase
from ccops.knowledge.services import articles, cases
from ccops.people.services import employee_for
from ccops.shiftops.models import HandoverCheck


def refused(request, exc) -> None:
    messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


class DifficultCaseListView(ObjectListView):
    model = DifficultCase
    filterset_class = DifficultCaseFilter
    template_name = "knowledge/difficultcase_list.html"
    paginate_by = 30

    def get_queryset(self):
        return (
            super().get_queryset().select_related("reported_by", "assignee", "department", "queue")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["now"] = timezone.now()
        return context


class DifficultCaseDetailView(ObjectDetailView):
    model = DifficultCase
    template_name = "knowledge/difficultcase_detail.html"
    fields = [
        "status",
        "level",
        "reported_by",
        "team",
        "queue",
        "call_reference",
        "occurred_at",
        "assignee",
        "department",
        "due_at",
        "merged_into",
        "article",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case, user = self.object, self.request.user
        handle = cases.may_handle(user, case)
        is_reporter = case.reported_by.user_id == user.pk
        context.update(
            events=case.events.select_related("by", "to_employee", "to_department", "other_case"),
            duplicates=DifficultCase.objects.filter(merged_into=case).select_related("reported_by"),
            can_handle=handle,
            can_follow_up=is_reporter and case.status == CaseStatus.ANSWERED,
            can_close=case.status == CaseStatus.ANSWERED
            and (is_reporter or cases.may_merge(user, case)),
            can_merge=cases.may_merge(user, case) and case.status != CaseStatus.MERGED,
            can_write_up=(
                user.has_perm("knowledge.add_article")
                and case.status in (CaseStatus.ANSWERED, CaseStatus.CLOSED)
                and not case.article_id
            ),
            answer_form=forms.AnswerForm(),
            escalate_form=forms.EscalateForm(experts=cases.expert_choices(case))
            if handle
            else None,
            follow_up_form=forms.FollowUpForm(),
            merge_form=forms.MergeForm(),
            from_case_form=forms.FromCaseForm(),
            now=timezone.now(),
        )
        context["field_rows"] = [
            (label, name)
            for label, name in context["field_rows"]
            if getattr(case, name) not in (None, "")
        ]
        context["can_change"] = False  # a case changes through its actions only
        return context


class DifficultCaseFormView(ObjectFormView):
    """Record a case (cases change through their actions, not an edit form)."""

    model = DifficultCase
    form_class = forms.CaseForm

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            raise PermissionDenied(
                _("A difficult case is not edited: it changes through the actions on its page.")
            )
        return super().dispatch(request, *args, **kwargs)

    def _check(self):
        pk = self.request.GET.get("check") or self.request.POST.get("check")
        if not pk or not str(pk).isdigit():
            return None
        check = HandoverCheck.objects.filter(pk=pk).select_related("handover").first()
        if check is None or not self.request.user.has_perm("shiftops.view_handover"):
            return None
        return check

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        employee = employee_for(self.request.user)
        kwargs["site"] = employee.site if employee else None
        return kwargs

    def get_initial(self):
        initial = {"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
        check = self._check()
        if check is not None:
            initial["question"] = check.note
            initial["occurred_at"] = timezone.localtime(check.handover.handover_at).strftime(
                "%Y-%m-%dT%H:%M"
            )
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Record a difficult case")
        check = self._check()
        if check is not None:
            context["title"] = _("Record the handover's open problem as a difficult case")
        return context

    def get_template_names(self):
        return ["knowledge/difficultcase_form.html"]

    def save(self, form):
        return cases.case_record(
            actor=self.request.user, handover_check=self._check(), **form.cleaned_data
        )


def _case(request, pk):
    return get_restricted_or_404(DifficultCase, request.user, pk)


@require_POST
def case_answer(request, pk):
    case = _case(request, pk)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        try:
            cases.case_answer(case=case, answer=form.cleaned_data["answer"], actor=request.user)
            messages.success(request, _("Answer recorded; the agent is notified."))
        except ValidationError as exc:
            refused(request, exc)
    else:
        messages.error(request, _("Write the answer down."))
    return redirect(case.get_absolute_url())


@require_POST
def case_escalate(request, pk):
    case = _case(request, pk)
    form = forms.EscalateForm(request.POST, experts=cases.expert_choices(case))
    if form.is_valid():
        try:
            cases.case_escalate(case=case, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Case escalated."))
        except ValidationError as exc:
            refused(request, exc)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(case.get_absolute_url())


@require_POST
def case_follow_up(request, pk):
    case = _case(request, pk)
    form = forms.FollowUpForm(request.POST)
    if form.is_valid():
        try:
            cases.case_follow_up(case=case, text=form.cleaned_data["text"], actor=request.user)
            messages.success(request, _("Follow-up question sent."))
        except ValidationError as exc:
            refused(request, exc)
    else:
        messages.error(request, _("Write the follow-up question."))
    return redirect(case.get_absolute_url())


@require_POST
def case_close(request, pk):
    case = _case(request, pk)
    try:
        cases.case_close(case=case, actor=request.user)
        messages.success(request, _("Case closed."))
    except ValidationError as exc:
        refused(request, exc)
    return redirect(case.get_absolute_url())


@require_POST
def case_merge(request, pk):
    check_model_perm(request.user, DifficultCase, "change")
    case = get_restricted_or_404(DifficultCase, request.user, pk, "change")
    form = forms.MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number of the case this one duplicates."))
        return redirect(case.get_absolute_url())
    into = (
        DifficultCase.objects.restrict(request.user, "view")
        .filter(pk=form.cleaned_data["into"])
        .first()
    )
    if into is None:
        messages.error(
            request, _("There is no case #%(n)s you can see.") % {"n": form.cleaned_data["into"]}
        )
        return redirect(case.get_absolute_url())
    try:
        cases.case_merge(duplicate=case, into=into, actor=request.user)
        messages.success(request, _("Merged into %(case)s.") % {"case": into})
    except ValidationError as exc:
        refused(request, exc)
    return redirect(case.get_absolute_url())


@require_POST
def case_to_article(request, pk):
    check_model_perm(request.user, Article, "add")
    case = _case(request, pk)
    form = forms.FromCaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the article's category."))
        return redirect(case.get_absolute_url())
    category: Category = form.cleaned_data["category"]
    try:
        article = articles.article_from_case(case=case, category=category, actor=request.user)
    except ValidationError as exc:
        refused(request, exc)
        return redirect(case.get_absolute_url())
    messages.success(request, _("Draft written from the case: check and submit it."))
    revision = articles.open_revision(article)
    return redirect(reverse("knowledge:articlerevision_edit", args=[revision.pk]))
