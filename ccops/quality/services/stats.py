"""Work quality from the system's reports: each agent's month derived from the per-call
records (the same engine function as the real-data test) or imported from an ACD agent
report, reviewed and signed by the statistician; KPI rules turn the figures into points."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ccops.core.errors import Conflict
from ccops.core.limits import MAX_REPORTED_PROBLEMS, read_upload_csv, shorten
from ccops.core.models import Site
from ccops.core.permissions import has_model_perm
from ccops.core.services import (
    lock_for_update,
    record_amend,
    record_archive,
    record_create,
    record_sign,
    record_update,
)
from ccops.engine.agentstats import agent_month_stats
from ccops.engine.quality.scorecard import kpi_points
from ccops.people.models import Employee
from ccops.quality.choices import StatSource
from ccops.quality.models import AgentMonthStat, AgentStatMonth, KPIRule
from ccops.quality.services.common import month_bounds, month_start
from ccops.quality.services.complaints import satisfaction_by_agent
from ccops.wfm.models import CallRecord

MAX_REPORT_BYTES = 20 * 1024 * 1024
#: Columns of an imported ACD agent report (``agent`` is the ACD login or employee number).
REPORT_COLUMNS = (
    "agent",
    "calls_handled",
    "aht_seconds",
    "talk_seconds",
    "hold_seconds",
    "acw_seconds",
    "transfers",
    "login_seconds",
    "ready_seconds",
    "adherence_percent",
)
STAT_FIELDS = (*REPORT_COLUMNS[1:], "transfer_rate", "csat", "days_with_calls")


def _open_month(site: Site, month: dt.date):
    return AgentStatMonth.objects.filter(
        site=site, month=month_start(month), signed_at__isnull=True, amends__isnull=True
    )


def _start_month(site, month, source, actor, filename="") -> AgentStatMonth:
    for earlier in _open_month(site, month):
        record_archive(earlier, actor=actor)
    return record_create(
        AgentStatMonth,
        data={
            "site": site,
            "month": month_start(month),
            "source": source,
            "filename": filename,
            "created_by": actor,
        },
        actor=actor,
        verb=f"agent_stats_{source}",
    )


def _check_statistician(actor) -> None:
    if not has_model_perm(actor, AgentStatMonth, "add"):
        raise PermissionDenied(_("Only the statistician prepares the month's figures."))


@transaction.atomic
def agent_stats_derive(*, site: Site, month: dt.date, actor) -> AgentStatMonth:
    """The month's figures per agent from the imported per-call records of the site
    (login/ready time and adherence need an ACD agent report and stay empty)."""
    _check_statistician(actor)
    start, end = month_bounds(site, month)
    rows = list(
        CallRecord.objects.filter(
            site=site, started_at__gte=start, started_at__lt=end, employee__isnull=False
        ).values_list(
            "employee_id",
            "started_at",
            "outcome",
            "handle_seconds",
            "talk_seconds",
            "hold_seconds",
            "acw_seconds",
            "transferred",
        )
    )
    if not rows:
        raise ValidationError(
            _(
                "No imported call of %(month)s is matched to an employee: import the per-call "
                "records and set the employees' ACD agent logins first."
            )
            % {"month": f"{month:%Y-%m}"}
        )
    zone = site.zone
    col = lambda i: np.array([np.nan if r[i] is None else r[i] for r in rows], dtype=float)  # noqa: E731
    stats = agent_month_stats(
        agent=np.array([str(r[0]) for r in rows], dtype=object),
        start=np.array(
            [r[1].astimezone(zone).replace(tzinfo=None) for r in rows], dtype="datetime64[s]"
        ),
        handled=np.array([r[2] == "answered" for r in rows]),
        handle_seconds=col(3),
        talk_seconds=col(4),
        hold_seconds=col(5),
        acw_seconds=col(6),
        transferred=np.array([bool(r[7]) for r in rows]),
    )
    csat = satisfaction_by_agent(site, month)
    period = _start_month(site, month, StatSource.DERIVED, actor)
    first = np.datetime64(month_start(month), "M")
    objs = []
    for i in range(len(stats)):
        if stats.month[i] != first:
            continue

        def num(a, i=i):
            return None if not np.isfinite(a[i]) else round(float(a[i]), 2)

        employee_id = int(stats.agent[i])
        objs.append(
            AgentMonthStat(
                period=period,
                employee_id=employee_id,
                calls_handled=int(stats.calls_handled[i]),
                aht_seconds=num(stats.aht_seconds),
                talk_seconds=num(stats.talk_seconds),
                hold_seconds=num(stats.hold_seconds),
                acw_seconds=num(stats.acw_seconds),
                transfers=int(stats.transfers[i]),
                transfer_rate=round(float(stats.transfer_rate[i]), 4),
                days_with_calls=int(stats.days_with_calls[i]),
                csat=csat.get(employee_id),
            )
        )
    AgentMonthStat.objects.bulk_create(objs)
    return period


def _number(value: str, line: int, column: str, problems: list, *, whole=False):
    if value == "":
        return None
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        number = None
    if number is None or number < 0 or (whole and number != int(number)):
        kind = _("a whole number") if whole else _("a number")
        problems.append(
            _("line %(line)s, %(column)s: %(value)s is not %(kind)s (0 or more)")
            % {"line": line, "column": column, "value": shorten(value), "kind": kind}
        )
        return None
    return int(number) if whole else number


@transaction.atomic
def agent_stats_import(
    *, site: Site, month: dt.date, filename: str, content: bytes, actor
) -> AgentStatMonth:
    """Import an ACD agent report (CSV, one row per agent: :data:`REPORT_COLUMNS`), all or
    nothing; an agent is found by ACD login or employee number."""
    _check_statistician(actor)
    name = Path(filename or "agents.csv").name[:200]
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    cells = read_upload_csv(content, name, max_bytes=MAX_REPORT_BYTES, columns=REPORT_COLUMNS)
    if "agent" not in cells.columns or "calls_handled" not in cells.columns:
        raise ValidationError(
            {"file": _("%(file)s needs the columns agent and calls_handled.") % {"file": name}}
        )
    people = Employee.objects.filter(site=site)
    by_login = {e.acd_login: e for e in people.exclude(acd_login="")}
    by_number = {e.employee_number: e for e in people}
    rows, problems, seen = [], [], {}
    for line, row in cells.rows():
        who = row.get("agent", "")
        employee = by_login.get(who) or by_number.get(who)
        if employee is None:
            problems.append(
                _("line %(line)s, agent: %(value)s is no ACD login or employee number of %(site)s")
                % {"line": line, "value": shorten(who), "site": site.code}
            )
            continue
        if employee.pk in seen:
            problems.append(
                _("line %(line)s, agent: %(value)s is also on line %(other)s")
                % {"line": line, "value": shorten(who), "other": seen[employee.pk]}
            )
            continue
        seen[employee.pk] = line
        values = {
            c: _number(row.get(c, ""), line, c, problems, whole=c in ("calls_handled", "transfers"))
            for c in REPORT_COLUMNS[1:]
        }
        if values["adherence_percent"] is not None and values["adherence_percent"] > 100:
            problems.append(_("line %(line)s, adherence_percent: above 100") % {"line": line})
        rows.append((employee, values))
    if problems:
        shown = problems[:MAX_REPORTED_PROBLEMS]
        if len(problems) > MAX_REPORTED_PROBLEMS:
            shown.append(
                _("and %(n)s more problems") % {"n": len(problems) - MAX_REPORTED_PROBLEMS}
            )
        raise ValidationError({"file": [f"{name}: {p}" for p in shown]})
    if not rows:
        raise ValidationError({"file": _("%(file)s has no agents.") % {"file": name}})
    csat = satisfaction_by_agent(site, month)
    period = _start_month(site, month, StatSource.IMPORTED, actor, filename=name)
    objs = []
    for employee, values in rows:
        calls = values["calls_handled"] or 0
        transfers = values["transfers"] or 0
        objs.append(
            AgentMonthStat(
                period=period,
                employee=employee,
                csat=csat.get(employee.pk),
                transfer_rate=round(transfers / calls, 4) if calls else None,
                **{**values, "calls_handled": calls, "transfers": transfers},
            )
        )
    AgentMonthStat.objects.bulk_create(objs)
    return period


@transaction.atomic
def agent_stat_correct(*, row: AgentMonthStat, actor, **data) -> AgentMonthStat:
    """Correct one agent's figures before the month is signed."""
    period = lock_for_update(row.period)
    if period.is_signed:
        raise ValidationError(_("The figures are signed: record an amendment instead."))
    _check_statistician(actor)
    return record_update(row, data=data, actor=actor, verb="agent_stat_correct")


@transaction.atomic
def agent_stats_sign(*, period: AgentStatMonth, actor) -> AgentStatMonth:
    """The statistician signs the month's figures: from then on they are immutable."""
    period = lock_for_update(period)
    if not has_model_perm(actor, AgentStatMonth, "change"):
        raise PermissionDenied(_("Only the statistician signs the figures."))
    if period.is_signed:
        raise Conflict(_("These figures are signed already."))
    if period.archived_at:
        raise ValidationError(_("These figures were replaced."))
    if not period.rows.exists():
        raise ValidationError(_("There are no figures to sign."))
    return record_sign(period, actor=actor, verb="agent_stats_sign")


@transaction.atomic
def agent_stats_amend(*, period: AgentStatMonth, note: str, actor) -> AgentStatMonth:
    """A correction of signed figures: an unsigned copy to correct and sign again."""
    _check_statistician(actor)
    period = lock_for_update(period)
    if not note.strip():
        raise ValidationError({"note": _("Say what the amendment corrects.")})
    if period.amendments.filter(archived_at__isnull=True).exists():
        raise ValidationError(_("These figures have an amendment already: amend that one."))
    amendment = record_amend(
        period,
        data={"note": note.strip(), "created_by": actor},
        actor=actor,
        verb="agent_stats_amend",
    )
    AgentMonthStat.objects.bulk_create(
        [
            AgentMonthStat(
                period=amendment,
                employee_id=r.employee_id,
                **{f: getattr(r, f) for f in STAT_FIELDS},
            )
            for r in period.rows.all()
        ]
    )
    return amendment


def signed_stats(site: Site, month: dt.date) -> AgentStatMonth | None:
    """The figures of the month that count: the latest signed version (amendments
    included)."""
    return (
        AgentStatMonth.objects.filter(site=site, month=month_start(month), signed_at__isnull=False)
        .order_by("-signed_at", "-pk")
        .first()
    )


def kpi_points_by_agent(site: Site, rows) -> tuple[dict[int, dict], float]:
    """``{employee id: {kpi: points}}`` of the site's rules, and the rules' maximum total."""
    rules = list(KPIRule.objects.filter(site=site))
    rows = list(rows)
    out: dict[int, dict] = {r.employee_id: {} for r in rows}
    for rule in rules:
        values = np.array([_nan(r.kpi_value(rule.kpi)) for r in rows], dtype=float)
        points = kpi_points(values, rule.thresholds, rule.points, rule.better) if rows else []
        for r, p in zip(rows, points, strict=True):
            out[r.employee_id][rule.kpi] = float(p)
    return out, sum(rule.max_points for rule in rules)


def _nan(value):
    return np.nan if value is None else value
