"""Forecasts planners steer: a manual adjustment kept as a new version, two versions side
by side, the chart's data (forecast, 80 % band, handle time, actuals) and the warnings that
concern the horizon shown.

An adjustment never changes the version it adjusts: it copies its intervals into the next
version of the queue, multiplies the calls of the chosen days (and the band with them, so
the band stays the same relative width) by one factor, and records the days, the percent
or calls asked for, the factor, the calls before and after and the reason in
``Forecast.adjustment``; ``Forecast.based_on`` links the two versions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ccops.core.formats import format_date
from ccops.core.limits import MAX_SHORT_TEXT
from ccops.core.services import lock_for_update, record_create, require_state
from ccops.wfm.choices import ForecastStatus
from ccops.wfm.models import Forecast, ForecastInterval, IntervalStat
from ccops.wfm.services.forecasts import local_midnight

#: Largest increase a planner may ask for (a campaign may triple the calls, not more).
MAX_PERCENT = 1000.0


def horizon_days(forecast: Forecast) -> tuple[date, date]:
    """First and last local day of the forecast's horizon."""
    return forecast.horizon_start, forecast.horizon_start + timedelta(
        days=forecast.horizon_days - 1
    )


def _number(value, field: str, errors: dict) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors[field] = _("Enter a number.")
        return None
    if not math.isfinite(number):
        errors[field] = _("Enter a number.")
        return None
    return number


@transaction.atomic
def forecast_adjust(
    *,
    forecast: Forecast,
    start: date,
    end: date | None = None,
    percent: float | None = None,
    calls: float | None = None,
    reason: str,
    actor,
) -> Forecast:
    """A new version of ``forecast`` with the calls of the local days ``start``..``end``
    changed by ``percent`` or by ``calls`` in total (spread like the forecast itself);
    ``forecast`` is kept as it was. Refusals name the field."""
    original = lock_for_update(forecast)
    require_state(
        original,
        "status",
        ForecastStatus.READY,
        message=_("Only a ready forecast can be adjusted."),
    )
    first, last = horizon_days(original)
    end = start if end is None else end
    errors: dict[str, str] = {}
    span = {"a": format_date(first), "b": format_date(last)}
    if start is None:
        errors["start"] = _("Give the first day to adjust.")
    elif not first <= start <= last:
        errors["start"] = _("Choose a day of the forecast, %(a)s to %(b)s.") % span
    if end is not None and start is not None and "start" not in errors:
        if end < start:
            errors["end"] = _("The last day is before the first day.")
        elif end > last:
            errors["end"] = _("Choose a day of the forecast, %(a)s to %(b)s.") % span
    percent = _number(percent, "percent", errors)
    calls = _number(calls, "calls", errors)
    if "percent" not in errors and "calls" not in errors:
        if percent is None and calls is None:
            errors["percent"] = _("Give a change in percent or in calls.")
        elif percent is not None and calls is not None:
            errors["calls"] = _("Give a change in percent or in calls, not both.")
        elif percent is not None and percent == 0:
            errors["percent"] = _("A change of %(n)d %% changes nothing.") % {"n": 0}
        elif percent is not None and percent <= -100:
            errors["percent"] = _(
                "A decrease must be less than 100 % (a day without calls is a closed day in "
                "the site calendar)."
            )
        elif percent is not None and percent > MAX_PERCENT:
            errors["percent"] = _("An increase of at most %(n)d %%.") % {"n": MAX_PERCENT}
        elif calls is not None and calls == 0:
            errors["calls"] = _("A change of 0 calls changes nothing.")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Say why the forecast is adjusted.")
    elif len(reason) > MAX_SHORT_TEXT:
        errors["reason"] = _("At most %(n)d characters.") % {"n": MAX_SHORT_TEXT}
    if errors:
        raise ValidationError(errors)

    site = original.site
    lo, hi = local_midnight(site, start), local_midnight(site, end + timedelta(days=1))
    rows = list(ForecastInterval.objects.filter(forecast=original).order_by("interval_start"))
    inside = [r for r in rows if lo <= r.interval_start < hi]
    before = sum(r.calls for r in inside)
    if calls is not None:
        if before <= 0:
            raise ValidationError(
                {"calls": _("The forecast has no calls on these days to change.")}
            )
        after = before + calls
        if after <= 0:
            raise ValidationError(
                {
                    "calls": _(
                        "These days have %(before)s calls: a decrease of %(calls)s calls "
                        "leaves none."
                    )
                    % {"before": round(before, 1), "calls": round(-calls, 1)}
                }
            )
        factor = after / before
        if factor > 1 + MAX_PERCENT / 100:
            raise ValidationError(
                {"calls": _("An increase of at most %(n)d %%.") % {"n": MAX_PERCENT}}
            )
    else:
        factor = 1 + percent / 100
        after = before * factor

    # Versions are numbered per queue: parallel adjustments queue on the queue's row and
    # each gets the next number.
    lock_for_update(original.queue)
    top = Forecast.all_objects.filter(queue=original.queue).aggregate(v=Max("version"))["v"]
    summary = dict(original.summary or {})
    summary["calls"] = round(sum(r.calls for r in rows) - before + after, 1)
    adjusted = record_create(
        Forecast,
        data={
            "site": site,
            "queue": original.queue,
            "version": (top or 0) + 1,
            "horizon_start": original.horizon_start,
            "horizon_days": original.horizon_days,
            "interval_minutes": original.interval_minutes,
            "method": original.method,
            "status": ForecastStatus.READY,
            "created_by": actor,
            "history_start": original.history_start,
            "history_end": original.history_end,
            "notes": original.notes,
            "summary": summary,
            "based_on": original,
            "adjustment": {
                "first_day": start.isoformat(),
                "last_day": end.isoformat(),
                "percent": percent,
                "calls": calls,
                "factor": round(factor, 6),
                "calls_before": round(before, 1),
                "calls_after": round(after, 1),
                "intervals": len(inside),
                "reason": reason,
            },
        },
        actor=actor,
        verb="forecast_adjust",
    )

    def scaled(value, row):
        if value is None or not lo <= row.interval_start < hi:
            return value
        return value * factor

    ForecastInterval.objects.bulk_create(
        [
            ForecastInterval(
                forecast=adjusted,
                interval_start=r.interval_start,
                calls=scaled(r.calls, r),
                calls_low=scaled(r.calls_low, r),
                calls_high=scaled(r.calls_high, r),
                aht_seconds=r.aht_seconds,
            )
            for r in rows
        ],
        batch_size=2000,
    )
    return adjusted


def adjustments(forecast: Forecast) -> list[dict]:
    """The manual adjustments that made ``forecast``, newest first, following
    ``based_on`` down to the computed version."""
    out = []
    seen = set()
    current = forecast
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        if current.adjustment:
            out.append(adjustment_view(current))
        current = current.based_on
    return out


def adjustment_view(forecast: Forecast) -> dict:
    """``forecast.adjustment`` with dates as dates and the versions involved."""
    a = dict(forecast.adjustment)
    a["first_day"] = date.fromisoformat(a["first_day"])
    a["last_day"] = date.fromisoformat(a["last_day"])
    a["version"] = forecast
    a["based_on"] = forecast.based_on
    a["by"] = forecast.created_by
    a["at"] = forecast.created_at
    return a


def adjustment_data(a: dict) -> dict:
    """An adjustment as JSON for the API."""
    return {
        **{k: v for k, v in a.items() if k not in ("version", "based_on", "by", "at")},
        "first_day": a["first_day"].isoformat(),
        "last_day": a["last_day"].isoformat(),
        "version": a["version"].pk,
        "based_on": a["based_on"].pk if a["based_on"] else None,
        "by": a["by"].get_full_name() if a["by"] else "",
        "at": a["at"].isoformat(),
    }


# --- the chart -------------------------------------------------------------------------


def chart_data(forecast: Forecast) -> dict:
    """Per interval of the forecast: the calls, the 80 % band, the handle time (where calls
    are forecast) and the imported actuals (``None`` where nothing was imported), labels in
    the site's clock."""
    zone = forecast.site.zone
    rows = list(
        ForecastInterval.objects.filter(forecast=forecast)
        .order_by("interval_start")
        .values_list("interval_start", "calls", "calls_low", "calls_high", "aht_seconds")
    )
    starts = [r[0] for r in rows]
    actual = (
        dict(
            IntervalStat.objects.filter(
                queue=forecast.queue, interval_start__in=starts
            ).values_list("interval_start", "offered")
        )
        if starts
        else {}
    )

    def r2(v):
        return None if v is None else round(v, 2)

    return {
        "labels": [s.astimezone(zone).strftime("%m-%d %H:%M") for s in starts],
        "forecast": [r2(r[1]) for r in rows],
        "low": [r2(r[2]) for r in rows],
        "high": [r2(r[3]) for r in rows],
        # No handle time where no call is forecast (closed hours): a line there says nothing.
        "aht": [r2(r[4]) if r[1] > 0 else None for r in rows],
        "actual": [actual.get(s) for s in starts],
        "has_band": any(r[2] is not None for r in rows),
        "has_actuals": bool(actual),
    }


# --- warnings --------------------------------------------------------------------------


def _note_day(note) -> date | None:
    day = (note.get("params") or {}).get("day") if isinstance(note, dict) else str(note)[:10]
    try:
        return date.fromisoformat(day) if day else None
    except ValueError:
        return None


def horizon_notes(forecast: Forecast) -> list[str]:
    """The forecast's warnings in the reader's language, leaving out those about days
    outside the horizon shown (the engine forecasts from the end of the history, so it
    also warns about the days between the history and the horizon)."""
    from ccops.wfm.services import forecasts

    first, last = horizon_days(forecast)
    out = []
    for note in (forecast.summary or {}).get("notes", []):
        day = _note_day(note)
        if day is not None and not first <= day <= last:
            continue
        text = forecasts.note_text(note)
        if day is not None:
            calls = day_calls(forecast, day)
            text = _("%(warning)s (%(calls)s calls forecast that day)") % {
                "warning": text.rstrip("."),
                "calls": f"{calls:,.0f}",
            }
        out.append(text)
    return out


def day_calls(forecast: Forecast, day: date) -> float:
    site = forecast.site
    values = ForecastInterval.objects.filter(
        forecast=forecast,
        interval_start__gte=local_midnight(site, day),
        interval_start__lt=local_midnight(site, day + timedelta(days=1)),
    ).values_list("calls", flat=True)
    return float(sum(values))


# --- two versions side by side ------------------------------------------------------------


@dataclass
class VersionComparison:
    a: Forecast
    b: Forecast
    starts: list[datetime]
    calls_a: list[float | None]
    calls_b: list[float | None]
    days: list[dict]
    adjustments: list[dict]

    @property
    def total_a(self) -> float:
        return sum(d["a"] for d in self.days)

    @property
    def total_b(self) -> float:
        return sum(d["b"] for d in self.days)

    def chart(self) -> dict:
        zone = self.a.site.zone
        return {
            "labels": [s.astimezone(zone).strftime("%m-%d %H:%M") for s in self.starts],
            "a": self.calls_a,
            "b": self.calls_b,
        }


def versions_compare(a: Forecast, b: Forecast) -> VersionComparison:
    """Two forecast versions of one queue: per interval, per day (totals, the difference
    and its percent) and the manual adjustments that lead from one to the other."""
    if a.queue_id != b.queue_id:
        raise ValidationError({"b": _("Compare two versions of the same queue.")})
    zone = a.site.zone
    values = {}
    for which, forecast in (("a", a), ("b", b)):
        for start, calls in ForecastInterval.objects.filter(forecast=forecast).values_list(
            "interval_start", "calls"
        ):
            values.setdefault(start, {})[which] = calls
    starts = sorted(values)
    by_day: dict = {}
    for start in starts:
        row = by_day.setdefault(start.astimezone(zone).date(), {"a": 0.0, "b": 0.0})
        row["a"] += values[start].get("a", 0.0)
        row["b"] += values[start].get("b", 0.0)
    days = []
    for day, row in sorted(by_day.items()):
        diff = row["b"] - row["a"]
        days.append(
            {
                "day": day,
                "a": row["a"],
                "b": row["b"],
                "difference": diff,
                "percent": diff / row["a"] * 100 if row["a"] else None,
            }
        )
    newer, older = (b, a) if b.version >= a.version else (a, b)
    # The adjustments one version has and the other has not (when the newer descends from
    # the older: those made between them).
    mine, theirs = adjustments(newer), adjustments(older)
    shared = {x["version"].pk for x in mine} & {x["version"].pk for x in theirs}
    between = [x for x in mine + theirs if x["version"].pk not in shared]
    r2 = lambda v: None if v is None else round(v, 2)  # noqa: E731
    return VersionComparison(
        a=a,
        b=b,
        starts=starts,
        calls_a=[r2(values[s].get("a")) for s in starts],
        calls_b=[r2(values[s].get("b")) for s in starts],
        days=days,
        adjustments=between,
    )
