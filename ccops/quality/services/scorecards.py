"""The monthly 100-point scorecard: compute a site's month from its four sources, release
it (the scorecards are then frozen), amend one with a reason, rank, trend, and export to
Excel for performance pay."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Font

from ccops.core.errors import Conflict
from ccops.core.exports import safe_row
from ccops.core.models import Site
from ccops.core.permissions import has_model_perm
from ccops.core.services import (
    lock_for_update,
    notify,
    record_amend,
    record_create,
    record_sign,
    record_update,
    require_state,
)
from ccops.engine.quality import scorecard as engine
from ccops.people.models import Employee
from ccops.quality.choices import (
    COUNTING_DISCIPLINE,
    AttemptStatus,
    ComplaintStatus,
    ScorecardStatus,
)
from ccops.quality.models import (
    Complaint,
    DisciplineRecord,
    Scorecard,
    ScorecardMonth,
    TestAttempt,
)
from ccops.quality.services.common import month_start, next_month, quarter_of, settings_for
from ccops.quality.services.evaluations import agent_qa
from ccops.quality.services.skills import expire_attempts
from ccops.quality.services.stats import kpi_points_by_agent, signed_stats


def scorecard_agents(site: Site):
    """The agents scored: active employees of the site in a group, who lead no team and
    hold no role other than agent."""
    non_agent_roles = Q(
        user__groups__name__in=[
            "center_director",
            "operations_supervisor",
            "quality_supervisor",
            "general_supervisor",
            "area_manager",
            "group_manager",
            "qa_inspector",
            "trainer",
            "editor",
            "statistician",
        ]
    )
    return (
        Employee.objects.filter(site=site, status="active", team__kind="group")
        .exclude(led_teams__isnull=False)
        .exclude(non_agent_roles)
        .select_related("team", "team__parent")
        .distinct()
        .order_by("employee_number")
    )


def weights_of(site: Site) -> engine.Weights:
    s = settings_for(site)
    return engine.Weights(s.weight_service, s.weight_work, s.weight_skills, s.weight_discipline)


def _skills_results(site: Site, month: dt.date, ids) -> dict[int, tuple[float, int]]:
    """The quarter's marked test result per agent (else the previous quarter's)."""
    year, quarter = quarter_of(month)
    prev = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    out: dict[int, tuple[float, int]] = {}
    for y, q in (prev, (year, quarter)):  # the current quarter overrides the previous
        for employee_id, percent, pk in (
            TestAttempt.objects.filter(
                test__site=site,
                test__year=y,
                test__quarter=q,
                status=AttemptStatus.MARKED,
                employee_id__in=ids,
            )
            .order_by("marked_at")
            .values_list("employee_id", "score_percent", "pk")
        ):
            out[employee_id] = (percent, pk)
    return out


@transaction.atomic
def scorecard_compute(*, site: Site, month: dt.date, actor) -> ScorecardMonth:
    """Compute (or recompute, while a draft) every agent's scorecard of ``month``."""
    if not has_model_perm(actor, ScorecardMonth, "add"):
        raise PermissionDenied(_("Only the quality supervisor computes scorecards."))
    first = month_start(month)
    sheet = ScorecardMonth.objects.filter(site=site, month=first).first()
    if sheet is None:
        sheet = record_create(
            ScorecardMonth,
            data={"site": site, "month": first},
            actor=actor,
            verb="scorecard_month_create",
        )
    sheet = lock_for_update(sheet)
    require_state(sheet, "status", ScorecardStatus.DRAFT)
    expire_attempts()
    agents = list(scorecard_agents(site))
    ids = [a.pk for a in agents]
    weights = weights_of(site)
    qa = agent_qa(site, first, ids)
    after = next_month(first)
    complaints: dict[int, list] = {}
    for pk, agent_id, points in Complaint.objects.filter(
        site=site,
        agent_id__in=ids,
        status=ComplaintStatus.CLOSED,
        received_on__gte=first,
        received_on__lt=after,
    ).values_list("pk", "agent_id", "points"):
        complaints.setdefault(agent_id, []).append((pk, points))
    discipline: dict[int, list] = {}
    for pk, employee_id, points in DisciplineRecord.objects.filter(
        site=site,
        employee_id__in=ids,
        status__in=COUNTING_DISCIPLINE,
        occurred_on__gte=first,
        occurred_on__lt=after,
    ).values_list("pk", "employee_id", "points"):
        discipline.setdefault(employee_id, []).append((pk, points))
    stats = signed_stats(site, first)
    stat_rows = list(stats.rows.all()) if stats else []
    kpis, kpi_max = kpi_points_by_agent(site, stat_rows)
    stat_ids = {r.employee_id: r.pk for r in stat_rows}
    skills = _skills_results(site, first, ids)
    nan = float("nan")
    qa_mean = np.array([qa.get(i, {}).get("mean", nan) for i in ids], dtype=float)
    points = engine.scorecard_points(
        weights=weights,
        qa_mean=qa_mean,
        complaint_points=np.array([sum(p for _k, p in complaints.get(i, [])) for i in ids]),
        kpi_points_sum=np.array([sum(kpis.get(i, {}).values()) for i in ids], dtype=float),
        kpi_points_max=kpi_max,
        skills_percent=np.array([skills.get(i, (nan, None))[0] for i in ids], dtype=float),
        discipline_points=np.array([sum(p for _k, p in discipline.get(i, [])) for i in ids]),
    )
    old = Scorecard.objects.filter(month=sheet, amends__isnull=True)
    if old.exists():
        old.update(archived_at=timezone.now(), archived_by=actor)
    rows = []
    for k, agent in enumerate(agents):
        q = qa.get(agent.pk, {})
        team = agent.team
        rows.append(
            Scorecard(
                month=sheet,
                employee=agent,
                team=team,
                area=team.parent if team else None,
                service_points=float(points.service[k]),
                work_points=float(points.work[k]),
                skills_points=float(points.skills[k]),
                discipline_points=float(points.discipline[k]),
                total=float(points.total[k]),
                qa_mean=q.get("mean"),
                qa_count=q.get("n", 0),
                qa_margin=q.get("margin"),
                complaint_points=float(sum(p for _k, p in complaints.get(agent.pk, []))),
                kpi_points=float(sum(kpis.get(agent.pk, {}).values())),
                skills_percent=skills.get(agent.pk, (None, None))[0],
                discipline_deducted=float(sum(p for _k, p in discipline.get(agent.pk, []))),
                details={
                    "evaluations": q.get("ids", []),
                    "complaints": [pk for pk, _p in complaints.get(agent.pk, [])],
                    "discipline": [pk for pk, _p in discipline.get(agent.pk, [])],
                    "stats": stat_ids.get(agent.pk),
                    "stats_month": stats.pk if stats else None,
                    "kpis": kpis.get(agent.pk, {}),
                    "kpi_max": kpi_max,
                    "test_attempt": skills.get(agent.pk, (None, None))[1],
                },
            )
        )
    Scorecard.objects.bulk_create(rows)
    notes = {
        "agents": len(rows),
        "stats_signed": stats is not None,
        "without_evaluations": int(np.isnan(qa_mean).sum()),
    }
    return record_update(
        sheet,
        data={"weights": weights.__dict__, "computed_at": timezone.now(), "notes": notes},
        actor=actor,
        verb="scorecard_compute",
    )


@transaction.atomic
def scorecard_release(*, sheet: ScorecardMonth, actor) -> ScorecardMonth:
    """Release the month: every scorecard is signed (frozen) and its agent notified."""
    sheet = lock_for_update(sheet)
    if not has_model_perm(actor, ScorecardMonth, "change"):
        raise PermissionDenied(_("Only the quality supervisor releases scorecards."))
    require_state(sheet, "status", ScorecardStatus.DRAFT)
    if sheet.computed_at is None:
        raise ValidationError(_("Compute the scorecards first."))
    now = timezone.now()
    cards = Scorecard.objects.filter(month=sheet, signed_at__isnull=True)
    cards.update(signed_at=now, signed_by=actor)
    sheet = record_update(
        sheet,
        data={"status": ScorecardStatus.RELEASED, "released_at": now, "released_by": actor},
        actor=actor,
        verb="scorecard_release",
    )
    for card in current_scorecards(sheet).select_related("employee__user"):
        if card.employee.user_id:
            notify(
                user=card.employee.user,
                message=gettext_noop("Your scorecard of %(month)s: %(total)s of 100"),
                params={"month": f"{sheet.month:%Y-%m}", "total": f"{card.total:.1f}"},
                url=card.get_absolute_url(),
            )
    return sheet


AMENDABLE = ("service_points", "work_points", "skills_points", "discipline_points")


@transaction.atomic
def scorecard_amend(*, scorecard: Scorecard, reason: str, actor, **points) -> Scorecard:
    """Correct a released scorecard: a new, signed scorecard with the reason; the released
    one stays as it was."""
    if not has_model_perm(actor, Scorecard, "change"):
        raise PermissionDenied(_("Only the quality supervisor amends scorecards."))
    scorecard = lock_for_update(scorecard)
    if not scorecard.is_signed:
        raise ValidationError(_("The month is not released: recompute it instead."))
    if scorecard.amendments.filter(archived_at__isnull=True).exists():
        raise Conflict(_("This scorecard has been amended already: amend the amendment."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the amendment.")})
    unknown = set(points) - set(AMENDABLE)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be amended.")})
    weights = scorecard.month.weights or {}
    limits = {
        "service_points": weights.get("service", 100),
        "work_points": weights.get("work", 100),
        "skills_points": weights.get("skills", 100),
        "discipline_points": weights.get("discipline", 100),
    }
    values = {f: getattr(scorecard, f) for f in AMENDABLE}
    for field, value in points.items():
        if value is None:
            continue
        if not 0 <= float(value) <= limits[field]:
            raise ValidationError({field: _("From 0 to %(max)s points.") % {"max": limits[field]}})
        values[field] = round(float(value), 2)
    if values == {f: getattr(scorecard, f) for f in AMENDABLE}:
        raise ValidationError(_("The amendment changes nothing."))
    total = round(sum(values.values()), 2)
    amendment = record_amend(
        scorecard,
        data={**values, "total": total, "reason": reason.strip()},
        actor=actor,
        verb="scorecard_amend",
    )
    amendment = record_sign(amendment, actor=actor, verb="scorecard_amend_sign")
    if scorecard.employee.user_id:
        notify(
            user=scorecard.employee.user,
            message=gettext_noop("Your scorecard of %(month)s was amended: %(total)s of 100"),
            params={"month": f"{scorecard.month.month:%Y-%m}", "total": f"{total:.1f}"},
            url=amendment.get_absolute_url(),
        )
    return amendment


def current_scorecards(sheet: ScorecardMonth):
    """The scorecards that count: not replaced by an amendment."""
    return Scorecard.objects.filter(month=sheet).exclude(
        pk__in=Scorecard.objects.filter(month=sheet, amends__isnull=False).values("amends")
    )


def ranked(cards) -> list[dict]:
    """Each scorecard with its rank in its group, its area and the center."""
    cards = list(cards)
    totals = np.array([c.total for c in cards], dtype=float)
    group = engine.ranks(np.array([c.team_id or 0 for c in cards]), totals)
    area = engine.ranks(np.array([c.area_id or 0 for c in cards]), totals)
    center = engine.ranks(np.zeros(len(cards), dtype=int), totals)
    rows = [
        {
            "card": c,
            "rank_group": int(group[i]),
            "rank_area": int(area[i]),
            "rank_center": int(center[i]),
        }
        for i, c in enumerate(cards)
    ]
    return sorted(rows, key=lambda r: (r["rank_center"], r["card"].employee.employee_number))


def trend(employee: Employee, months: int = 12) -> list[dict]:
    """The agent's released totals over the last ``months`` months (oldest first)."""
    rows = []
    sheets = ScorecardMonth.objects.filter(
        site=employee.site, status=ScorecardStatus.RELEASED
    ).order_by("-month")[:months]
    for sheet in reversed(list(sheets)):
        card = current_scorecards(sheet).filter(employee=employee).first()
        if card:
            rows.append(
                {
                    "month": sheet.month,
                    "total": card.total,
                    "card": card,
                    "service": card.service_points,
                    "work": card.work_points,
                    "skills": card.skills_points,
                    "discipline": card.discipline_points,
                }
            )
    return rows


def export_xlsx(sheet: ScorecardMonth, user=None) -> bytes:
    """The month for performance pay: one row per agent (those ``user`` may see), every
    cell through ``safe_cell``."""
    book = Workbook()
    ws = book.active
    ws.title = f"{sheet.month:%Y-%m}"
    weights = sheet.weights or {}
    header = [
        _("Employee number"),
        _("Agent"),
        _("Group"),
        _("Area"),
        _("Service quality (of %(w)s)") % {"w": weights.get("service", "")},
        _("Work quality (of %(w)s)") % {"w": weights.get("work", "")},
        _("Business skills (of %(w)s)") % {"w": weights.get("skills", "")},
        _("Labour discipline (of %(w)s)") % {"w": weights.get("discipline", "")},
        _("Total"),
        _("Rank in group"),
        _("Rank in area"),
        _("Rank in center"),
        _("QA score"),
        _("Evaluations"),
        _("QA margin of error (95 %)"),
        _("Complaint deductions"),
        _("Discipline deductions"),
        _("Test result (%)"),
        _("Amended"),
        _("Reason for the amendment"),
    ]
    ws.append(safe_row(str(h) for h in header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    visible = None
    if user is not None:
        visible = set(Scorecard.objects.restrict(user, "view").values_list("pk", flat=True))
    for row in ranked(current_scorecards(sheet).select_related("employee", "team", "area")):
        c = row["card"]
        if visible is not None and c.pk not in visible:
            continue
        ws.append(
            safe_row(
                [
                    c.employee.employee_number,
                    c.employee.full_name,
                    c.team.name if c.team else "",
                    c.area.name if c.area else "",
                    c.service_points,
                    c.work_points,
                    c.skills_points,
                    c.discipline_points,
                    c.total,
                    row["rank_group"],
                    row["rank_area"],
                    row["rank_center"],
                    None if c.qa_mean is None else round(c.qa_mean, 2),
                    c.qa_count,
                    None if c.qa_margin is None else round(c.qa_margin, 2),
                    c.complaint_points,
                    c.discipline_deducted,
                    c.skills_percent,
                    bool(c.amends_id),
                    c.reason,
                ]
            )
        )
    for column, width in zip("ABCDEFGHIJKLMNOPQRST", (14, 24, 16, 20) + (12,) * 16, strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def team_summary(sheet: ScorecardMonth) -> list[dict]:
    """Mean total per group (for managers' and the center's overview)."""
    groups: dict = {}
    for c in current_scorecards(sheet).select_related("team"):
        g = groups.setdefault(c.team_id, {"team": c.team, "n": 0, "sum": 0.0})
        g["n"] += 1
        g["sum"] += c.total
    return sorted(
        (
            {"team": g["team"], "agents": g["n"], "mean": round(g["sum"] / g["n"], 2)}
            for g in groups.values()
        ),
        key=lambda r: -r["mean"],
    )
