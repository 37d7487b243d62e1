"""Evaluation forms: list, create, versions with their sections and questions, changes
(a scoring change to a used version makes a new version), quality settings."""

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
from ccops.core.models import Site
from ccops.core.permissions import check_model_perm
from ccops.core.services import record_update
from ccops.quality import forms
from ccops.quality.filters import EvaluationFormFilter
from ccops.quality.models import (
    EvaluationForm,
    FormQuestion,
    FormSection,
    FormVersion,
    QualitySettings,
)
from ccops.quality.services import forms as services
from ccops.quality.services.common import settings_for
from ccops.quality.views.common import error


class EvaluationFormListView(ObjectListView):
    model = EvaluationForm
    filterset_class = EvaluationFormFilter
    columns = ["name", "site", "queue", "skill"]


class EvaluationFormDetailView(ObjectDetailView):
    model = EvaluationForm
    template_name = "quality/evaluationform_detail.html"
    fields = ["site", "queue", "skill", "description"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = self.object.versions.order_by("-number")
        context["versions"] = [
            {"v": v, "questions": v.questions().count(), "evaluations": v.evaluations.count()}
            for v in versions
        ]
        return context


class EvaluationFormFormView(ObjectFormView):
    model = EvaluationForm
    form_class = forms.EvaluationFormForm

    def save(self, form):
        if self.object is None:
            return services.evaluation_form_create(actor=self.request.user, **form.cleaned_data)
        return services.evaluation_form_update(
            form=self.object, actor=self.request.user, **form.cleaned_data
        )


class EvaluationFormArchiveView(ObjectArchiveView):
    model = EvaluationForm


class FormVersionDetailView(ObjectDetailView):
    model = FormVersion
    template_name = "quality/formversion_detail.html"
    fields = ["form", "number", "note", "created_at"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.object
        latest = version.form.versions.order_by("-number").first()
        can_edit = self.request.user.has_perm("quality.change_formversion") and latest == version
        sections = []
        for section in version.sections.order_by("order", "pk"):
            sections.append(
                {"s": section, "questions": list(section.questions.order_by("order", "pk"))}
            )
        total_weight = sum(s["s"].weight for s in sections) or 1
        for s in sections:
            s["share"] = round(100 * s["s"].weight / total_weight, 1)
        context.update(
            sections=sections,
            latest=latest,
            can_edit=can_edit,
            in_use=version.in_use,
            section_form=forms.SectionForm(),
            question_form=forms.QuestionForm(),
        )
        return context


def _version(request, pk) -> FormVersion:
    check_model_perm(request.user, FormVersion, "change")
    return get_restricted_or_404(FormVersion, request.user, pk)


def _saved(request, version_before: FormVersion, row) -> None:
    version = row.section.version if isinstance(row, FormQuestion) else row.version
    if version.pk != version_before.pk:
        messages.warning(
            request,
            _(
                "Version %(n)s was in use: the change made version %(m)s; earlier evaluations "
                "keep version %(n)s."
            )
            % {"n": version_before.number, "m": version.number},
        )
    else:
        messages.success(request, _("Saved."))


@require_POST
def section_add(request, pk):
    version = _version(request, pk)
    form = forms.SectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the section a title and a weight."))
        return redirect(version.get_absolute_url())
    try:
        section = services.form_section_add(
            version=version, actor=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        error(request, exc)
        return redirect(version.get_absolute_url())
    _saved(request, version, section)
    return redirect(section.version.get_absolute_url())


@require_POST
def section_edit(request, pk):
    check_model_perm(request.user, FormVersion, "change")
    section = get_restricted_or_404(FormSection, request.user, pk)
    form = forms.SectionForm(request.POST, instance=section)
    before = section.version
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(before.get_absolute_url())
    try:
        row = services.form_section_update(section=section, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        error(request, exc)
        return redirect(before.get_absolute_url())
    _saved(request, before, row)
    return redirect(row.version.get_absolute_url())


@require_POST
def question_add(request, pk):
    check_model_perm(request.user, FormVersion, "change")
    section = get_restricted_or_404(FormSection, request.user, pk)
    form = forms.QuestionForm(request.POST)
    before = section.version
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(before.get_absolute_url())
    data = dict(form.cleaned_data)
    try:
        row = services.form_question_add(section=section, actor=request.user, **data)
    except ValidationError as exc:
        error(request, exc)
        return redirect(before.get_absolute_url())
    _saved(request, before, row)
    return redirect(row.section.version.get_absolute_url())


@require_POST
def question_edit(request, pk):
    check_model_perm(request.user, FormVersion, "change")
    question = get_restricted_or_404(FormQuestion, request.user, pk)
    before = question.section.version
    form = forms.QuestionForm(request.POST, instance=FormQuestion.objects.get(pk=question.pk))
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(before.get_absolute_url())
    data = {k: form.cleaned_data[k] for k in form.changed_data}
    if not data:
        return redirect(before.get_absolute_url())
    try:
        row = services.form_question_update(question=question, actor=request.user, **data)
    except ValidationError as exc:
        error(request, exc)
        return redirect(before.get_absolute_url())
    _saved(request, before, row)
    return redirect(row.section.version.get_absolute_url())


@require_POST
def question_remove(request, pk):
    check_model_perm(request.user, FormVersion, "change")
    question = get_restricted_or_404(FormQuestion, request.user, pk)
    before = question.section.version
    try:
        version = services.form_question_remove(question=question, actor=request.user)
    except ValidationError as exc:
        error(request, exc)
        return redirect(before.get_absolute_url())
    messages.success(request, _("Question removed."))
    return redirect(version.get_absolute_url())


class QualitySettingsListView(ObjectListView):
    model = QualitySettings
    columns = ["site", "weight_service", "weight_work", "weight_skills", "weight_discipline"]

    def get_queryset(self):
        for site in Site.objects.restrict(self.request.user, "view"):
            settings_for(site)
        return super().get_queryset().select_related("site")


class QualitySettingsDetailView(ObjectDetailView):
    model = QualitySettings


class QualitySettingsFormView(ObjectFormView):
    model = QualitySettings
    form_class = forms.QualitySettingsForm

    def save(self, form):
        return record_update(
            self.object,
            data=form.cleaned_data,
            actor=self.request.user,
            verb="quality_settings_update",
        )
