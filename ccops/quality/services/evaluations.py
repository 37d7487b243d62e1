"""QA plans and their random draw, evaluations (score, release, acknowledge), disputes
(raise, rescore, decline), coaching sessions, and each agent's QA score with its margin
of error."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core import formats
from ccops.core.models import Site
from ccops.core.permissions import has_model_perm
from ccops.core.roles import user_role_slugs
from ccops.core.services import lock_for_update, notify, record_create, record_update, require_state
from ccops.engine.quality import sampling, scoring
from ccops.people.models import Employee
from ccops.quality.choices import (
    OPEN_EVALUATION_STATUSES,
    RELEASED_STATUSES,
    CoachingStatus,
    DisputeStatus,
    EvaluationStatus,
    PlanStatus,
    TransferFilter,
)
from ccops.quality.models import (
    CoachingSession,
    Complaint,
    Evaluation,
    EvaluationAnswer,
    EvaluationDispute,
    EvaluationRevision,
    FormVersion,
    QAPlan,
)
from ccops.quality.services.common import acting_employee, month_bounds, settings_for
from ccops.quality.services.forms import form_for_call, scoring_message, scoring_model
from ccops.wfm.models import CallRecord

# --- QA plans -----------------------------------------------------------------------------


@transaction.atomic
def qa_plan_create(
    *,
    site: Site,
    month: dt.date,
    name: str,
    actor,
    inspectors=(),
    queues=(),
    teams=(),
    quota_per_agent: int | None = None,
    seed: int | None = None,
    **filters,
) -> QAPlan:
    """A draft QA plan for a month (quota default: the site's evaluations per agent)."""
    if seed is None:
        seed = int(np.random.default_rng().integers(1, 2**31 - 1))
    plan = record_create(
        QAPlan,
        data={
            "site": site,
            "month": month.replace(day=1),
            "name": name,
            "seed": seed,
            "quota_per_agent": quota_per_agent or settings_for(site).min_evaluations,
            **filters,
        },
        actor=actor,
        verb="qa_plan_create",
    )
    plan.inspectors.set(inspectors)
    plan.queues.set(queues)
    plan.teams.set(teams)
    return plan


@transaction.atomic
def qa_plan_update(*, plan: QAPlan, actor, inspectors=None, queues=None, teams=None, **data):
    plan = lock_for_update(plan)
    require_state(plan, "status", PlanStatus.DRAFT)
    if "month" in data:
        data["month"] = data["month"].replace(day=1)
    plan = record_update(plan, data=data, actor=actor, verb="qa_plan_update")
    for name, value in (("inspectors", inspectors), ("queues", queues), ("teams", teams)):
        if value is not None:
            getattr(plan, name).set(value)
    return plan


def plan_candidates(plan: QAPlan):
    """The calls of the plan's month that pass its filters (answered, agent known)."""
    start, end = month_bounds(plan.site, plan.month)
    calls = CallRecord.objects.filter(
        site=plan.site,
        started_at__gte=start,
        started_at__lt=end,
        outcome="answered",
        employee__isnull=False,
    )
    queues = list(plan.queues.all())
    if queues:
        calls = calls.filter(queue__in=queues)
    teams = list(plan.teams.all())
    if teams:
        team_ids = {t.pk for t in teams} | set(
            plan.teams.model.objects.filter(parent__in=teams).values_list("pk", flat=True)
        )
        calls = calls.filter(employee__team__in=team_ids)
    if plan.min_handle_seconds:
        calls = calls.filter(handle_seconds__gte=plan.min_handle_seconds)
    if plan.transfers == TransferFilter.ONLY:
        calls = calls.filter(transferred=True)
    elif plan.transfers == TransferFilter.EXCLUDE:
        calls = calls.filter(transferred=False)
    if plan.complaints_only:
        refs = Complaint.objects.filter(site=plan.site).exclude(call_reference="")
        calls = calls.filter(call_reference__in=refs.values("call_reference"))
    return calls


@transaction.atomic
def qa_plan_draw(*, plan: QAPlan, actor, today: dt.date | None = None) -> QAPlan:
    """Draw the plan's calls at random (reproducible by its seed), one evaluation each,
    shared out among its inspectors with due dates; notify the inspectors."""
    plan = lock_for_update(plan)
    require_state(plan, "status", PlanStatus.DRAFT)
    inspectors = list(plan.inspectors.order_by("pk"))
    if not inspectors:
        raise ValidationError({"inspectors": _("Name the QA inspectors who evaluate the calls.")})
    rows = list(
        plan_candidates(plan).values_list(
            "pk", "employee_id", "started_at", "queue_id", "call_reference"
        )
    )
    if not rows:
        raise ValidationError(
            _("No imported call of %(month)s passes the plan's filters.")
            % {"month": f"{plan.month:%Y-%m}"}
        )
    start, end = month_bounds(plan.site, plan.month)
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    agents = np.array([str(r[1]) for r in rows], dtype=object)
    starts = np.array([r[2].timestamp() for r in rows])
    sample = sampling.draw_sample(
        agent=agents,
        start_seconds=starts,
        ids=ids,
        eligible=np.ones(len(rows), bool),
        quota=plan.quota_per_agent,
        period_start_seconds=start.timestamp(),
        period_end_seconds=end.timestamp(),
        seed=plan.seed,
    )
    load = np.array(
        [
            Evaluation.objects.filter(inspector=i, status__in=OPEN_EVALUATION_STATUSES).count()
            for i in inspectors
        ]
    )
    who = sampling.share_out(len(sample.index), len(inspectors), plan.seed, load)
    today = today or timezone.localdate()
    forms: dict = {}
    no_form: set = set()
    created = 0
    for k, i in enumerate(sample.index):
        pk, employee_id, started_at, queue_id, reference = rows[i]
        if queue_id not in forms:
            form = form_for_call(plan.site, plan.site.queues.filter(pk=queue_id).first())
            forms[queue_id] = form.current_version if form else None
        version = forms[queue_id]
        if version is None:
            no_form.add(queue_id)
            continue
        call_day = started_at.astimezone(plan.site.zone).date()
        record_create(
            Evaluation,
            data={
                "site": plan.site,
                "plan": plan,
                "form_version": version,
                "agent_id": employee_id,
                "inspector": inspectors[who[k]],
                "call_id": pk,
                "call_reference": reference or str(pk),
                "call_started_at": started_at,
                "queue_id": queue_id,
                "due_date": max(call_day, today) + dt.timedelta(days=plan.due_days),
                "status": EvaluationStatus.ASSIGNED,
            },
            actor=actor,
            verb="evaluation_assign",
        )
        created += 1
    if no_form and not created:
        raise ValidationError(_("No evaluation form scores the calls of these queues."))
    agents_drawn = len(set(agents[sample.index]))
    report = {
        "candidates": len(rows),
        "evaluations": created,
        "agents": agents_drawn,
        "agents short of calls": len(sample.short),
        "queues without a form": len(no_form),
    }
    plan = record_update(
        plan,
        data={"status": PlanStatus.DRAWN, "drawn_at": timezone.now(), "draw_report": report},
        actor=actor,
        verb="qa_plan_draw",
    )
    for inspector in inspectors:
        mine = plan.evaluations.filter(inspector=inspector).count()
        if mine:
            notify(
                user=inspector.user,
                message=gettext_noop("%(n)s calls of %(plan)s to evaluate"),
                params={"n": mine, "plan": plan.name},
                url=plan.get_absolute_url(),
            )
    return plan


# --- evaluations ----------------------------------------------------------------------------


@transaction.atomic
def evaluation_create(
    *,
    site: Site,
    agent: Employee,
    form_version: FormVersion,
    call_reference: str,
    actor,
    inspector: Employee | None = None,
    call: CallRecord | None = None,
    recording_url: str = "",
    call_started_at: dt.datetime | None = None,
    due_date: dt.date | None = None,
) -> Evaluation:
    """An evaluation outside the plan (e.g. a call a supervisor flagged)."""
    inspector = inspector or acting_employee(actor)
    if call is not None:
        call_started_at = call_started_at or call.started_at
    if agent.site_id != site.pk:
        raise ValidationError({"agent": _("%(who)s works on another site.") % {"who": agent}})
    return record_create(
        Evaluation,
        data={
            "site": site,
            "form_version": form_version,
            "agent": agent,
            "inspector": inspector,
            "call": call,
            "call_reference": call_reference.strip() or (str(call.pk) if call else ""),
            "call_started_at": call_started_at,
            "queue": call.queue if call else None,
            "recording_url": recording_url,
            "due_date": due_date,
        },
        actor=actor,
        verb="evaluation_create",
    )


def _may_score(actor, evaluation: Evaluation) -> bool:
    if evaluation.inspector.user_id == getattr(actor, "pk", None):
        return True
    return bool(actor.is_superuser or "quality_supervisor" in user_role_slugs(actor))


def _score(version: FormVersion, answers: dict):
    """Engine score of ``answers`` ({question id: {"value", "na", "comment"}})."""
    rows, questions, weights = scoring_model(version)
    if not rows:
        raise ValidationError(_("The form has no questions yet."))
    given = [
        scoring.Answer(
            value=answers.get(q.pk, {}).get("value"), na=bool(answers.get(q.pk, {}).get("na"))
        )
        for q in rows
    ]
    try:
        result = scoring.score_form(questions, weights, given)
    except scoring.ScoringError as exc:
        raise scoring_message(exc, rows) from None
    return rows, result


def _write_answers(revision: EvaluationRevision, rows, result, answers: dict, actor) -> None:
    existing = {a.question_id: a for a in revision.answers.all()}
    for q, earned, possible in zip(rows, result.earned, result.possible, strict=True):
        given = answers.get(q.pk, {})
        data = {
            "value": None if given.get("na") else given.get("value"),
            "na": bool(given.get("na")),
            "earned": earned,
            "possible": possible,
            "comment": (given.get("comment") or "").strip(),
        }
        if q.pk in existing:
            record_update(existing[q.pk], data=data, actor=actor)
        else:
            record_create(
                EvaluationAnswer, data={"revision": revision, "question": q, **data}, actor=actor
            )


def _score_fields(result) -> dict:
    return {"score": result.total, "critical_score": result.critical, "fatal": result.fatal}


@transaction.atomic
def evaluation_score(
    *,
    evaluation: Evaluation,
    answers: dict,
    actor,
    coaching_note: str = "",
    recording_url: str | None = None,
    release: bool = False,
) -> Evaluation:
    """Save the inspector's answers (a comment per question, a coaching note); with
    ``release`` also release the evaluation to the agent."""
    evaluation = lock_for_update(evaluation)
    require_state(evaluation, "status", OPEN_EVALUATION_STATUSES)
    if not _may_score(actor, evaluation):
        raise PermissionDenied(_("Only the assigned QA inspector scores this evaluation."))
    rows, result = _score(evaluation.form_version, answers)
    revision = evaluation.revisions.order_by("-number").first()
    data = {
        **_score_fields(result),
        "section_scores": list(result.sections),
        "coaching_note": coaching_note.strip(),
    }
    if revision is None:
        revision = record_create(
            EvaluationRevision,
            data={"evaluation": evaluation, "number": 1, "scored_by": actor, **data},
            actor=actor,
            verb="evaluation_revision",
        )
    else:
        revision = record_update(revision, data={**data, "scored_by": actor}, actor=actor)
    _write_answers(revision, rows, result, answers, actor)
    update = {**_score_fields(result), "status": EvaluationStatus.DRAFT}
    if recording_url is not None:
        update["recording_url"] = recording_url
    evaluation = record_update(evaluation, data=update, actor=actor, verb="evaluation_score")
    if release:
        evaluation = evaluation_release(evaluation=evaluation, actor=actor)
    return evaluation


@transaction.atomic
def evaluation_release(*, evaluation: Evaluation, actor) -> Evaluation:
    """Release a scored evaluation to the agent: its revision is locked and the dispute
    window opens."""
    evaluation = lock_for_update(evaluation)
    require_state(evaluation, "status", EvaluationStatus.DRAFT)
    if not _may_score(actor, evaluation):
        raise PermissionDenied(_("Only the assigned QA inspector releases this evaluation."))
    revision = evaluation.revisions.order_by("-number").first()
    now = timezone.now()
    record_update(revision, data={"locked_at": now}, actor=actor, verb="evaluation_revision_lock")
    window = settings_for(evaluation.site).dispute_window_days
    evaluation = record_update(
        evaluation,
        data={
            "status": EvaluationStatus.RELEASED,
            "released_at": now,
            "dispute_until": now + dt.timedelta(days=window),
        },
        actor=actor,
        verb="evaluation_release",
    )
    if evaluation.agent.user_id:
        notify(
            user=evaluation.agent.user,
            message=gettext_noop("Your call %(call)s was evaluated: %(score)s points"),
            params={"call": evaluation.call_reference, "score": _points(evaluation.score)},
            url=evaluation.get_absolute_url(),
        )
    return evaluation


def _points(value) -> str:
    return "—" if value is None else f"{value:.1f}"


@transaction.atomic
def evaluation_cancel(*, evaluation: Evaluation, reason: str, actor) -> Evaluation:
    """Take an unreleased evaluation off the list (the call cannot be evaluated)."""
    evaluation = lock_for_update(evaluation)
    require_state(evaluation, "status", OPEN_EVALUATION_STATUSES)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the call is not evaluated.")})
    return record_update(
        evaluation,
        data={"status": EvaluationStatus.CANCELLED},
        actor=actor,
        verb="evaluation_cancel",
    )


@transaction.atomic
def evaluation_acknowledge(*, evaluation: Evaluation, actor) -> Evaluation:
    evaluation = lock_for_update(evaluation)
    if evaluation.agent.user_id != actor.pk:
        raise PermissionDenied(_("Only the evaluated agent acknowledges an evaluation."))
    require_state(evaluation, "status", EvaluationStatus.RELEASED)
    return record_update(
        evaluation,
        data={"status": EvaluationStatus.ACKNOWLEDGED, "acknowledged_at": timezone.now()},
        actor=actor,
        verb="evaluation_acknowledge",
    )


def _quality_supervisors():
    return get_user_model().objects.filter(groups__name="quality_supervisor", is_active=True)


@transaction.atomic
def dispute_raise(*, evaluation: Evaluation, questions, reason: str, actor) -> EvaluationDispute:
    """The agent disputes a released evaluation within the window, naming the questions."""
    evaluation = lock_for_update(evaluation)
    if evaluation.agent.user_id != actor.pk:
        raise PermissionDenied(_("Only the evaluated agent disputes an evaluation."))
    require_state(evaluation, "status", (EvaluationStatus.RELEASED, EvaluationStatus.ACKNOWLEDGED))
    now = timezone.now()
    if evaluation.dispute_until and now > evaluation.dispute_until:
        raise ValidationError(
            _("The dispute window closed on %(when)s.")
            % {"when": formats.format_datetime(evaluation.dispute_until, evaluation.site)}
        )
    questions = list(questions)
    allowed = set(evaluation.form_version.questions().values_list("pk", flat=True))
    if not questions:
        raise ValidationError({"questions": _("Name the questions you dispute.")})
    if any(q.pk not in allowed for q in questions):
        raise ValidationError({"questions": _("Dispute questions of this evaluation's form.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason of the dispute.")})
    window = settings_for(evaluation.site).review_window_days
    dispute = record_create(
        EvaluationDispute,
        data={
            "evaluation": evaluation,
            "raised_by": evaluation.agent,
            "reason": reason.strip(),
            "respond_by": now + dt.timedelta(days=window),
        },
        actor=actor,
        verb="dispute_raise",
    )
    dispute.questions.set(questions)
    record_update(
        evaluation,
        data={"status": EvaluationStatus.DISPUTED},
        actor=actor,
        verb="evaluation_dispute",
    )
    for user in _quality_supervisors():
        notify(
            user=user,
            message=gettext_noop("%(agent)s disputes evaluation %(call)s"),
            params={"agent": evaluation.agent.full_name, "call": evaluation.call_reference},
            url=dispute.get_absolute_url(),
        )
    return dispute


def _may_decide(actor) -> bool:
    return has_model_perm(actor, EvaluationDispute, "change")


@transaction.atomic
def dispute_rescore(
    *, dispute: EvaluationDispute, answers: dict, reason: str, actor
) -> EvaluationRevision:
    """The quality supervisor rescores: a new, locked revision (the earlier ones stay)."""
    dispute = lock_for_update(dispute)
    require_state(dispute, "status", DisputeStatus.OPEN)
    if not _may_decide(actor):
        raise PermissionDenied(_("Only the quality supervisor decides disputes."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the evaluation is rescored.")})
    evaluation = lock_for_update(dispute.evaluation)
    previous = evaluation.revisions.order_by("-number").first()
    merged = {
        a.question_id: {"value": a.value, "na": a.na, "comment": a.comment}
        for a in previous.answers.all()
    }
    for key, given in answers.items():
        merged[key] = {**merged.get(key, {}), **given}
    rows, result = _score(evaluation.form_version, merged)
    now = timezone.now()
    revision = record_create(
        EvaluationRevision,
        data={
            "evaluation": evaluation,
            "number": previous.number + 1,
            "scored_by": actor,
            "reason": reason.strip(),
            "section_scores": list(result.sections),
            "coaching_note": previous.coaching_note,
            **_score_fields(result),
        },
        actor=actor,
        verb="evaluation_rescore",
    )
    _write_answers(revision, rows, result, merged, actor)
    record_update(revision, data={"locked_at": now}, actor=actor, verb="evaluation_revision_lock")
    record_update(
        dispute,
        data={
            "status": DisputeStatus.RESCORED,
            "decided_by": actor,
            "decided_at": now,
            "decision_note": reason.strip(),
            "revision": revision,
        },
        actor=actor,
        verb="dispute_rescore",
    )
    record_update(
        evaluation,
        data={**_score_fields(result), "status": EvaluationStatus.CLOSED},
        actor=actor,
        verb="evaluation_rescored",
    )
    _tell_agent(
        evaluation,
        gettext_noop("Your dispute of %(call)s was upheld: %(score)s points"),
        result.total,
    )
    return revision


@transaction.atomic
def dispute_decline(*, dispute: EvaluationDispute, note: str, actor) -> EvaluationDispute:
    dispute = lock_for_update(dispute)
    require_state(dispute, "status", DisputeStatus.OPEN)
    if not _may_decide(actor):
        raise PermissionDenied(_("Only the quality supervisor decides disputes."))
    if not note.strip():
        raise ValidationError({"note": _("Explain why the dispute is declined.")})
    evaluation = lock_for_update(dispute.evaluation)
    dispute = record_update(
        dispute,
        data={
            "status": DisputeStatus.DECLINED,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "decision_note": note.strip(),
        },
        actor=actor,
        verb="dispute_decline",
    )
    record_update(
        evaluation,
        data={"status": EvaluationStatus.CLOSED},
        actor=actor,
        verb="evaluation_dispute_declined",
    )
    _tell_agent(
        evaluation,
        gettext_noop("Your dispute of %(call)s was declined (%(score)s points)"),
        evaluation.score,
    )
    return dispute


def _tell_agent(evaluation: Evaluation, message: str, score) -> None:
    if evaluation.agent.user_id:
        notify(
            user=evaluation.agent.user,
            message=message,
            params={"call": evaluation.call_reference, "score": _points(score)},
            url=evaluation.get_absolute_url(),
        )


def visible_evaluations(user):
    """Evaluations ``user`` may see: ``restrict()``, and an agent's own only once released."""
    rows = Evaluation.objects.restrict(user, "view")
    own_unreleased = rows.filter(agent__user=user).exclude(status__in=RELEASED_STATUSES)
    return rows.exclude(pk__in=own_unreleased.values("pk"))


# --- coaching -----------------------------------------------------------------------------


@transaction.atomic
def coaching_plan(
    *,
    agent: Employee,
    topic: str,
    planned_for: dt.date,
    actor,
    coach: Employee | None = None,
    evaluation: Evaluation | None = None,
) -> CoachingSession:
    coach = coach or acting_employee(actor)
    session = record_create(
        CoachingSession,
        data={
            "site": agent.site,
            "agent": agent,
            "coach": coach,
            "topic": topic,
            "planned_for": planned_for,
            "evaluation": evaluation,
        },
        actor=actor,
        verb="coaching_plan",
    )
    if agent.user_id:
        notify(
            user=agent.user,
            message=gettext_noop("Coaching planned for %(day)s: %(topic)s"),
            params={"day": planned_for.isoformat(), "topic": topic},
            url=session.get_absolute_url(),
        )
    return session


def _coach_or_supervisor(actor, session: CoachingSession) -> None:
    if session.coach.user_id == actor.pk or has_model_perm(actor, CoachingSession, "delete"):
        return
    raise PermissionDenied(_("Only the coach records this session."))


@transaction.atomic
def coaching_hold(
    *, session: CoachingSession, notes: str, follow_up_due: dt.date, actor
) -> CoachingSession:
    session = lock_for_update(session)
    require_state(session, "status", CoachingStatus.PLANNED)
    _coach_or_supervisor(actor, session)
    if not notes.strip():
        raise ValidationError({"notes": _("Write down what was agreed.")})
    if follow_up_due < session.planned_for:
        raise ValidationError({"follow_up_due": _("The follow-up comes after the session.")})
    return record_update(
        session,
        data={
            "status": CoachingStatus.HELD,
            "notes": notes.strip(),
            "follow_up_due": follow_up_due,
            "held_at": timezone.now(),
        },
        actor=actor,
        verb="coaching_hold",
    )


@transaction.atomic
def coaching_follow_up(*, session: CoachingSession, note: str, actor) -> CoachingSession:
    session = lock_for_update(session)
    require_state(session, "status", CoachingStatus.HELD)
    _coach_or_supervisor(actor, session)
    if not note.strip():
        raise ValidationError({"follow_up_note": _("Write down the follow-up.")})
    return record_update(
        session,
        data={
            "status": CoachingStatus.CLOSED,
            "follow_up_note": note.strip(),
            "closed_at": timezone.now(),
        },
        actor=actor,
        verb="coaching_follow_up",
    )


@transaction.atomic
def coaching_cancel(*, session: CoachingSession, actor) -> CoachingSession:
    session = lock_for_update(session)
    require_state(session, "status", CoachingStatus.PLANNED)
    _coach_or_supervisor(actor, session)
    return record_update(
        session, data={"status": CoachingStatus.CANCELLED}, actor=actor, verb="coaching_cancel"
    )


@transaction.atomic
def coaching_acknowledge(*, session: CoachingSession, actor) -> CoachingSession:
    session = lock_for_update(session)
    if session.agent.user_id != actor.pk:
        raise PermissionDenied(_("Only the coached agent acknowledges the session."))
    require_state(session, "status", (CoachingStatus.HELD, CoachingStatus.CLOSED))
    if session.acknowledged_at:
        return session
    return record_update(
        session, data={"acknowledged_at": timezone.now()}, actor=actor, verb="coaching_acknowledge"
    )


# --- QA score per agent -------------------------------------------------------------------


def agent_qa(site: Site, month: dt.date, employee_ids=None) -> dict[int, dict]:
    """``{employee id: {"mean", "n", "margin", "calls", "ids"}}`` over the released
    evaluations of calls in ``month``. The margin is the 95 % Student-t half-width with the
    finite-population correction over the agent's handled calls (see
    :func:`ccops.engine.quality.sampling.margin_of_error`)."""
    start, end = month_bounds(site, month)
    rows = Evaluation.objects.filter(
        site=site,
        status__in=RELEASED_STATUSES,
        call_started_at__gte=start,
        call_started_at__lt=end,
        score__isnull=False,
    )
    calls = CallRecord.objects.filter(
        site=site, outcome="answered", started_at__gte=start, started_at__lt=end
    )
    if employee_ids is not None:
        rows = rows.filter(agent_id__in=employee_ids)
        calls = calls.filter(employee_id__in=employee_ids)
    scores: dict[int, list] = {}
    ids: dict[int, list] = {}
    for pk, agent_id, score in rows.values_list("pk", "agent_id", "score"):
        scores.setdefault(agent_id, []).append(score)
        ids.setdefault(agent_id, []).append(pk)
    handled: dict[int, int] = {}
    for row in calls.values("employee_id").annotate(n=Count("pk")):
        handled[row["employee_id"]] = row["n"]
    out = {}
    for agent_id, values in scores.items():
        mean, n, margin = sampling.margin_of_error(
            np.array(values), population=handled.get(agent_id)
        )
        out[agent_id] = {
            "mean": mean,
            "n": n,
            "margin": margin,
            "calls": handled.get(agent_id),
            "ids": ids[agent_id],
        }
    return out


__all__ = [
    "agent_qa",
    "coaching_acknowledge",
    "coaching_cancel",
    "coaching_follow_up",
    "coaching_hold",
    "coaching_plan",
    "dispute_decline",
    "dispute_raise",
    "dispute_rescore",
    "evaluation_acknowledge",
    "evaluation_cancel",
    "evaluation_create",
    "evaluation_release",
    "evaluation_score",
    "qa_plan_create",
    "qa_plan_draw",
    "qa_plan_update",
    "visible_evaluations",
]
