"""Complaints (register, investigate, close with an outcome that counts toward service
quality), post-call satisfaction imports, and the monthly complaint summary that goes on
the agenda of the monthly operations meeting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccops.core.limits import MAX_REPORTED_PROBLEMS, read_upload_csv, shorten
from ccops.core.models import Queue, Site
from ccops.core.services import lock_for_update, notify, record_create, record_update, require_state
from ccops.meetings import services as meetings
from ccops.meetings.choices import MeetingKind
from ccops.meetings.models import Meeting
from ccops.people.models import Employee
from ccops.quality.choices import ComplaintOutcome, ComplaintStatus
from ccops.quality.models import Complaint, ComplaintSummary, SatisfactionImport, SatisfactionScore
from ccops.quality.services.common import month_bounds, month_start, next_month, settings_for
from ccops.wfm.models import CallRecord

MAX_SATISFACTION_BYTES = 20 * 1024 * 1024


def _call_for(site: Site, reference: str) -> CallRecord | None:
    if not reference:
        return None
    return CallRecord.objects.filter(site=site, call_reference=reference).first()


@transaction.atomic
def complaint_register(
    *,
    site: Site,
    received_on: dt.date,
    channel: str,
    category: str,
    description: str,
    actor,
    customer: str = "",
    call_reference: str = "",
    agent: Employee | None = None,
    queue: Queue | None = None,
) -> Complaint:
    """Register a complaint about a call or an agent. A call reference that matches an
    imported call fills in the agent and queue."""
    call = _call_for(site, call_reference.strip())
    if call is not None:
        agent = agent or call.employee
        queue = queue or call.queue
    if not description.strip():
        raise ValidationError({"description": _("Describe the complaint.")})
    return record_create(
        Complaint,
        data={
            "site": site,
            "received_on": received_on,
            "channel": channel,
            "category": category,
            "description": description.strip(),
            "customer": customer.strip(),
            "call_reference": call_reference.strip(),
            "call": call,
            "agent": agent,
            "queue": queue,
        },
        actor=actor,
        verb="complaint_register",
    )


@transaction.atomic
def complaint_investigate(*, complaint: Complaint, investigator: Employee, actor) -> Complaint:
    complaint = lock_for_update(complaint)
    require_state(complaint, "status", (ComplaintStatus.REGISTERED, ComplaintStatus.INVESTIGATING))
    complaint = record_update(
        complaint,
        data={"status": ComplaintStatus.INVESTIGATING, "investigator": investigator},
        actor=actor,
        verb="complaint_investigate",
    )
    if investigator.user_id:
        notify(
            user=investigator.user,
            message=gettext_noop("Investigate complaint #%(n)s"),
            params={"n": complaint.pk},
            url=complaint.get_absolute_url(),
        )
    return complaint


def default_points(site: Site, outcome: str) -> float:
    per = settings_for(site).complaint_points
    return {ComplaintOutcome.SUBSTANTIATED: per, ComplaintOutcome.PARTLY: per / 2}.get(outcome, 0.0)


@transaction.atomic
def complaint_close(
    *, complaint: Complaint, outcome: str, findings: str, actor, points: float | None = None
) -> Complaint:
    """Close with the investigation's outcome; a substantiated one deducts points from the
    agent's service quality of the month it was received (site default unless given)."""
    complaint = lock_for_update(complaint)
    require_state(complaint, "status", ComplaintStatus.INVESTIGATING)
    if outcome not in ComplaintOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the investigation.")})
    if not findings.strip():
        raise ValidationError({"findings": _("Write down what the investigation found.")})
    if points is None:
        points = default_points(complaint.site, outcome)
    if outcome in (ComplaintOutcome.UNSUBSTANTIATED, ComplaintOutcome.WITHDRAWN) and points:
        raise ValidationError({"points": _("An unfounded complaint deducts no points.")})
    complaint = record_update(
        complaint,
        data={
            "status": ComplaintStatus.CLOSED,
            "outcome": outcome,
            "findings": findings.strip(),
            "points": points,
            "closed_at": timezone.now(),
            "closed_by": actor,
        },
        actor=actor,
        verb="complaint_close",
    )
    if complaint.agent and complaint.agent.user_id and points:
        notify(
            user=complaint.agent.user,
            message=gettext_noop("Complaint #%(n)s about you was closed: %(points)s points"),
            params={"n": complaint.pk, "points": f"{points:g}"},
            url=complaint.get_absolute_url(),
        )
    return complaint


# --- satisfaction scores --------------------------------------------------------------------


def _parse_satisfaction(content: bytes, filename: str, scale_max: int, site: Site):
    """Rows of ``call_reference,score[,surveyed_at]``; raises ValidationError naming the
    line, column and value of every problem (the first 20)."""
    cells = read_upload_csv(content, filename, max_bytes=MAX_SATISFACTION_BYTES)
    missing = {"call_reference", "score"} - set(cells.columns)
    if missing:
        raise ValidationError(
            {
                "file": _("%(file)s needs the columns call_reference and score (has: %(cols)s).")
                % {"file": filename, "cols": shorten(", ".join(cells.columns))}
            }
        )
    rows, problems = [], []
    for line, row in cells.rows():
        ref = row.get("call_reference", "")
        if not ref:
            problems.append(_("line %(line)s, call_reference: empty") % {"line": line})
            continue
        try:
            score = float(row.get("score", ""))
        except ValueError:
            score = None
        if score is None or not 0 <= score <= scale_max:
            problems.append(
                _("line %(line)s, score: %(value)s is not a number from 0 to %(max)s")
                % {"line": line, "value": shorten(row.get("score", "")), "max": scale_max}
            )
            continue
        when = row.get("surveyed_at", "")
        surveyed = None
        if when:
            surveyed = parse_datetime(when)
            if surveyed is None and parse_date(when):
                surveyed = dt.datetime.combine(parse_date(when), dt.time(12))
            if surveyed is None:
                problems.append(
                    _("line %(line)s, surveyed_at: %(value)s is not a date or time")
                    % {"line": line, "value": shorten(when)}
                )
                continue
            if timezone.is_naive(surveyed):
                surveyed = surveyed.replace(tzinfo=site.zone)
        rows.append((line, ref[:100], score, surveyed))
    if problems:
        more = len(problems) - MAX_REPORTED_PROBLEMS
        shown = problems[:MAX_REPORTED_PROBLEMS]
        if more > 0:
            shown.append(_("and %(n)s more problems") % {"n": more})
        raise ValidationError({"file": [f"{filename}: {p}" for p in shown]})
    if not rows:
        raise ValidationError({"file": _("%(file)s has no scores.") % {"file": filename}})
    return rows


@transaction.atomic
def satisfaction_import(
    *, site: Site, filename: str, content: bytes, actor, scale_max: int = 5
) -> SatisfactionImport:
    """Import post-call satisfaction scores per call, all or nothing. Each score is matched
    to the imported call by its reference (and so to the serving agent)."""
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    if not 1 <= scale_max <= 100:
        raise ValidationError({"scale_max": _("The best score is 1 to 100.")})
    name = Path(filename or "satisfaction.csv").name[:200]
    rows = _parse_satisfaction(content, name, scale_max, site)
    batch = record_create(
        SatisfactionImport,
        data={"site": site, "filename": name, "scale_max": scale_max, "created_by": actor},
        actor=actor,
        verb="satisfaction_import",
    )
    calls = {
        c.call_reference: c
        for c in CallRecord.objects.filter(site=site, call_reference__in=[r[1] for r in rows])
    }
    objs, matched = [], 0
    now = timezone.now()
    for _line, ref, score, surveyed in rows:
        call = calls.get(ref)
        matched += call is not None
        objs.append(
            SatisfactionScore(
                batch=batch,
                site=site,
                call_reference=ref,
                call=call,
                agent_id=call.employee_id if call else None,
                score=score,
                scale_max=scale_max,
                surveyed_at=surveyed or (call.started_at if call else now),
            )
        )
    SatisfactionScore.objects.bulk_create(objs)
    return record_update(batch, data={"rows": len(objs), "matched": matched}, actor=actor)


def satisfaction_by_agent(site: Site, month: dt.date) -> dict[int, float]:
    """Mean satisfaction per agent over the month, on a 0-5 scale."""
    start, end = month_bounds(site, month)
    out: dict[int, list] = {}
    for agent_id, score, scale in SatisfactionScore.objects.filter(
        site=site, surveyed_at__gte=start, surveyed_at__lt=end, agent__isnull=False
    ).values_list("agent_id", "score", "scale_max"):
        out.setdefault(agent_id, []).append(5.0 * score / scale)
    return {k: round(sum(v) / len(v), 3) for k, v in out.items()}


# --- the monthly summary ----------------------------------------------------------------------


def complaint_figures(site: Site, month: dt.date) -> dict:
    """The month's complaints: received, closed, by outcome, category and queue, points
    deducted, the agents with most, still open, and satisfaction."""
    first, after = month_start(month), next_month(month)
    rows = Complaint.objects.filter(site=site, received_on__gte=first, received_on__lt=after)
    by = lambda field: {  # noqa: E731
        (r[field] or ""): r["n"] for r in rows.values(field).annotate(n=Count("pk")).order_by(field)
    }
    agents = (
        rows.filter(outcome__in=[ComplaintOutcome.SUBSTANTIATED, ComplaintOutcome.PARTLY])
        .values("agent__full_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "agent__full_name")[:5]
    )
    start, end = month_bounds(site, month)
    csat = SatisfactionScore.objects.filter(site=site, surveyed_at__gte=start, surveyed_at__lt=end)
    avg = csat.aggregate(a=Avg("score"))["a"]
    return {
        "month": first.isoformat(),
        "received": rows.count(),
        "closed": rows.filter(status=ComplaintStatus.CLOSED).count(),
        "open": rows.exclude(status=ComplaintStatus.CLOSED).count(),
        "by_outcome": by("outcome"),
        "by_category": by("category"),
        "by_queue": {str(k): v for k, v in by("queue__code").items()},
        "points": round(sum(rows.values_list("points", flat=True)), 2),
        "top_agents": [[a["agent__full_name"] or "—", a["n"]] for a in agents],
        "satisfaction_responses": csat.count(),
        "satisfaction_mean": None if avg is None else round(avg, 2),
    }


@transaction.atomic
def complaint_summary_create(
    *, site: Site, month: dt.date, actor, meeting: Meeting | None = None
) -> ComplaintSummary:
    """Freeze the month's complaint figures and, with a monthly operations meeting, put
    them on its agenda (the agenda line links back to the summary)."""
    if meeting is not None and meeting.kind != MeetingKind.MONTHLY_OPERATIONS:
        raise ValidationError({"meeting": _("Choose a monthly operations meeting.")})
    if meeting is not None and meeting.site_id != site.pk:
        raise ValidationError({"meeting": _("The meeting is on another site.")})
    figures = complaint_figures(site, month)
    summary = record_create(
        ComplaintSummary,
        data={"site": site, "month": month_start(month), "figures": figures, "meeting": meeting},
        actor=actor,
        verb="complaint_summary_create",
    )
    if meeting is not None:
        line = _(
            "Complaints %(month)s: %(received)s received, %(closed)s closed, %(points)s points "
            "deducted (summary %(url)s)"
        ) % {
            "month": f"{summary.month:%Y-%m}",
            "received": figures["received"],
            "closed": figures["closed"],
            "points": f"{figures['points']:g}",
            "url": summary.get_absolute_url(),
        }
        agenda = "\n".join(filter(None, [meeting.agenda.strip(), line]))
        meetings.meeting_update(meeting=meeting, agenda=agenda, actor=actor)
    return summary
