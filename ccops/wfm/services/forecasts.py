"""Forecast versions: the engine's interval forecast of a queue from its imported history,
and accuracy against the actuals (WAPE, bias, worst intervals).

Conversion to the engine: ``IntervalStat`` rows become naive site-local ``datetime64``
starts with ``calls`` and ``aht_seconds`` arrays; the site's ``CalendarPeriod`` rows become
``SpecialDays``; the engine's ``Forecast`` arrays become ``ForecastInterval`` rows (UTC).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccops.core.choices import PeriodKind
from ccops.core.formats import format_date
from ccops.core.models import CalendarPeriod, Queue
from ccops.core.services import record_create, record_update
from ccops.engine.forecast import SpecialDays, forecast_series
from ccops.engine.forecast.api import MAX_HORIZON_DAYS
from ccops.engine.forecast.metrics import bias, wape
from ccops.wfm.choices import ForecastStatus
from ccops.wfm.models import Forecast, ForecastInterval, IntervalStat

METHOD = "ccops"

#: The engine's forecast warnings (``ccops.engine.forecast.model.NOTES``) in the reader's
#: language; the summary of a forecast stores the code and values.
NOTE_TEXTS = {
    "little_history": gettext_lazy(
        "Too little history to measure the forecast error: the 80 %% band uses a default."
    ),
    "unseen_day_kind": gettext_lazy(
        "%(day)s: no earlier %(kind)s in the history; forecast as a normal day."
    ),
}


def note_data(note) -> dict:
    """A forecast warning as stored in ``Forecast.summary``: code, values and English text."""
    return {
        "code": getattr(note, "code", ""),
        "params": dict(getattr(note, "params", {})),
        "text": str(note),
    }


def note_text(note) -> str:
    """A stored forecast warning in the reader's language (old rows: the English text)."""
    if isinstance(note, str):
        return note
    words = NOTE_TEXTS.get(note.get("code", ""))
    if words is None:
        return str(note.get("text", ""))
    values = dict(note.get("params") or {})
    if "kind" in values:
        values["kind"] = (
            PeriodKind(values["kind"]).label if values["kind"] in PeriodKind else values["kind"]
        )
    if "day" in values:
        with contextlib.suppress(ValueError):
            values["day"] = format_date(date.fromisoformat(values["day"]), long=True)
    return str(words) % values


HISTORY_WEEKS = 26


def local_midnight(site, day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=site.zone)


@transaction.atomic
def forecast_create(
    *,
    queue: Queue,
    horizon_start: date,
    horizon_days: int,
    actor,
    history_weeks: int = HISTORY_WEEKS,
    notes: str = "",
) -> Forecast:
    """Record a new forecast version of ``queue`` (computed by :func:`forecast_start`)."""
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise ValidationError(
            {"horizon_days": _("Forecast 1 to %(n)d days.") % {"n": MAX_HORIZON_DAYS}}
        )
    if not 1 <= history_weeks <= 104:
        raise ValidationError({"history_weeks": _("Use 1 to 104 weeks of history.")})
    top = Forecast.all_objects.filter(queue=queue).aggregate(v=Max("version"))["v"] or 0
    return record_create(
        Forecast,
        data={
            "site": queue.site,
            "queue": queue,
            "version": top + 1,
            "horizon_start": horizon_start,
            "horizon_days": horizon_days,
            "interval_minutes": queue.site.interval_minutes,
            "method": METHOD,
            "created_by": actor,
            "history_start": horizon_start - timedelta(weeks=history_weeks),
            "history_end": horizon_start - timedelta(days=1),
            "notes": notes,
        },
        actor=actor,
        verb="forecast_create",
    )


def forecast_start(*, forecast: Forecast, actor):
    """Enqueue the forecast computation; returns the job."""
    from ccops.core.jobs import job_enqueue
    from ccops.wfm import tasks

    job = job_enqueue(
        tasks.forecast_run,
        kind="wfm.forecast",
        title=_("Forecast %(f)s") % {"f": forecast},
        owner=actor,
        forecast_id=forecast.pk,
    )
    Forecast.objects.filter(pk=forecast.pk).update(job=job)
    forecast.job = job
    return job


def site_calendar(site) -> SpecialDays:
    """The site's calendar periods (and those of every site) as engine special days."""
    rows = []
    seen = set()
    periods = CalendarPeriod.objects.filter(Q(site=site) | Q(site__isnull=True)).exclude(
        kind="normal"
    )
    for period in periods:
        day = period.start_date
        while day <= period.end_date:
            if (day, period.kind) not in seen:
                seen.add((day, period.kind))
                rows.append((day.isoformat(), period.kind, period.name))
            day += timedelta(days=1)
    return SpecialDays.from_rows(rows)


def history_arrays(queue: Queue, start: date, end: date):
    """Imported intervals of ``queue`` on the local days ``start``..``end``: naive local
    ``datetime64[m]`` starts, calls and AHT (NaN where nothing was answered)."""
    site = queue.site
    rows = list(
        IntervalStat.objects.filter(
            queue=queue,
            interval_start__gte=local_midnight(site, start),
            interval_start__lt=local_midnight(site, end + timedelta(days=1)),
        )
        .order_by("interval_start")
        .values_list("interval_start", "offered", "aht_seconds")
    )
    if not rows:
        return np.array([], dtype="datetime64[m]"), np.array([]), np.array([])
    starts = pd.DatetimeIndex([r[0] for r in rows]).tz_convert(site.time_zone).tz_localize(None)
    calls = np.array([r[1] for r in rows], dtype=float)
    aht = np.array([np.nan if r[2] is None else r[2] for r in rows], dtype=float)
    return starts.to_numpy().astype("datetime64[m]"), calls, aht


def compute_forecast(forecast: Forecast, progress=lambda f, m: None) -> int:
    """Run the engine for ``forecast`` and store its intervals; returns their count."""
    site, queue = forecast.site, forecast.queue
    starts, calls, aht = history_arrays(queue, forecast.history_start, forecast.history_end)
    if starts.size == 0:
        raise ValueError(
            _("No imported history for %(queue)s between %(a)s and %(b)s.")
            % {"queue": queue, "a": forecast.history_start, "b": forecast.history_end}
        )
    progress(0.2, _("Fitting the model on %(n)d intervals") % {"n": starts.size})
    last_day = starts[-1].astype("datetime64[D]").astype(object)
    lead = (forecast.horizon_start - last_day).days - 1
    horizon = lead + forecast.horizon_days
    if horizon > MAX_HORIZON_DAYS:
        raise ValueError(
            _(
                "The history ends on %(day)s: too long before the horizon (at most %(n)d days "
                "ahead)."
            )
            % {"day": last_day, "n": MAX_HORIZON_DAYS}
        )
    result = forecast_series(
        starts,
        calls,
        aht_seconds=aht if np.isfinite(aht).any() else None,
        interval_minutes=site.interval_minutes,
        horizon_days=horizon,
        calendar=site_calendar(site),
    )
    progress(0.7, _("Storing the forecast"))
    local = pd.DatetimeIndex(result.interval_start.astype("datetime64[ns]"))
    utc = local.tz_localize(site.time_zone, ambiguous="NaT", nonexistent="NaT").tz_convert(UTC)
    first = local_midnight(site, forecast.horizon_start)
    last = local_midnight(site, forecast.horizon_start + timedelta(days=forecast.horizon_days))
    default_aht = float(np.nanmean(aht)) if np.isfinite(aht).any() else 0.0
    rows = []
    for i, start in enumerate(utc):
        if start is pd.NaT or not (first <= start.to_pydatetime() < last):
            continue
        a = result.aht_seconds[i] if result.aht_seconds is not None else default_aht
        rows.append(
            ForecastInterval(
                forecast=forecast,
                interval_start=start.to_pydatetime(),
                calls=float(result.calls[i]),
                calls_low=float(result.calls_low[i]),
                calls_high=float(result.calls_high[i]),
                aht_seconds=float(a) if np.isfinite(a) else default_aht,
            )
        )
    with transaction.atomic():
        ForecastInterval.objects.filter(forecast=forecast).delete()
        ForecastInterval.objects.bulk_create(rows, batch_size=2000)
        record_update(
            forecast,
            data={
                "status": ForecastStatus.READY,
                "summary": {
                    "intervals": len(rows),
                    "calls": round(sum(r.calls for r in rows), 1),
                    "history_intervals": int(starts.size),
                    "excluded_days": [str(d) for d in result.excluded_days],
                    "notes": [note_data(n) for n in result.notes],
                },
            },
            actor=forecast.created_by,
            verb="forecast_ready",
        )
    return len(rows)


def forecast_fail(forecast: Forecast, error: str) -> None:
    record_update(
        forecast,
        data={"status": ForecastStatus.FAILED, "summary": {"error": error}},
        actor=forecast.created_by,
        verb="forecast_fail",
    )


# --- forecast against actual ------------------------------------------------------------


@dataclass
class Comparison:
    starts: list[datetime]
    forecast: np.ndarray
    actual: np.ndarray  # NaN where nothing was imported

    @property
    def has_actuals(self) -> bool:
        return bool(np.isfinite(self.actual).any())

    @property
    def wape(self) -> float:
        return wape(self.actual, self.forecast)

    @property
    def bias(self) -> float:
        return bias(self.actual, self.forecast)

    def worst(self, n: int = 10) -> list[dict]:
        err = np.abs(self.forecast - self.actual)
        order = [i for i in np.argsort(-np.nan_to_num(err, nan=-1.0)) if np.isfinite(err[i])]
        return [
            {
                "start": self.starts[i],
                "forecast": float(self.forecast[i]),
                "actual": float(self.actual[i]),
                "error": float(self.forecast[i] - self.actual[i]),
            }
            for i in order[:n]
        ]

    def daily(self, zone) -> list[dict]:
        out: dict = {}
        for i, start in enumerate(self.starts):
            day = start.astimezone(zone).date()
            row = out.setdefault(day, {"day": day, "f": [], "a": []})
            row["f"].append(self.forecast[i])
            row["a"].append(self.actual[i])
        days = []
        for row in out.values():
            f, a = np.array(row["f"]), np.array(row["a"])
            known = np.isfinite(a)
            days.append(
                {
                    "day": row["day"],
                    "forecast": float(f.sum()),
                    "actual": float(a[known].sum()) if known.any() else None,
                    "wape": wape(a, f) if known.any() else None,
                    "bias": bias(a, f) if known.any() else None,
                }
            )
        return days


def compare(forecast: Forecast, start: datetime | None = None, end: datetime | None = None):
    """The forecast's intervals in ``[start, end)`` beside the imported actuals."""
    rows = ForecastInterval.objects.filter(forecast=forecast)
    if start is not None:
        rows = rows.filter(interval_start__gte=start)
    if end is not None:
        rows = rows.filter(interval_start__lt=end)
    pairs = list(rows.order_by("interval_start").values_list("interval_start", "calls"))
    starts = [p[0] for p in pairs]
    actual_by = (
        dict(
            IntervalStat.objects.filter(
                queue=forecast.queue, interval_start__in=starts
            ).values_list("interval_start", "offered")
        )
        if starts
        else {}
    )
    actual = np.array([actual_by.get(s, np.nan) for s in starts], dtype=float)
    return Comparison(starts, np.array([p[1] for p in pairs], dtype=float), actual)


def forecast_in_force(queue: Queue, week_start: date) -> Forecast | None:
    """The forecast a week was planned with: the newest ready version created before the
    week began whose horizon covers its first day (else the newest covering it at all)."""
    return forecasts_in_force([queue], week_start)[queue.pk]


def forecasts_in_force(queues, week_start: date) -> dict[int, Forecast | None]:
    """:func:`forecast_in_force` of each queue (by primary key), in one query."""
    queues = list(queues)
    candidates: dict[int, list[Forecast]] = {queue.pk: [] for queue in queues}
    for forecast in Forecast.objects.filter(
        queue__in=queues, status=ForecastStatus.READY, horizon_start__lte=week_start
    ).order_by("-version"):
        if forecast.horizon_start + timedelta(days=forecast.horizon_days) > week_start:
            candidates[forecast.queue_id].append(forecast)
    chosen = {}
    for queue in queues:
        covering = candidates[queue.pk]
        begin = local_midnight(queue.site, week_start)
        before = [f for f in covering if f.created_at <= begin]
        chosen[queue.pk] = (before or covering or [None])[0]
    return chosen


def weekly_review(queues, week_start: date) -> list[dict]:
    """Per queue: the forecast in force for the week and its accuracy (WAPE, bias, days,
    worst intervals)."""
    queues = list(queues)
    in_force = forecasts_in_force(queues, week_start)
    out = []
    for queue in queues:
        forecast = in_force[queue.pk]
        entry = {"queue": queue, "forecast": forecast, "comparison": None}
        if forecast is not None:
            site = queue.site
            comparison = compare(
                forecast,
                local_midnight(site, week_start),
                local_midnight(site, week_start + timedelta(days=7)),
            )
            if comparison.has_actuals:
                entry["comparison"] = comparison
                entry["wape"] = comparison.wape
                entry["bias"] = comparison.bias
                entry["daily"] = comparison.daily(site.zone)
                entry["worst"] = comparison.worst(10)
        out.append(entry)
    return out
