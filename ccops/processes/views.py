"""Pages of the process register (processes, versions, review) and of the improvement
projects (the board by step, a project's steps with their content and evidence)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core.generic import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.links import linkable_types, visible_target
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.people.services import employee_for
from ccops.processes import forms, services
from ccops.processes.choices import PDCA_PHASE, ProjectStatus, Step, VersionStatus
from ccops.processes.filters import ImprovementProjectFilter, ProcessFilter
from ccops.processes.models import ImprovementProject, Process, ProcessVersion

#: Record types offered first as evidence and as standardisation targets.
EVIDENCE_WORDS = ("evaluation", "qa", "incident", "complaint", "fault")
STANDARD_WORDS = ("article", "manual", "revision")


def _errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errs)}" if name in form.fields else " ".join(errs)
        for name, errs in form.errors.items()
    )


# --- processes --------------------------------------------------------------------------------


class ProcessListView(ObjectListView):
    model = Process
    filterset_class = ProcessFilter
    columns = ["code", "name", "category", "owner", "reviewer_role_name", "version_in_effect"]

    def get_queryset(self):
        return super().get_queryset().select_related("owner")


class ProcessDetailView(ObjectDetailView):
    model = Process
    template_name = "processes/process_detail.html"
    fields = [
        "code",
        "name",
        "category",
        "owner",
        "reviewer_role_name",
        "purpose",
        "version_in_effect",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        process, user = self.object, self.request.user
        versions = process.versions.select_related("author", "signed_by", "project")
        context.update(
            versions=versions,
            current=process.version_in_effect(),
            open_version=versions.filter(
                status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW]
            ).first(),
            can_draft=has_model_perm(user, ProcessVersion, "add")
            and services.may_edit_process(user, process),
            projects=process.projects.select_related("lead"),
            can_start=has_model_perm(user, ImprovementProject, "add"),
        )
        context["can_change"] = context["can_change"] and services.may_edit_process(user, process)
        return context


class ProcessFormView(ObjectFormView):
    model = Process

    def get_form_class(self):
        return forms.ProcessEditForm if self.object else forms.ProcessForm

    def get_initial(self):
        initial = super().get_initial()
        if self.object is None:
            initial["effective_from"] = timezone.localdate()
        return initial

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return services.process_register(actor=self.request.user, **data)
        changed = {name: data[name] for name in form.changed_data}
        return services.process_update(process=self.object, actor=self.request.user, **changed)


class ProcessArchiveView(ObjectArchiveView):
    model = Process


# --- versions -----------------------------------------------------------------------------------


class ProcessVersionDetailView(ObjectDetailView):
    model = ProcessVersion
    template_name = "processes/processversion_detail.html"
    fields = [
        "process",
        "number",
        "status",
        "effective_from",
        "in_effect",
        "change_summary",
        "author",
        "submitted_at",
        "signed_by",
        "signed_at",
        "review_note",
        "project",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version, user = self.object, self.request.user
        editable = version.status == VersionStatus.DRAFT and (
            version.author_id == user.pk or services.may_edit_process(user, version.process)
        )
        context.update(
            can_submit=editable,
            can_edit_draft=editable,
            can_review=version.status == VersionStatus.IN_REVIEW
            and services.may_review(user, version),
            review_form=forms.ReviewForm(),
            previous=version.process.versions.filter(
                number__lt=version.number, status=VersionStatus.APPROVED
            )
            .order_by("-number")
            .first(),
        )
        return context


def version_add(request, pk):
    """Draft the next version of a process."""
    check_model_perm(request.user, ProcessVersion, "add")
    process = get_restricted_or_404(Process, request.user, pk)
    current = process.version_in_effect()
    form = forms.VersionForm(
        request.POST or None,
        initial={
            "description": current.description if current else "",
            "effective_from": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_draft(
                process=process, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Draft saved: submit it for review when it is ready."))
            return redirect(version.get_absolute_url())
    return render(
        request,
        "core/object_form.html",
        {
            "form": form,
            "title": _("Propose a change of %(process)s") % {"process": process},
            "object": process,
        },
    )


class ProcessVersionFormView(ObjectFormView):
    model = ProcessVersion
    form_class = forms.VersionForm

    def save(self, form):
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        return services.version_update(version=self.object, actor=self.request.user, **changed)


def _post(model, pk, request, perm, call, success):
    if request.method != "POST":
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["POST"])
    check_model_perm(request.user, model, perm)
    obj = get_restricted_or_404(model, request.user, pk)
    try:
        result = call(obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(obj.get_absolute_url())
    messages.success(request, success)
    target = result if hasattr(result, "get_absolute_url") else obj
    return redirect(target.get_absolute_url())


def version_submit(request, pk):
    return _post(
        ProcessVersion,
        pk,
        request,
        "change",
        lambda v: services.version_submit(version=v, actor=request.user),
        _("Sent for review."),
    )


def version_review(request, pk):
    form = forms.ReviewForm(request.POST)

    def call(version):
        if not form.is_valid():
            raise ValidationError(_errors(form))
        return services.version_review(version=version, actor=request.user, **form.cleaned_data)

    return _post(ProcessVersion, pk, request, "view", call, _("Review recorded and signed."))


# --- projects -----------------------------------------------------------------------------------


class ImprovementProjectListView(ObjectListView):
    model = ImprovementProject
    filterset_class = ImprovementProjectFilter
    template_name = "processes/improvementproject_list.html"
    columns = ["title", "process", "lead", "step", "status", "created_at"]

    def get_queryset(self):
        return super().get_queryset().select_related("process", "lead")


def project_board(request):
    """The board: active projects in a column per step, and the latest completed."""
    check_model_perm(request.user, ImprovementProject, "view")
    rows = ImprovementProject.objects.restrict(request.user, "view").select_related(
        "process", "lead"
    )
    process = request.GET.get("process")
    if process and process.isdigit():
        rows = rows.filter(process_id=int(process))
    active = list(rows.filter(status=ProjectStatus.ACTIVE).order_by("updated_at"))
    columns = [
        {
            "step": step,
            "label": label,
            "phase": PDCA_PHASE[step],
            "projects": [p for p in active if p.step == step],
        }
        for step, label in Step.choices
    ]
    for column in columns:
        for project in column["projects"]:
            project.gaps = services.step_gaps(project)
    return render(
        request,
        "processes/board.html",
        {
            "title": _("Improvement projects by step"),
            "columns": columns,
            "completed": rows.filter(status=ProjectStatus.COMPLETED).order_by("-closed_at")[:10],
            "processes": Process.objects.restrict(request.user, "view"),
            "process": process,
            "can_add": has_model_perm(request.user, ImprovementProject, "add"),
        },
    )


class ImprovementProjectDetailView(ObjectDetailView):
    model = ImprovementProject
    template_name = "processes/improvementproject_detail.html"
    fields = ["process", "lead", "step", "status", "closed_at", "closing_note"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, user = self.object, self.request.user
        may_work = project.is_active and services.may_work_on_project(user, project)
        evidence = []
        for item in project.evidence.filter(archived_at__isnull=True).select_related(
            "content_type", "queue"
        ):
            target = (
                visible_target(user, item.content_type, item.object_id)
                if item.content_type_id
                else None
            )
            evidence.append((item, target))
        standards = []
        for item in project.standardisations.select_related("content_type", "process_version"):
            target = (
                visible_target(user, item.content_type, item.object_id)
                if item.content_type_id
                else None
            )
            standards.append((item, target))
        step_form = forms.step_form_class(project.step)(instance=project, user=user)
        current = project.process.version_in_effect()
        context.update(
            members=project.members.order_by("full_name"),
            steps=[
                {
                    "step": s,
                    "label": label,
                    "phase": PDCA_PHASE[s],
                    "done": s < project.step or project.status == ProjectStatus.COMPLETED,
                    "current": s == project.step and project.is_active,
                }
                for s, label in Step.choices
            ],
            records=project.step_records.select_related("signed_by"),
            gaps=services.step_gaps(project) if project.is_active else [],
            may_work=may_work,
            may_pass=project.is_active and services.may_pass_step(user, project),
            step_form=step_form if may_work and forms.STEP_FORM_FIELDS[project.step] else None,
            evidence=evidence,
            countermeasures=project.countermeasures.filter(archived_at__isnull=True).select_related(
                "action_item__owner"
            ),
            standards=standards,
            evidence_record_form=forms.EvidenceRecordForm(
                types=linkable_types(user, prefer=EVIDENCE_WORDS)
            ),
            evidence_stats_form=forms.EvidenceStatsForm(
                user=user, initial={"queue": project.queue_id}
            ),
            countermeasure_form=forms.CountermeasureForm(user=user),
            standard_link_form=forms.StandardiseLinkForm(
                types=linkable_types(user, prefer=STANDARD_WORDS)
            ),
            standard_version_form=forms.StandardiseVersionForm(
                initial={
                    "description": current.description if current else "",
                    "change_summary": _("Standardised from the improvement project “%(project)s”.")
                    % {"project": project.title},
                    "effective_from": timezone.localdate(),
                }
            ),
            cancel_form=forms.NoteForm(),
            can_measure=may_work and project.queue_id and project.stat_metric,
        )
        context["can_change"] = False
        return context


class ImprovementProjectFormView(ObjectFormView):
    model = ImprovementProject
    form_class = forms.ProjectStartForm

    def get_initial(self):
        initial = super().get_initial()
        if "process" in self.request.GET:
            initial["process"] = self.request.GET["process"]
        employee = employee_for(self.request.user)
        if employee is not None:
            initial["lead"] = employee.pk
        return initial

    def save(self, form):
        data = dict(form.cleaned_data)
        members = data.pop("members", [])
        return services.project_start(actor=self.request.user, members=members, **data)


class ImprovementProjectArchiveView(ObjectArchiveView):
    model = ImprovementProject


def project_step_save(request, pk):
    def call(project):
        form = forms.step_form_class(project.step)(
            request.POST, instance=project, user=request.user
        )
        if not form.is_valid():
            raise ValidationError(_errors(form))
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        return services.project_update(project=project, actor=request.user, **changed)

    return _post(ImprovementProject, pk, request, "view", call, _("Saved."))


def project_measure(request, pk):
    return _post(
        ImprovementProject,
        pk,
        request,
        "view",
        lambda p: services.project_measure(
            project=p, which=request.POST.get("which", ""), actor=request.user
        ),
        _("Measured from the interval statistics."),
    )


def project_evidence_record(request, pk):
    def call(project):
        form = forms.EvidenceRecordForm(request.POST, types=linkable_types(request.user))
        if not form.is_valid():
            raise ValidationError(_errors(form))
        return services.evidence_add_record(
            project=project, actor=request.user, **form.cleaned_data
        )

    return _post(ImprovementProject, pk, request, "view", call, _("Evidence linked."))


def project_evidence_stats(request, pk):
    def call(project):
        form = forms.EvidenceStatsForm(request.POST, user=request.user)
        if not form.is_valid():
            raise ValidationError(_errors(form))
        return services.evidence_add_statistics(
            project=project, actor=request.user, **form.cleaned_data
        )

    return _post(ImprovementProject, pk, request, "view", call, _("Interval statistics added."))


def project_countermeasure(request, pk):
    def call(project):
        form = forms.CountermeasureForm(request.POST, user=request.user)
        if not form.is_valid():
            raise ValidationError(_errors(form))
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        return services.countermeasure_add(project=project, actor=request.user, **data)

    return _post(ImprovementProject, pk, request, "view", call, _("Countermeasure planned."))


def project_standardise(request, pk):
    def call(project):
        form = forms.StandardiseLinkForm(request.POST, types=linkable_types(request.user))
        if not form.is_valid():
            raise ValidationError(_errors(form))
        return services.standardisation_add(
            project=project, actor=request.user, **form.cleaned_data
        )

    return _post(ImprovementProject, pk, request, "view", call, _("Standardisation recorded."))


def project_standardise_version(request, pk):
    def call(project):
        form = forms.StandardiseVersionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_errors(form))
        services.standardisation_draft_version(
            project=project, actor=request.user, **form.cleaned_data
        )
        return project

    return _post(
        ImprovementProject,
        pk,
        request,
        "view",
        call,
        _("A new version of the process is drafted: submit it for review."),
    )


def project_advance(request, pk):
    return _post(
        ImprovementProject,
        pk,
        request,
        "view",
        lambda p: services.project_advance(
            project=p, step=request.POST.get("step") or None, actor=request.user
        ),
        _("Step passed."),
    )


def project_cancel(request, pk):
    def call(project):
        form = forms.NoteForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_errors(form))
        return services.project_cancel(project=project, actor=request.user, **form.cleaned_data)

    return _post(ImprovementProject, pk, request, "view", call, _("Project ended."))
