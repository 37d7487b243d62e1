"""Calibration: evaluators score the same call blind to each other; the reference answers
(an expert's, or the consensus agreed after scoring) are compared with each evaluator's,
per evaluator and per question, and Krippendorff's alpha measures the agreement."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core.models import Site
from ccops.core.permissions import has_model_perm
from ccops.core.services import lock_for_update, notify, record_create, record_update, require_state
from ccops.engine.quality import agreement, scoring
from ccops.people.models import Employee
from ccops.quality.choices import CalibrationStatus, ReferenceMethod
from ccops.quality.models import (
    CalibrationAnswer,
    CalibrationScore,
    CalibrationSession,
    EvaluationForm,
    FormVersion,
)
from ccops.quality.services.common import acting_employee
from ccops.quality.services.forms import scoring_message, scoring_model
from ccops.wfm.models import CallRecord


@transaction.atomic
def calibration_create(
    *,
    site: Site,
    title: str,
    form_version: FormVersion,
    call_reference: str,
    participants,
    due_date: dt.date,
    actor,
    method: str = ReferenceMethod.EXPERT,
    expert: Employee | None = None,
    call: CallRecord | None = None,
    recording_url: str = "",
) -> CalibrationSession:
    participants = list(participants)
    if len(participants) < 2:
        raise ValidationError({"participants": _("A calibration needs two evaluators or more.")})
    if method == ReferenceMethod.EXPERT and expert is None:
        raise ValidationError({"expert": _("Name the expert whose answers are the reference.")})
    if expert is not None and expert in participants:
        raise ValidationError({"expert": _("The expert gives the reference, not a blind score.")})
    session = record_create(
        CalibrationSession,
        data={
            "site": site,
            "title": title,
            "form_version": form_version,
            "call": call,
            "call_reference": call_reference or (str(call.pk) if call else ""),
            "recording_url": recording_url,
            "method": method,
            "expert": expert if method == ReferenceMethod.EXPERT else None,
            "due_date": due_date,
        },
        actor=actor,
        verb="calibration_create",
    )
    session.participants.set(participants)
    for person in [*participants, *([expert] if expert else [])]:
        if person.user_id:
            notify(
                user=person.user,
                message=gettext_noop("Calibration %(title)s: score the call by %(day)s"),
                params={"title": title, "day": due_date.isoformat()},
                url=session.get_absolute_url(),
            )
    return session


def _score_answers(version: FormVersion, answers: dict):
    rows, questions, weights = scoring_model(version)
    given = [
        scoring.Answer(
            value=answers.get(q.pk, {}).get("value"), na=bool(answers.get(q.pk, {}).get("na"))
        )
        for q in rows
    ]
    try:
        return rows, questions, given, scoring.score_form(questions, weights, given)
    except scoring.ScoringError as exc:
        raise scoring_message(exc, rows) from None


def may_give_reference(user, session: CalibrationSession) -> bool:
    if session.method == ReferenceMethod.EXPERT:
        return bool(session.expert and session.expert.user_id == getattr(user, "pk", None))
    return has_model_perm(user, CalibrationSession, "change")


@transaction.atomic
def calibration_submit(
    *, session: CalibrationSession, answers: dict, actor, reference: bool = False, note: str = ""
) -> CalibrationScore:
    """An evaluator's blind score (or the reference answers); may be changed until the
    session closes. Consensus answers are entered after the evaluators have scored."""
    session = lock_for_update(session)
    require_state(session, "status", CalibrationStatus.OPEN)
    employee = acting_employee(actor)
    if reference:
        if not may_give_reference(actor, session):
            raise PermissionDenied(
                _(
                    "Only the expert (or, for consensus, the quality "
                    "supervisor) gives the reference answers."
                )
            )
        if (
            session.method == ReferenceMethod.CONSENSUS
            and not session.scores.filter(is_reference=False).exists()
        ):
            raise ValidationError(_("Consensus answers are agreed after the evaluators scored."))
    elif not session.participants.filter(pk=employee.pk).exists():
        raise PermissionDenied(_("You are not an evaluator of this calibration."))
    rows, _q, _g, result = _score_answers(session.form_version, answers)
    row = CalibrationScore.objects.filter(
        session=session, is_reference=reference, **({} if reference else {"evaluator": employee})
    ).first()
    data = {
        "score": result.total,
        "critical_score": result.critical,
        "fatal": result.fatal,
        "note": note.strip(),
    }
    if row is None:
        row = record_create(
            CalibrationScore,
            data={"session": session, "evaluator": employee, "is_reference": reference, **data},
            actor=actor,
            verb="calibration_reference" if reference else "calibration_score",
        )
    else:
        row = record_update(row, data={**data, "evaluator": employee}, actor=actor)
    existing = {a.question_id: a for a in row.answers.all()}
    for q in rows:
        given = answers.get(q.pk, {})
        values = {
            "value": None if given.get("na") else given.get("value"),
            "na": bool(given.get("na")),
            "comment": (given.get("comment") or "").strip(),
        }
        if q.pk in existing:
            record_update(existing[q.pk], data=values, actor=actor)
        else:
            record_create(
                CalibrationAnswer, data={"score_row": row, "question": q, **values}, actor=actor
            )
    return row


def _fractions(session: CalibrationSession, score_rows) -> tuple[list, np.ndarray]:
    rows, questions, _w = scoring_model(session.form_version)
    out = np.full((len(score_rows), len(rows)), np.nan)
    for r, score_row in enumerate(score_rows):
        answers = {a.question_id: a for a in score_row.answers.all()}
        for c, (q, eq) in enumerate(zip(rows, questions, strict=True)):
            a = answers.get(q.pk)
            if a is None or a.na:
                continue
            out[r, c] = scoring.answer_fraction(eq, scoring.Answer(value=a.value))
    return rows, out


def calibration_results(session: CalibrationSession) -> dict:
    """Deviation per evaluator and per question, agreement (Krippendorff's alpha over the
    questions of this call), from the submitted scores."""
    blind = list(session.scores.filter(is_reference=False).select_related("evaluator"))
    reference = session.scores.filter(is_reference=True).first()
    rows, f = _fractions(session, blind)
    if reference is not None:
        _r, ref = _fractions(session, [reference])
        ref = ref[0]
        ref_total = reference.score
    else:
        ref, ref_total = np.full(len(rows), np.nan), None
    cmp = agreement.compare(f, ref, np.array([s.score for s in blind], dtype=float), ref_total)
    clean = lambda v: None if v is None or not np.isfinite(v) else round(float(v), 4)  # noqa: E731
    return {
        "alpha": clean(cmp.session_alpha),
        "reference_total": ref_total,
        "evaluators": [
            {
                "employee": s.evaluator_id,
                "name": s.evaluator.full_name,
                "score": s.score,
                "deviation": clean(cmp.rater_total_deviation[i]),
                "match_rate": clean(cmp.rater_match_rate[i]),
            }
            for i, s in enumerate(blind)
        ],
        "questions": [
            {
                "question": q.pk,
                "key": q.key,
                "text": q.text,
                "match_rate": clean(cmp.question_match_rate[c]),
                "mean_deviation": clean(cmp.question_mean_deviation[c]),
                "spread": clean(cmp.question_spread[c]),
                "flagged": bool(len(blind) and (cmp.question_match_rate[c] < 0.75)),
            }
            for c, q in enumerate(rows)
        ],
    }


@transaction.atomic
def calibration_close(*, session: CalibrationSession, actor) -> CalibrationSession:
    """Close the session (scores are then visible to everyone in it and locked)."""
    session = lock_for_update(session)
    require_state(session, "status", CalibrationStatus.OPEN)
    if not has_model_perm(actor, CalibrationSession, "change"):
        raise PermissionDenied(_("Only the quality supervisor closes a calibration."))
    if session.scores.filter(is_reference=False).count() < 2:
        raise ValidationError(_("At least two evaluators must have scored the call."))
    if not session.scores.filter(is_reference=True).exists():
        raise ValidationError(_("Enter the reference answers before closing."))
    results = calibration_results(session)
    return record_update(
        session,
        data={
            "status": CalibrationStatus.CLOSED,
            "closed_at": timezone.now(),
            "alpha": results["alpha"],
            "results": results,
        },
        actor=actor,
        verb="calibration_close",
    )


def question_agreement(form: EvaluationForm, *, since: dt.date | None = None) -> list[dict]:
    """Agreement per question of a form over its closed calibrations: Krippendorff's alpha
    with the calls as units and the evaluators as raters (interval metric on the share of
    points), following a question across versions by its key. Questions under
    ``agreement.TENTATIVE_ALPHA`` are flagged: people cannot score them consistently."""
    sessions = CalibrationSession.objects.filter(
        form_version__form=form, status=CalibrationStatus.CLOSED
    ).order_by("closed_at")
    if since:
        sessions = sessions.filter(due_date__gte=since)
    sessions = list(sessions)
    evaluators = sorted(
        {s.evaluator_id for c in sessions for s in c.scores.filter(is_reference=False)}
    )
    rater = {e: i for i, e in enumerate(evaluators)}
    per_key: dict[str, dict] = {}
    for u, session in enumerate(sessions):
        blind = list(session.scores.filter(is_reference=False))
        rows, f = _fractions(session, blind)
        for c, q in enumerate(rows):
            entry = per_key.setdefault(
                q.key,
                {
                    "key": q.key,
                    "text": q.text,
                    "matrix": np.full((len(evaluators), len(sessions)), np.nan),
                },
            )
            entry["text"] = q.text
            for r, s in enumerate(blind):
                entry["matrix"][rater[s.evaluator_id], u] = f[r, c]
    out = []
    for entry in per_key.values():
        m = entry.pop("matrix")
        units = int((np.isfinite(m).sum(axis=0) >= 2).sum())
        a = agreement.alpha(m, "interval") if units >= 2 else None
        unanimous = units >= 2 and len(np.unique(m[np.isfinite(m)])) == 1
        out.append(
            {
                **entry,
                "units": units,
                "alpha": None if a is None else round(a, 3),
                "unanimous": unanimous,
                "flagged": a is not None and a < agreement.TENTATIVE_ALPHA,
            }
        )
    return out
