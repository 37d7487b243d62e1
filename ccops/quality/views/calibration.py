"""Calibration sessions: blind scoring, reference answers, results and agreement."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.core.generic import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    get_restricted_or_404,
)
from ccops.core.permissions import check_model_perm, has_model_perm
from ccops.people.services import employee_for
from ccops.quality import forms
from ccops.quality.choices import CalibrationStatus
from ccops.quality.filters import CalibrationFilter
from ccops.quality.models import CalibrationSession, EvaluationForm
from ccops.quality.services import calibration as services
from ccops.quality.views.common import answer_rows, parse_answers, run, user_site


class CalibrationListView(ObjectListView):
    model = CalibrationSession
    filterset_class = CalibrationFilter
    columns = ["title", "form_version", "call_reference", "due_date", "status", "alpha"]


class CalibrationDetailView(ObjectDetailView):
    model = CalibrationSession
    template_name = "quality/calibrationsession_detail.html"
    fields = [
        "site",
        "form_version",
        "call_reference",
        "recording_url",
        "method",
        "expert",
        "due_date",
        "status",
        "closed_at",
        "alpha",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session, user = self.object, self.request.user
        me = employee_for(user)
        runner = has_model_perm(user, CalibrationSession, "change")
        open_ = session.status == CalibrationStatus.OPEN
        questions = list(session.form_version.questions())
        mine = session.scores.filter(evaluator=me, is_reference=False).first() if me else None
        reference = session.scores.filter(is_reference=True).first()
        is_participant = bool(me and session.participants.filter(pk=me.pk).exists())
        may_reference = services.may_give_reference(user, session)
        blind = session.scores.filter(is_reference=False).select_related("evaluator")
        context.update(
            participants=session.participants.order_by("full_name"),
            submitted={s.evaluator_id for s in blind},
            can_score=open_ and is_participant,
            can_reference=open_ and may_reference,
            can_close=open_ and runner,
            my_rows=answer_rows(
                questions, {a.question_id: a for a in mine.answers.all()} if mine else {}
            ),
            reference_rows=answer_rows(
                questions, {a.question_id: a for a in reference.answers.all()} if reference else {}
            ),
            mine=mine,
            reference=reference,
            # Blind: scores of others are shown once the session is closed (to the runner
            # while open, so that the supervisor can follow the progress).
            show_scores=not open_ or runner,
            results=session.results
            if not open_
            else (services.calibration_results(session) if runner and blind.count() else None),
        )
        return context


class CalibrationFormView(ObjectFormView):
    model = CalibrationSession
    form_class = forms.CalibrationForm

    def get_initial(self):
        return {**super().get_initial(), "site": user_site(self.request)}

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return services.calibration_create(actor=self.request.user, **data)
        return super().save(form)


class CalibrationArchiveView(ObjectArchiveView):
    model = CalibrationSession


@require_POST
def calibration_submit(request, pk):
    check_model_perm(request.user, CalibrationSession, "view")
    session = get_restricted_or_404(CalibrationSession, request.user, pk)
    reference = request.POST.get("reference") == "1"
    answers = parse_answers(request.POST, list(session.form_version.questions()))
    response, _r = run(
        request,
        session,
        lambda: services.calibration_submit(
            session=session,
            answers=answers,
            actor=request.user,
            reference=reference,
            note=request.POST.get("note", "")[:2000],
        ),
        _("Your scores were saved."),
    )
    return response


@require_POST
def calibration_close(request, pk):
    check_model_perm(request.user, CalibrationSession, "change")
    session = get_restricted_or_404(CalibrationSession, request.user, pk, "change")
    response, _r = run(
        request,
        session,
        lambda: services.calibration_close(session=session, actor=request.user),
        _("Calibration closed: the results are shown to the evaluators."),
    )
    return response


def question_agreement(request, pk):
    """Agreement per question of a form over its calibrations (Krippendorff's alpha)."""
    check_model_perm(request.user, CalibrationSession, "view")
    form = get_restricted_or_404(EvaluationForm, request.user, pk)
    try:
        rows = services.question_agreement(form)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(form.get_absolute_url())
    sessions = CalibrationSession.objects.filter(form_version__form=form, status="closed").count()
    return render(
        request,
        "quality/question_agreement.html",
        {
            "object": form,
            "rows": rows,
            "sessions": sessions,
            "title": _("Agreement per question: %(form)s") % {"form": form},
        },
    )
