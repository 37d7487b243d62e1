"""QA plans and their draw, the imported calls, evaluations (score, release, acknowledge,
dispute), disputes (rescore, decline), coaching sessions and the agents' QA scores."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
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
from ccops.core.permissions import check_model_perm, has_model_perm, not_found
from ccops.people.models import Employee
from ccops.quality import forms
from ccops.quality.choices import OPEN_EVALUATION_STATUSES, CoachingStatus, DisputeStatus
from ccops.quality.filters import (
    CallRecordFilter,
    CoachingFilter,
    DisputeFilter,
    EvaluationFilter,
    QAPlanFilter,
)
from ccops.quality.models import (
    CoachingSession,
    Evaluation,
    EvaluationDispute,
    FormQuestion,
    FormVersion,
    QAPlan,
)
from ccops.quality.services import evaluations as services
from ccops.quality.services.common import month_start
from ccops.quality.services.forms import form_for_call
from ccops.quality.views.common import answer_rows, parse_answers, run, user_site
from ccops.wfm.models import CallRecord

# --- QA plans -----------------------------------------------------------------------------


class QAPlanListView(ObjectListView):
    model = QAPlan
    filterset_class = QAPlanFilter
    columns = ["name", "month", "site", "quota_per_agent", "status", "drawn_at"]


class QAPlanDetailView(ObjectDetailView):
    model = QAPlan
    template_name = "quality/qaplan_detail.html"
    fields = [
        "site",
        "month",
        "quota_per_agent",
        "min_handle_seconds",
        "transfers",
        "complaints_only",
        "seed",
        "due_days",
        "status",
        "drawn_at",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        evaluations = services.visible_evaluations(self.request.user).filter(plan=plan)
        context.update(
            queues=plan.queues.all(),
            teams=plan.teams.all(),
            inspectors=plan.inspectors.all(),
            candidates=services.plan_candidates(plan).count(),
            evaluations=evaluations.select_related("agent", "inspector")[:300],
            done=evaluations.exclude(status__in=OPEN_EVALUATION_STATUSES).count(),
            total=evaluations.count(),
            can_draw=plan.status == "draft" and has_model_perm(self.request.user, QAPlan, "change"),
        )
        return context


class QAPlanFormView(ObjectFormView):
    model = QAPlan
    form_class = forms.QAPlanForm

    def get_initial(self):
        initial = super().get_initial()
        site = user_site(self.request)
        if self.object is None:
            initial.update(site=site, month=month_start(timezone.localdate()))
        return initial

    def save(self, form):
        data = dict(form.cleaned_data)
        m2m = {k: data.pop(k) for k in ("inspectors", "queues", "teams")}
        if self.object is None:
            return services.qa_plan_create(actor=self.request.user, **m2m, **data)
        if data.get("seed") is None:
            data.pop("seed")
        return services.qa_plan_update(plan=self.object, actor=self.request.user, **m2m, **data)


class QAPlanArchiveView(ObjectArchiveView):
    model = QAPlan


@require_POST
def qa_plan_draw(request, pk):
    check_model_perm(request.user, QAPlan, "change")
    plan = get_restricted_or_404(QAPlan, request.user, pk, "change")
    response, drawn = run(
        request, plan, lambda: services.qa_plan_draw(plan=plan, actor=request.user)
    )
    if drawn is not None:
        messages.success(
            request,
            _("%(n)s calls drawn for %(agents)s agents.")
            % {"n": drawn.draw_report["evaluations"], "agents": drawn.draw_report["agents"]},
        )
    return response


def qa_scores(request):
    """Each agent's QA score of a month, with the number of evaluations and the 95 % margin."""
    check_model_perm(request.user, Evaluation, "view")
    site = user_site(request)
    form = forms.MonthSiteForm(
        request.GET or {"month": month_start(timezone.localdate()).strftime("%Y-%m")}
    )
    month = form.cleaned_data["month"] if form.is_valid() else month_start(timezone.localdate())
    rows = []
    if site is not None:
        visible = Employee.objects.restrict(request.user, "view").filter(site=site)
        by_id = {e.pk: e for e in visible.select_related("team")}
        data = services.agent_qa(site, month, list(by_id))
        for employee_id, q in sorted(data.items(), key=lambda kv: by_id[kv[0]].full_name):
            rows.append({"employee": by_id[employee_id], **q})
    return render(
        request,
        "quality/qa_scores.html",
        {
            "form": form,
            "month": month,
            "rows": rows,
            "site": site,
            "title": _("QA scores"),
        },
    )


# --- calls --------------------------------------------------------------------------------


class CallRecordListView(ObjectListView):
    model = CallRecord
    filterset_class = CallRecordFilter
    template_name = "quality/callrecord_list.html"
    columns = []

    def get_queryset(self):
        return super().get_queryset().select_related("queue", "employee")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Calls")
        context["can_evaluate"] = has_model_perm(self.request.user, Evaluation, "add")
        return context


def evaluation_for_call(request, pk):
    """Evaluate an imported call outside the plan (choose the form)."""
    check_model_perm(request.user, Evaluation, "add")
    call = CallRecord.objects.restrict(request.user, "view").filter(pk=pk).first()
    if call is None:
        raise Http404(not_found(CallRecord._meta.verbose_name, pk))
    if call.employee is None:
        messages.error(request, _("The call's agent is not matched to an employee."))
        return redirect("quality:callrecord_list")
    versions = FormVersion.objects.filter(form__archived_at__isnull=True).select_related("form")
    default = form_for_call(call.site, call.queue)
    form = forms.EvaluationAddForm(
        request.POST or None,
        versions=versions,
        initial={"form_version": default.current_version if default else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(
                site=call.site,
                agent=call.employee,
                call=call,
                call_reference=call.call_reference,
                actor=request.user,
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            return redirect("quality:evaluation_score", evaluation.pk)
    return render(
        request,
        "quality/evaluation_for_call.html",
        {
            "form": form,
            "call": call,
            "title": _("Evaluate call %(ref)s") % {"ref": call},
        },
    )


# --- evaluations ----------------------------------------------------------------------------


class EvaluationListView(ObjectListView):
    model = Evaluation
    filterset_class = EvaluationFilter
    columns = [
        "id",
        "agent",
        "call_reference",
        "call_started_at",
        "inspector",
        "status",
        "score",
        "due_date",
    ]

    def get_queryset(self):
        return services.visible_evaluations(self.request.user).select_related("agent", "inspector")


class EvaluationDetailView(ObjectDetailView):
    model = Evaluation
    template_name = "quality/evaluation_detail.html"
    fields = [
        "agent",
        "inspector",
        "call_reference",
        "call_started_at",
        "queue",
        "recording_url",
        "form_version",
        "plan",
        "status",
        "score",
        "critical_score",
        "fatal",
        "due_date",
        "released_at",
        "dispute_until",
        "acknowledged_at",
    ]

    def get_queryset(self):
        return services.visible_evaluations(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        e, user = self.object, self.request.user
        revisions = list(e.revisions.order_by("-number").prefetch_related("answers__question"))
        shown = revisions[0] if revisions else None
        sections = list(e.form_version.sections.order_by("order", "pk"))
        by_section = {}
        if shown:
            for a in shown.answers.all():
                by_section.setdefault(a.question.section_id, []).append(a)
        now = timezone.now()
        is_agent = e.agent.user_id == user.pk
        context.update(
            revisions=revisions,
            shown=shown,
            sections=[
                {
                    "s": s,
                    "score": (
                        shown.section_scores[i] if shown and i < len(shown.section_scores) else None
                    ),
                    "answers": by_section.get(s.pk, []),
                }
                for i, s in enumerate(sections)
            ],
            disputes=e.disputes.prefetch_related("questions"),
            coaching=e.coaching_sessions.all(),
            can_score=e.status in OPEN_EVALUATION_STATUSES and services._may_score(user, e),
            can_acknowledge=is_agent and e.status == "released",
            can_dispute=is_agent
            and e.status in ("released", "acknowledged")
            and (e.dispute_until is None or now <= e.dispute_until),
            questions=list(e.form_version.questions()),
            can_coach=has_model_perm(user, CoachingSession, "add") and not is_agent,
        )
        return context


def evaluation_score(request, pk):
    """The inspector's scoring page: every question with its answers, N/A, a comment; a
    coaching note; save as draft or release to the agent."""
    check_model_perm(request.user, Evaluation, "change")
    evaluation = get_restricted_or_404(Evaluation, request.user, pk, "change")
    if evaluation.status not in OPEN_EVALUATION_STATUSES:
        messages.info(request, _("This evaluation is released: its scores cannot change."))
        return redirect(evaluation.get_absolute_url())
    if not services._may_score(request.user, evaluation):
        raise PermissionDenied(_("Only the inspector assigned to this evaluation scores it."))
    questions = list(evaluation.form_version.questions())
    revision = evaluation.current_revision
    current = {a.question_id: a for a in revision.answers.all()} if revision else {}
    errors = []
    if request.method == "POST":
        answers = parse_answers(request.POST, questions)
        try:
            evaluation = services.evaluation_score(
                evaluation=evaluation,
                answers=answers,
                actor=request.user,
                coaching_note=request.POST.get("coaching_note", "")[:2000],
                recording_url=request.POST.get("recording_url", "")[:500],
                release="release" in request.POST,
            )
        except ValidationError as exc:
            errors = exc.messages
            current = {q.pk: SimpleNamespace(**answers[q.pk]) for q in questions}
        else:
            if evaluation.is_released:
                messages.success(request, _("Released to the agent."))
                return redirect(evaluation.get_absolute_url())
            messages.success(
                request,
                _("Saved as a draft: %(score)s points.")
                % {"score": "—" if evaluation.score is None else f"{evaluation.score:.1f}"},
            )
            return redirect("quality:evaluation_score", evaluation.pk)
    sections = []
    for section in evaluation.form_version.sections.order_by("order", "pk"):
        mine = [q for q in questions if q.section_id == section.pk]
        sections.append({"s": section, "rows": answer_rows(mine, current)})
    return render(
        request,
        "quality/evaluation_score.html",
        {
            "object": evaluation,
            "sections": sections,
            "errors": errors,
            "revision": revision,
            "title": _("Score %(e)s") % {"e": evaluation},
        },
    )


@require_POST
def evaluation_acknowledge(request, pk):
    evaluation = get_restricted_or_404(Evaluation, request.user, pk)
    response, _r = run(
        request,
        evaluation,
        lambda: services.evaluation_acknowledge(evaluation=evaluation, actor=request.user),
        _("Acknowledged."),
    )
    return response


@require_POST
def evaluation_cancel(request, pk):
    check_model_perm(request.user, Evaluation, "change")
    evaluation = get_restricted_or_404(Evaluation, request.user, pk, "change")
    response, _r = run(
        request,
        evaluation,
        lambda: services.evaluation_cancel(
            evaluation=evaluation, actor=request.user, reason=request.POST.get("reason", "")
        ),
        _("Cancelled."),
    )
    return response


@require_POST
def dispute_raise(request, pk):
    check_model_perm(request.user, EvaluationDispute, "add")
    evaluation = get_restricted_or_404(Evaluation, request.user, pk)
    ids = [int(v) for v in request.POST.getlist("questions") if v.isdigit()]
    questions = FormQuestion.objects.filter(pk__in=ids)
    response, _r = run(
        request,
        evaluation,
        lambda: services.dispute_raise(
            evaluation=evaluation,
            questions=questions,
            reason=request.POST.get("reason", "")[:2000],
            actor=request.user,
        ),
        _("Your dispute was sent to the quality supervisor."),
    )
    return response


# --- disputes -----------------------------------------------------------------------------


class DisputeListView(ObjectListView):
    model = EvaluationDispute
    filterset_class = DisputeFilter
    columns = ["id", "evaluation", "raised_by", "status", "respond_by", "decided_at"]

    def get_queryset(self):
        return super().get_queryset().select_related("evaluation__agent", "raised_by")


class DisputeDetailView(ObjectDetailView):
    model = EvaluationDispute
    template_name = "quality/evaluationdispute_detail.html"
    fields = [
        "evaluation",
        "raised_by",
        "reason",
        "status",
        "respond_by",
        "decided_by",
        "decided_at",
        "decision_note",
        "revision",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        d = self.object
        e = d.evaluation
        revision = e.current_revision
        disputed = set(d.questions.values_list("pk", flat=True))
        current = {a.question_id: a for a in revision.answers.all()} if revision else {}
        questions = list(e.form_version.questions())
        context.update(
            can_decide=d.status == DisputeStatus.OPEN
            and has_model_perm(self.request.user, EvaluationDispute, "change"),
            rows=[
                {**r, "disputed": r["q"].pk in disputed} for r in answer_rows(questions, current)
            ],
            revision=revision,
        )
        return context


def _dispute(request, pk):
    check_model_perm(request.user, EvaluationDispute, "change")
    return get_restricted_or_404(EvaluationDispute, request.user, pk, "change")


@require_POST
def dispute_rescore(request, pk):
    dispute = _dispute(request, pk)
    questions = list(dispute.evaluation.form_version.questions())
    answers = parse_answers(request.POST, questions)
    response, _r = run(
        request,
        dispute,
        lambda: services.dispute_rescore(
            dispute=dispute,
            answers=answers,
            reason=request.POST.get("reason", "")[:2000],
            actor=request.user,
        ),
        _("Rescored: a new revision was recorded."),
    )
    return response


@require_POST
def dispute_decline(request, pk):
    dispute = _dispute(request, pk)
    response, _r = run(
        request,
        dispute,
        lambda: services.dispute_decline(
            dispute=dispute, note=request.POST.get("note", "")[:2000], actor=request.user
        ),
        _("Dispute declined."),
    )
    return response


# --- coaching -----------------------------------------------------------------------------


class CoachingListView(ObjectListView):
    model = CoachingSession
    filterset_class = CoachingFilter
    columns = ["topic", "agent", "coach", "planned_for", "status", "follow_up_due"]

    def get_queryset(self):
        return super().get_queryset().select_related("agent", "coach")


class CoachingDetailView(ObjectDetailView):
    model = CoachingSession
    template_name = "quality/coachingsession_detail.html"
    fields = [
        "agent",
        "coach",
        "evaluation",
        "topic",
        "planned_for",
        "status",
        "notes",
        "follow_up_due",
        "follow_up_note",
        "held_at",
        "acknowledged_at",
        "closed_at",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        s, user = self.object, self.request.user
        is_coach = s.coach.user_id == user.pk or has_model_perm(user, CoachingSession, "delete")
        context.update(
            can_hold=is_coach and s.status == CoachingStatus.PLANNED,
            can_follow_up=is_coach and s.status == CoachingStatus.HELD,
            can_ack=s.agent.user_id == user.pk
            and s.status in ("held", "closed")
            and not s.acknowledged_at,
            hold_form=forms.CoachingHoldForm(
                initial={"follow_up_due": s.planned_for + dt.timedelta(days=14)}
            ),
            note_form=forms.NoteForm(),
        )
        return context


class CoachingFormView(ObjectFormView):
    model = CoachingSession
    form_class = forms.CoachingForm

    def get_initial(self):
        initial = super().get_initial()
        evaluation = self.request.GET.get("evaluation")
        if evaluation and evaluation.isdigit():
            e = Evaluation.objects.restrict(self.request.user, "view").filter(pk=evaluation).first()
            if e is not None:
                initial.update(
                    evaluation=e,
                    agent=e.agent,
                    topic=_("Evaluation of call %(ref)s") % {"ref": e.call_reference},
                )
        initial.setdefault("planned_for", timezone.localdate() + dt.timedelta(days=2))
        return initial

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return services.coaching_plan(actor=self.request.user, **data)
        return super().save(form)


class CoachingArchiveView(ObjectArchiveView):
    model = CoachingSession


def _session(request, pk):
    return get_restricted_or_404(CoachingSession, request.user, pk)


@require_POST
def coaching_hold(request, pk):
    session = _session(request, pk)
    form = forms.CoachingHoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write down what was agreed and when to follow up."))
        return redirect(session.get_absolute_url())
    response, _r = run(
        request,
        session,
        lambda: services.coaching_hold(session=session, actor=request.user, **form.cleaned_data),
        _("Recorded: the follow-up is due on %(day)s.")
        % {"day": form.cleaned_data["follow_up_due"]},
    )
    return response


@require_POST
def coaching_follow_up(request, pk):
    session = _session(request, pk)
    response, _r = run(
        request,
        session,
        lambda: services.coaching_follow_up(
            session=session, note=request.POST.get("note", "")[:2000], actor=request.user
        ),
        _("Followed up."),
    )
    return response


@require_POST
def coaching_cancel(request, pk):
    session = _session(request, pk)
    response, _r = run(
        request,
        session,
        lambda: services.coaching_cancel(session=session, actor=request.user),
        _("Cancelled."),
    )
    return response


@require_POST
def coaching_acknowledge(request, pk):
    session = _session(request, pk)
    response, _r = run(
        request,
        session,
        lambda: services.coaching_acknowledge(session=session, actor=request.user),
        _("Acknowledged."),
    )
    return response
