"""Writes of the process register and the PDCA projects (one transaction each, audited).

Process changes: a version is drafted by the owner, submitted, and reviewed by the
process's reviewing supervisor (the operations supervisor for operational processes, the
general supervisor for the web processes and for complaints, appointments, suggestions
and acceptance; the center director when the author is that supervisor); the decision
signs the version, and an approved one takes effect on its date, never before its review.

Improvement projects pass the manual's six steps one at a time; :func:`step_gaps` says
what a step still lacks, and :func:`project_advance` refuses to pass it until nothing
does. Passing a step records its content (signed) and locks it on the project.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.core import audit
from ccops.core.errors import Conflict
from ccops.core.links import resolve_link
from ccops.core.models import Queue
from ccops.core.roles import is_supervisor, user_role_slugs
from ccops.core.services import (
    lock_for_update,
    record_create,
    record_sign,
    record_update,
    require_state,
)
from ccops.meetings import services as meetings
from ccops.meetings.choices import ActionStatus
from ccops.meetings.models import ActionItem, Meeting
from ccops.people.models import Employee
from ccops.processes.choices import (
    EvidenceKind,
    Metric,
    ProjectStatus,
    StandardKind,
    Step,
    VersionStatus,
)
from ccops.processes.models import (
    STEP_FIELDS,
    Countermeasure,
    Evidence,
    ImprovementProject,
    Process,
    ProcessVersion,
    Standardisation,
    StepRecord,
)
from ccops.wfm.models import IntervalStat


def _unique(fn, message: str):
    from django.db import IntegrityError

    try:
        with transaction.atomic():
            return fn()
    except IntegrityError as exc:
        raise Conflict(message) from exc


def _text(value, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


# --- processes and versions -------------------------------------------------------------


def may_edit_process(user, process: Process) -> bool:
    return bool(
        user and user.is_authenticated and (process.owner.user_id == user.pk or is_supervisor(user))
    )


@transaction.atomic
def process_register(
    *,
    code: str,
    name: str,
    category: str,
    owner: Employee,
    description: str,
    effective_from: dt.date,
    actor,
    purpose: str = "",
) -> Process:
    """Put a process on the register with its first version, drafted for review."""
    process = _unique(
        lambda: record_create(
            Process,
            data={
                "code": code,
                "name": name,
                "category": category,
                "owner": owner,
                "purpose": purpose,
            },
            actor=actor,
            verb="process_register",
        ),
        _("Process %(code)s is already on the register.") % {"code": code},
    )
    version_draft(
        process=process,
        description=description,
        change_summary=_("First version."),
        effective_from=effective_from,
        actor=actor,
    )
    return process


@transaction.atomic
def process_update(*, process: Process, actor, **data) -> Process:
    """Change a process's name, owner, category or purpose (its content changes by a new
    version)."""
    if not may_edit_process(actor, process):
        raise PermissionDenied(_("Only the owner and the supervisors change a process."))
    allowed = {"name", "owner", "category", "purpose", "code"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    return record_update(process, data=data, actor=actor, verb="process_update")


@transaction.atomic
def version_draft(
    *,
    process: Process,
    description: str,
    change_summary: str,
    effective_from: dt.date,
    actor,
    project: ImprovementProject | None = None,
) -> ProcessVersion:
    """Draft the next version of a process (one draft or review at a time)."""
    if not may_edit_process(actor, process) and not (
        project is not None and may_work_on_project(actor, project)
    ):
        raise PermissionDenied(_("Only the owner and the supervisors draft a process change."))
    process = lock_for_update(process)
    if process.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW]).exists():
        raise Conflict(
            _("%(process)s already has a change being drafted or reviewed.") % {"process": process}
        )
    number = (process.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return _unique(
        lambda: record_create(
            ProcessVersion,
            data={
                "process": process,
                "number": number,
                "description": _text(description, "description", _("Describe the process.")),
                "change_summary": _text(
                    change_summary, "change_summary", _("Say what changes and why.")
                ),
                "effective_from": effective_from,
                "status": VersionStatus.DRAFT,
                "author": actor,
                "project": project,
            },
            actor=actor,
            verb="process_version_draft",
        ),
        _("%(process)s already has a change being drafted or reviewed.") % {"process": process},
    )


@transaction.atomic
def version_update(*, version: ProcessVersion, actor, **data) -> ProcessVersion:
    version = lock_for_update(version)
    require_state(version, "status", [VersionStatus.DRAFT])
    if version.author_id != actor.pk and not may_edit_process(actor, version.process):
        raise PermissionDenied(_("Only the author, the owner and the supervisors edit a draft."))
    unknown = set(data) - {"description", "change_summary", "effective_from"}
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    return record_update(version, data=data, actor=actor, verb="process_version_update")


@transaction.atomic
def version_submit(*, version: ProcessVersion, actor) -> ProcessVersion:
    """Send a draft to its reviewer; it cannot change while in review."""
    version = lock_for_update(version)
    require_state(version, "status", [VersionStatus.DRAFT])
    if version.author_id != actor.pk and not may_edit_process(actor, version.process):
        raise PermissionDenied(_("Only the author, the owner and the supervisors submit a draft."))
    return record_update(
        version,
        data={"status": VersionStatus.IN_REVIEW, "submitted_at": timezone.now()},
        actor=actor,
        verb="process_version_submit",
    )


def may_review(user, version: ProcessVersion) -> bool:
    """The process's reviewing supervisor reviews; the center director reviews a change
    that supervisor wrote; nobody reviews their own change."""
    if not (user and user.is_authenticated) or version.author_id == user.pk:
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("processes.review_processversion"):
        return False
    roles = user_role_slugs(user)
    role = version.process.reviewer_role
    if role in roles:
        return True
    author_roles = user_role_slugs(version.author) if version.author_id else set()
    return "center_director" in roles and role in author_roles


@transaction.atomic
def version_review(
    *, version: ProcessVersion, approve: bool, actor, note: str = ""
) -> ProcessVersion:
    """Approve or reject a version in review; the decision signs it. An approved version
    takes effect on its date, and never before today (the day of its review)."""
    version = lock_for_update(version)
    require_state(version, "status", [VersionStatus.IN_REVIEW])
    if not may_review(actor, version):
        raise PermissionDenied(
            _("This change is reviewed by the %(role)s, not by its author.")
            % {"role": version.process.reviewer_role_name()}
        )
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the change is rejected.")})
    version.status = VersionStatus.APPROVED if approve else VersionStatus.REJECTED
    version.review_note = note.strip()[:500]
    today = timezone.localdate()
    if approve and version.effective_from < today:
        version.effective_from = today
    return record_sign(
        version,
        actor=actor,
        verb="process_version_approve" if approve else "process_version_reject",
    )


def versions_to_review(user):
    rows = ProcessVersion.objects.filter(status=VersionStatus.IN_REVIEW).select_related(
        "process", "author"
    )
    return [v for v in rows if may_review(user, v)]


# --- interval statistics --------------------------------------------------------------------


def interval_figures(queue: Queue, start: dt.date, end: dt.date) -> dict:
    """The figures of ``queue`` from the interval statistics of ``[start, end]`` (days in
    the site's time zone): calls offered, service level and abandonment in percent, and the
    handle time and speed of answer weighted by calls answered."""
    if end < start:
        raise ValidationError({"period_to": _("The period ends before it starts.")})
    zone = queue.site.zone
    first = dt.datetime.combine(start, dt.time(0), tzinfo=zone)
    last = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    rows = IntervalStat.objects.filter(
        queue=queue, interval_start__gte=first, interval_start__lt=last
    )
    intervals = rows.count()
    if not intervals:
        raise ValidationError(
            {
                "period_from": _("%(queue)s has no interval statistics from %(start)s to %(end)s.")
                % {"queue": queue.name, "start": start, "end": end}
            }
        )
    totals = rows.aggregate(
        offered=Sum("offered"), answered=Sum("answered"), abandoned=Sum("abandoned")
    )
    offered = totals["offered"] or 0
    answered = totals["answered"] or 0
    within = rows.filter(answered_within_target__isnull=False).aggregate(
        offered=Sum("offered"), within=Sum("answered_within_target")
    )
    weighted = {"aht": 0.0, "asa": 0.0, "aht_n": 0, "asa_n": 0}
    for aht, asa, n in rows.values_list("aht_seconds", "asa_seconds", "answered"):
        if n:
            if aht is not None:
                weighted["aht"] += aht * n
                weighted["aht_n"] += n
            if asa is not None:
                weighted["asa"] += asa * n
                weighted["asa_n"] += n

    def share(part, whole):
        return round(100 * part / whole, 2) if whole else None

    return {
        "queue": queue.code,
        "from": start.isoformat(),
        "until": end.isoformat(),
        "intervals": intervals,
        Metric.OFFERED: offered,
        "answered": answered,
        Metric.SERVICE_LEVEL: share(within["within"] or 0, within["offered"] or 0),
        Metric.ABANDON_RATE: share(totals["abandoned"] or 0, offered),
        Metric.AHT: round(weighted["aht"] / weighted["aht_n"], 1) if weighted["aht_n"] else None,
        Metric.ASA: round(weighted["asa"] / weighted["asa_n"], 1) if weighted["asa_n"] else None,
    }


# --- improvement projects -------------------------------------------------------------------


def may_work_on_project(user, project: ImprovementProject) -> bool:
    """The lead, the team and the supervisors work on a project."""
    if not (user and user.is_authenticated):
        return False
    if project.lead.user_id == user.pk or is_supervisor(user):
        return True
    return project.members.filter(user=user).exists()


def may_pass_step(user, project: ImprovementProject) -> bool:
    """The lead or a supervisor passes a step."""
    return bool(
        user and user.is_authenticated and (project.lead.user_id == user.pk or is_supervisor(user))
    )


def _check_worker(actor, project) -> None:
    if not may_work_on_project(actor, project):
        raise PermissionDenied(_("Only the project's lead, team and the supervisors work on it."))


def _check_active(project) -> None:
    if not project.is_active:
        raise ValidationError(_("%(project)s is closed.") % {"project": project})


def _set_members(project, members, actor) -> None:
    people = list(members)
    project.members.set(people)
    with audit.acting_as(actor, via=audit.current_actor().via):
        audit.log_event(
            project,
            "project_members",
            note=", ".join(sorted(p.employee_number for p in people))[:500],
        )


@transaction.atomic
def project_start(
    *,
    process: Process,
    title: str,
    lead: Employee,
    actor,
    members=(),
    problem: str = "",
    goal: str = "",
) -> ImprovementProject:
    """Start an improvement project of a process (step 1)."""
    project = record_create(
        ImprovementProject,
        data={"process": process, "title": title, "lead": lead, "problem": problem, "goal": goal},
        actor=actor,
        verb="project_start",
    )
    _set_members(project, {lead, *members}, actor)
    return project


@transaction.atomic
def project_update(
    *, project: ImprovementProject, actor, members=None, **data
) -> ImprovementProject:
    """Fill in the current step (and the title or the team); a passed step's content is
    locked."""
    _check_worker(actor, project)
    project = lock_for_update(project)
    _check_active(project)
    editable = {"title", "lead"} | {
        name.removesuffix("_id")
        for s, names in STEP_FIELDS.items()
        if s >= project.step
        for name in names
    }
    locked = set(data) - editable
    if locked:
        raise ValidationError(
            {name: _("This belongs to a step already passed and cannot change.") for name in locked}
        )
    changed = {k: v for k, v in data.items() if getattr(project, k) != v}
    if changed:
        project = record_update(project, data=changed, actor=actor, verb="project_update")
    if members is not None:
        _set_members(project, {project.lead, *members}, actor)
    return project


@transaction.atomic
def project_measure(*, project: ImprovementProject, which: str, actor) -> ImprovementProject:
    """Measure the baseline (step 1) or the result (step 5) from the interval statistics
    of the project's queue over its period."""
    _check_worker(actor, project)
    project = lock_for_update(project)
    _check_active(project)
    if project.queue_id is None or not project.stat_metric:
        raise ValidationError({"queue": _("Choose the queue and the figure to measure first.")})
    if which == "baseline":
        start, end, step = project.baseline_from, project.baseline_to, Step.CHOOSE
    elif which == "result":
        start, end, step = project.result_from, project.result_to, Step.EVALUATE
    else:
        raise ValidationError({"which": _("Measure the baseline or the result.")})
    if project.step != step:
        raise ValidationError(_("This is measured in step %(step)s.") % {"step": int(step)})
    if start is None or end is None:
        raise ValidationError({f"{which}_from": _("Give the period to measure.")})
    figures = interval_figures(project.queue, start, end)
    value = figures[project.stat_metric]
    if value is None:
        raise ValidationError(
            {"stat_metric": _("The interval statistics of this period do not have this figure.")}
        )
    source = _("Interval statistics of %(queue)s, %(start)s to %(end)s: %(n)s intervals") % {
        "queue": project.queue.code,
        "start": start,
        "end": end,
        "n": figures["intervals"],
    }
    return record_update(
        project,
        data={f"{which}_value": value, f"{which}_source": source[:300]},
        actor=actor,
        verb=f"project_measure_{which}",
    )


@transaction.atomic
def evidence_add_record(
    *, project: ImprovementProject, kind: str, content_type, object_id, note: str, actor
) -> Evidence:
    """Link a record of any app the actor may see (a QA result, an incident, a complaint)
    as evidence; its text is kept as it is now."""
    from django.contrib.contenttypes.models import ContentType

    _check_worker(actor, project)
    _check_active(project)
    if kind == EvidenceKind.INTERVAL_STATISTICS:
        raise ValidationError({"kind": _("Add interval statistics by queue and period.")})
    target = resolve_link(actor, content_type, object_id)
    ct = ContentType.objects.get_for_model(type(target), for_concrete_model=True)
    return record_create(
        Evidence,
        data={
            "project": project,
            "kind": kind,
            "content_type": ct,
            "object_id": target.pk,
            "object_repr": str(target)[:200],
            "note": _text(note, "note", _("Say what this evidence shows.")),
            "added_by": actor,
        },
        actor=actor,
        verb="project_evidence_add",
    )


@transaction.atomic
def evidence_add_statistics(
    *,
    project: ImprovementProject,
    queue: Queue,
    period_from: dt.date,
    period_to: dt.date,
    note: str,
    actor,
) -> Evidence:
    """Add the interval statistics of a queue over a period as evidence (the figures are
    computed now and kept)."""
    _check_worker(actor, project)
    _check_active(project)
    figures = interval_figures(queue, period_from, period_to)
    return record_create(
        Evidence,
        data={
            "project": project,
            "kind": EvidenceKind.INTERVAL_STATISTICS,
            "queue": queue,
            "period_from": period_from,
            "period_to": period_to,
            "figures": figures,
            "note": _text(note, "note", _("Say what this evidence shows.")),
            "added_by": actor,
        },
        actor=actor,
        verb="project_evidence_add",
    )


@transaction.atomic
def countermeasure_add(
    *,
    project: ImprovementProject,
    cause: str,
    actor,
    action_item: ActionItem | None = None,
    meeting: Meeting | None = None,
    title: str = "",
    owner: Employee | None = None,
    due_date: dt.date | None = None,
) -> Countermeasure:
    """Plan a countermeasure (step 3), followed as an action item: an existing open one,
    or a new one given to an owner with a due date at a meeting."""
    _check_worker(actor, project)
    project = lock_for_update(project)
    _check_active(project)
    if project.step != Step.PLAN:
        raise ValidationError(_("Countermeasures are planned in step 3."))
    cause = _text(cause, "cause", _("Name the cause it addresses."))
    if action_item is None:
        if meeting is None or owner is None or due_date is None or not title.strip():
            raise ValidationError(
                {
                    "action_item": _(
                        "Choose an action item, or give a meeting, "
                        "an action, an owner and a due date."
                    )
                }
            )
        action_item = meetings.action_item_assign(
            meeting=meeting,
            title=title.strip(),
            owner=owner,
            due_date=due_date,
            description=_("Countermeasure of the improvement project “%(project)s”: %(cause)s")
            % {"project": project.title, "cause": cause},
            actor=actor,
        )
    elif not action_item.is_open:
        raise ValidationError({"action_item": _("This action item is closed already.")})
    return _unique(
        lambda: record_create(
            Countermeasure,
            data={"project": project, "cause": cause, "action_item": action_item},
            actor=actor,
            verb="project_countermeasure_add",
        ),
        _("This action item is already a countermeasure of the project."),
    )


@transaction.atomic
def standardisation_add(
    *,
    project: ImprovementProject,
    kind: str,
    actor,
    process_version: ProcessVersion | None = None,
    content_type=None,
    object_id=None,
    note: str = "",
) -> Standardisation:
    """Record where the result was standardised (step 6): a version of a process, or an
    article or a service-manual entry of whichever app keeps them."""
    from django.contrib.contenttypes.models import ContentType

    _check_worker(actor, project)
    project = lock_for_update(project)
    _check_active(project)
    if project.step != Step.STANDARDISE:
        raise ValidationError(_("The result is standardised in step 6."))
    data = {"project": project, "kind": kind, "note": note, "added_by": actor}
    if kind == StandardKind.PROCESS_VERSION:
        if process_version is None:
            raise ValidationError({"process_version": _("Choose the process version.")})
        data["process_version"] = process_version
    else:
        target = resolve_link(actor, content_type, object_id)
        data.update(
            content_type=ContentType.objects.get_for_model(type(target), for_concrete_model=True),
            object_id=target.pk,
            object_repr=str(target)[:200],
        )
    return record_create(Standardisation, data=data, actor=actor, verb="project_standardise")


@transaction.atomic
def standardisation_draft_version(
    *,
    project: ImprovementProject,
    description: str,
    change_summary: str,
    effective_from: dt.date,
    actor,
) -> ProcessVersion:
    """Standardise into the project's process: draft its next version from the project
    (it still goes through review) and record it as the project's standardisation."""
    version = version_draft(
        process=project.process,
        description=description,
        change_summary=change_summary,
        effective_from=effective_from,
        project=project,
        actor=actor,
    )
    standardisation_add(
        project=project,
        kind=StandardKind.PROCESS_VERSION,
        process_version=version,
        note=_("Drafted from the project."),
        actor=actor,
    )
    return version


def step_gaps(project: ImprovementProject) -> list[str]:
    """What the current step still lacks before it can be passed (empty: ready)."""
    gaps: list[str] = []
    step = project.step
    if step == Step.CHOOSE:
        if not project.problem.strip():
            gaps.append(_("Describe the problem."))
        if not project.metric.strip():
            gaps.append(_("Say what is measured."))
        if project.baseline_value is None:
            gaps.append(_("Measure the baseline."))
        if project.baseline_from is None or project.baseline_to is None:
            gaps.append(_("Give the period the baseline was measured over."))
        if project.target_value is None:
            gaps.append(_("Set the target."))
        if not project.baseline_source.strip():
            gaps.append(_("Say how the baseline was measured."))
    elif step == Step.ANALYSE:
        if not project.cause_analysis.strip():
            gaps.append(_("Write the cause analysis."))
        if not project.evidence.filter(archived_at__isnull=True).exists():
            gaps.append(_("Link the data the analysis rests on (at least one piece of evidence)."))
    elif step == Step.PLAN:
        if not project.countermeasures.filter(archived_at__isnull=True).exists():
            gaps.append(_("Plan at least one countermeasure (an action item)."))
    elif step == Step.IMPLEMENT:
        items = [c.action_item for c in project.countermeasures.filter(archived_at__isnull=True)]
        still_open = [i for i in items if i.is_open]
        if still_open:
            gaps.append(
                _("Countermeasures still open: %(items)s.")
                % {"items": ", ".join(i.title for i in still_open)}
            )
        if not any(i.status == ActionStatus.DONE for i in items):
            gaps.append(_("At least one countermeasure must be done."))
        if not project.implementation_notes.strip():
            gaps.append(_("Describe the implementation."))
        if project.implemented_on is None:
            gaps.append(_("Give the date it was implemented."))
    elif step == Step.EVALUATE:
        if project.result_value is None:
            gaps.append(_("Measure the result."))
        if project.result_from is None or project.result_to is None:
            gaps.append(_("Give the period the result was measured over."))
        elif project.implemented_on and project.result_from < project.implemented_on:
            gaps.append(_("Measure the result after the implementation."))
        if not project.evaluation.strip():
            gaps.append(_("Write the evaluation against the baseline."))
    elif step == Step.STANDARDISE:
        done = [
            s
            for s in project.standardisations.select_related("process_version")
            if s.process_version_id is None or s.process_version.status == VersionStatus.APPROVED
        ]
        if not done:
            gaps.append(
                _(
                    "Standardise the result: an approved process "
                    "version, an article or a service-manual entry."
                )
            )
        if not project.standardisation_note.strip():
            gaps.append(_("Describe what was standardised."))
    return gaps


def _step_content(project: ImprovementProject) -> dict:
    values = {}
    for name in STEP_FIELDS[project.step]:
        value = getattr(project, name)
        values[name] = value.isoformat() if isinstance(value, dt.date) else value
    if project.step == Step.ANALYSE:
        values["evidence"] = [str(e) for e in project.evidence.filter(archived_at__isnull=True)]
    if project.step in (Step.PLAN, Step.IMPLEMENT):
        values["countermeasures"] = [
            {"cause": c.cause, "action_item": c.action_item.title, "status": c.action_item.status}
            for c in project.countermeasures.filter(archived_at__isnull=True)
        ]
    if project.step == Step.EVALUATE:
        values.update(
            baseline_value=project.baseline_value,
            change=project.change,
            improved=project.improved,
            target_met=project.target_met,
        )
    if project.step == Step.STANDARDISE:
        values["standardisations"] = [str(s) for s in project.standardisations.all()]
    return values


@transaction.atomic
def project_advance(
    *, project: ImprovementProject, actor, step: int | None = None
) -> ImprovementProject:
    """Pass the current step (the lead or a supervisor): refused while it lacks content.
    ``step`` is the step the actor means to pass (a parallel request may have passed it
    first: 409). The step's content is recorded and signed, and locked on the project;
    passing step 6 completes the project."""
    if not may_pass_step(actor, project):
        raise PermissionDenied(_("The project lead or a supervisor passes a step."))
    project = lock_for_update(project)
    require_state(project, "status", [ProjectStatus.ACTIVE])
    if step is not None and int(step) != project.step:
        raise Conflict(
            _("Step %(step)s has been passed already: reload the page.") % {"step": int(step)}
        )
    gaps = step_gaps(project)
    if gaps:
        raise ValidationError(
            _("%(step)s cannot be passed yet: %(gaps)s")
            % {"step": project.get_step_display(), "gaps": " ".join(gaps)}
        )
    record = _unique(
        lambda: record_create(
            StepRecord,
            data={"project": project, "step": project.step, "content": _step_content(project)},
            actor=actor,
            verb="project_step_record",
        ),
        _("This step was just passed."),
    )
    record_sign(record, actor=actor, verb="project_step_sign")
    if project.step == Step.STANDARDISE:
        data = {"status": ProjectStatus.COMPLETED, "closed_at": timezone.now()}
    else:
        data = {"step": project.step + 1}
    return record_update(project, data=data, actor=actor, verb="project_advance")


@transaction.atomic
def project_cancel(*, project: ImprovementProject, note: str, actor) -> ImprovementProject:
    """End a project without standardising (e.g. the effect was not there)."""
    if not may_pass_step(actor, project):
        raise PermissionDenied(_("The project lead or a supervisor ends a project."))
    project = lock_for_update(project)
    require_state(project, "status", [ProjectStatus.ACTIVE])
    return record_update(
        project,
        data={
            "status": ProjectStatus.CANCELLED,
            "closed_at": timezone.now(),
            "closing_note": _text(note, "note", _("Say why the project ends here."))[:500],
        },
        actor=actor,
        verb="project_cancel",
    )
