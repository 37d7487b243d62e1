"""Rolling-origin backtest: ccops against baselines, scored on the same days.

The history is cut at ``folds`` origins, ``step_days`` apart, the last one
``horizon_days`` before the end of the history. At each origin every method
sees only the days before it and forecasts the next ``horizon_days`` days.

Scoring is the same for every method. A day is *not scored* when it:

- carries a calendar entry of one of ``exclude_kinds`` (holidays etc.),
- has no data, or
- has a total below ``outage_ratio`` times the median total of the same
  weekday over the four previous same-weekdays with data (an outage or a
  near-zero day nobody listed).

Within scored days, intervals with an unknown (NaN) actual are skipped, and a
day with any unknown interval is skipped at the daily level.

Metrics (see :mod:`ccops.engine.forecast.metrics`) are pooled over all folds
for WAPE and bias; MASE is the mean over folds of the fold's MAE divided by
the in-sample seasonal-naive MAE of that fold's training data (lag one week:
``7 * K`` intervals, or 7 days at the daily level). Prediction-interval
coverage is over scored intervals with a positive forecast, and again over the
scored *open-hour* intervals only (:func:`open_intervals`): closed hours are
covered trivially and would hide a band that is too narrow when the phones ring.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ccops.engine.forecast.api import forecast_matrix
from ccops.engine.forecast.baselines import mean_of_last_weekdays, seasonal_naive
from ccops.engine.forecast.calendar import EMPTY, SpecialDays
from ccops.engine.forecast.calibration import attainable_coverage, open_intervals
from ccops.engine.forecast.metrics import coverage, naive_scale
from ccops.engine.forecast.model import ModelOptions
from ccops.engine.forecast.profiles import weekday_of
from ccops.engine.forecast.series import DayMatrix, to_day_matrix

#: Calendar kinds whose days are not scored by default: unpredictable (outage,
#: emergency), zero by definition (closed) or rare (holiday). Billing periods and
#: campaigns are scored: their effect is what the calendar is for.
UNSCORED_KINDS: tuple[str, ...] = ("holiday", "emergency", "outage", "closed")

#: A method: (training DayMatrix, horizon_days) -> (horizon_days * K,) forecast.
Method = Callable[[DayMatrix, int], np.ndarray]


@dataclass(frozen=True)
class MethodScore:
    """Accuracy of one method at one level (``"interval"`` or ``"daily"``)."""

    method: str
    level: str
    wape: float
    mase: float
    bias: float
    coverage: float  # NaN for methods without prediction intervals
    points: int
    coverage_open: float = float("nan")  # open hours only (see open_intervals)
    points_open: int = 0
    #: Open hours: the mean, over the intervals, of the probability the whole-number
    #: band closest to the level that contains the forecast holds under the forecast's
    #: own distribution (what a perfectly calibrated forecast could cover there).
    attainable_open: float = float("nan")


@dataclass(frozen=True)
class BacktestReport:
    """Result of :func:`backtest`.

    Attributes
    ----------
    origins : numpy.ndarray
        ``datetime64[D]``: first forecast day of each fold.
    horizon_days : int
    scores : tuple of MethodScore
        One per method and level.
    unscored_days : tuple of (numpy.datetime64, str)
        Forecast days left out of scoring, with the reason.
    seconds : dict
        Wall time per method, summed over folds.
    aht_scores : tuple of (method, wape, bias)
        Handle-time accuracy when handle times were given: call-weighted
        WAPE and bias of the AHT over scored intervals with answered calls.
    """

    origins: np.ndarray
    horizon_days: int
    scores: tuple[MethodScore, ...]
    unscored_days: tuple[tuple[np.datetime64, str], ...]
    seconds: dict
    aht_scores: tuple[tuple[str, float, float], ...] = ()
    #: ccops: the factor its band's variance was calibrated by, per fold.
    band_factors: tuple[float, ...] = ()

    def score(self, method: str, level: str = "interval") -> MethodScore:
        for s in self.scores:
            if s.method == method and s.level == level:
                return s
        raise KeyError(f"no score for method {method!r} at level {level!r}")

    def methods(self) -> list[str]:
        return list(dict.fromkeys(s.method for s in self.scores))

    def to_markdown(self) -> str:
        """A method x metric table (interval and daily level)."""
        lines = [
            "| method | WAPE interval | MASE interval | bias interval "
            "| WAPE daily | MASE daily | bias daily | 80% PI coverage | coverage, open hours |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for m in self.methods():
            i, d = self.score(m, "interval"), self.score(m, "daily")
            cov = "–" if np.isnan(i.coverage) else f"{i.coverage:.1%}"
            cov_open = "–" if np.isnan(i.coverage_open) else f"{i.coverage_open:.1%}"
            lines.append(
                f"| {m} | {i.wape:.3f} | {i.mase:.3f} | {i.bias:+.3f} "
                f"| {d.wape:.3f} | {d.mase:.3f} | {d.bias:+.3f} | {cov} | {cov_open} |"
            )
        if self.aht_scores:
            lines += ["", "| AHT method | WAPE | bias |", "| --- | ---: | ---: |"]
            lines += [f"| {m} | {w:.3f} | {b:+.3f} |" for m, w, b in self.aht_scores]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "origins": [str(o) for o in self.origins],
            "horizon_days": self.horizon_days,
            "scores": [s.__dict__ for s in self.scores],
            "unscored_days": [{"date": str(d), "reason": r} for d, r in self.unscored_days],
            "seconds": self.seconds,
            "aht_scores": [{"method": m, "wape": w, "bias": b} for m, w, b in self.aht_scores],
            "band_factors": list(self.band_factors),
        }


def _weekday_mean_aht(y, aht, days, horizon_days, weeks=4):
    """Baseline AHT: call-weighted mean over the last ``weeks`` same weekdays with data.

    Intervals without a call in those days get the call-weighted mean of the days.
    """
    has = (~np.isnan(y)).any(axis=1)
    wd = weekday_of(days)
    out = np.zeros((horizon_days, y.shape[1]))
    for j, w in enumerate(weekday_of(days[-1] + 1 + np.arange(horizon_days))):
        rows = np.flatnonzero(has & (wd == w))[-weeks:]
        c = np.where(np.isnan(aht[rows]) | np.isnan(y[rows]), 0.0, y[rows])
        s = np.where(c > 0, aht[rows], 0.0) * c
        cs, ss = c.sum(axis=0), s.sum(axis=0)
        day_mean = ss.sum() / cs.sum() if cs.sum() > 0 else 0.0
        out[j] = np.divide(ss, cs, out=np.full(y.shape[1], day_mean), where=cs > 0)
    return out


def _score_mask(y, days, calendar, exclude_kinds, outage_ratio):
    """Per day: reason it is not scored ('' when scored). Uses only actuals and the calendar."""
    n = y.shape[0]
    reason = np.full(n, "", dtype=object)
    has = (~np.isnan(y)).any(axis=1)
    tot = np.nansum(y, axis=1)
    wd = weekday_of(days)
    cal = calendar.on(days, exclude_kinds)
    for i in range(n):
        if cal[i]:
            on = calendar.date == days[i]
            reason[i] = "calendar: " + ", ".join(
                f"{k} {nm}".strip()
                for k, nm in zip(calendar.kind[on], calendar.name[on], strict=True)
            )
        elif not has[i]:
            reason[i] = "no data"
        else:
            prev = np.flatnonzero((wd[:i] == wd[i]) & has[:i])[-4:]
            if prev.size:
                med = float(np.median(tot[prev]))
                if med > 0 and tot[i] < outage_ratio * med:
                    reason[i] = f"near-zero day ({tot[i]:.0f} calls, same-weekday median {med:.0f})"
    return reason


def backtest(
    interval_start,
    calls,
    *,
    horizon_days: int,
    folds: int,
    step_days: int = 7,
    interval_minutes: int | None = None,
    calendar: SpecialDays | None = None,
    level: float = 0.8,
    options: ModelOptions | None = None,
    extra_methods: Mapping[str, Method] | None = None,
    exclude_kinds: tuple[str, ...] = UNSCORED_KINDS,
    outage_ratio: float = 0.5,
    aht_seconds=None,
) -> BacktestReport:
    """Rolling-origin backtest of ccops, seasonal naive and the 4-same-weekday mean.

    Parameters
    ----------
    interval_start, calls : array-like
        The history (as for :func:`ccops.engine.forecast.forecast_series`).
    horizon_days : int
        Days forecast at each origin.
    folds : int
        Number of origins (at least 1).
    step_days : int
        Days between origins (7 = weekly).
    interval_minutes : int, optional
    calendar : SpecialDays, optional
        Used by ccops and to leave special days out of scoring.
    level : float
        Prediction-interval coverage for ccops.
    options : ModelOptions, optional
    extra_methods : mapping, optional
        More methods to score side by side (e.g. a library model).
    exclude_kinds : tuple of str
        Calendar kinds whose days are not scored (default :data:`UNSCORED_KINDS`).
    outage_ratio : float
        Days below this fraction of their same-weekday median are not scored.
    aht_seconds : array-like, optional
        Handle time per history interval: the AHT forecast of ccops is then
        scored too, against the call-weighted mean of the last 4 same weekdays.

    Returns
    -------
    BacktestReport

    Notes
    -----
    Methods: ``ccops``; ``seasonal_naive`` and ``mean_4_weekdays`` (skip only
    days without data); ``seasonal_naive_clean`` and ``mean_4_weekdays_clean``
    (also skip past days that are not scored: calendar days and near-zero days).
    """
    import time

    cal = EMPTY if calendar is None else calendar
    opts = ModelOptions() if options is None else options
    if not isinstance(folds, int | np.integer) or folds < 1:
        raise ValueError(f"folds: must be a positive integer, got {folds!r}")
    if not isinstance(step_days, int | np.integer) or step_days < 1:
        raise ValueError(f"step_days: must be a positive integer, got {step_days!r}")
    dm = to_day_matrix(interval_start, calls, interval_minutes=interval_minutes)
    y = dm.values
    days = dm.days()
    k = dm.intervals_per_day
    n_days = dm.n_days
    if dm.end != (days[-1] + 1).astype("datetime64[m]"):
        n_days -= 1  # the last day is partial: leave it out
    last_origin = n_days - int(horizon_days)
    origins = last_origin - step_days * np.arange(folds)[::-1]
    if origins[0] < 28:
        raise ValueError(
            f"folds: {folds} folds of {horizon_days} days, {step_days} days apart, need "
            f"{28 + int(horizon_days) + step_days * (folds - 1)} days of history "
            f"(at least 4 weeks before the first origin); the history has {n_days}"
        )
    reason = _score_mask(y[:n_days], days[:n_days], cal, exclude_kinds, outage_ratio)
    unscored_day = reason != ""

    aht_dm = None
    if aht_seconds is not None:
        aht_dm = to_day_matrix(
            interval_start,
            aht_seconds,
            interval_minutes=dm.interval_minutes,
            name="aht_seconds",
            first_day=dm.first_day,
            n_days=dm.n_days,
        )
    aht_fc: dict[str, np.ndarray] = {}
    band_factors: list[float] = []
    methods: dict[str, Method] = {}

    def ccops_method(train: DayMatrix, h: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        aht_train = None
        if aht_dm is not None:
            aht_train = DayMatrix(
                train.first_day, train.interval_minutes, aht_dm.values[: train.n_days], train.end
            )
        f = forecast_matrix(
            train, horizon_days=h, calendar=cal, level=level, aht=aht_train, options=opts
        )
        if f.aht_seconds is not None:
            aht_fc["ccops"] = f.aht_seconds
        band_factors.append(f.band_factor)
        return f.calls, f.calls_low, f.calls_high, f.calls_dispersion

    methods["ccops"] = ccops_method
    for name, fn, kw in (
        ("seasonal_naive", seasonal_naive, {}),
        ("mean_4_weekdays", mean_of_last_weekdays, {"weeks": 4}),
    ):
        for clean in (False, True):

            def base(train: DayMatrix, h: int, fn=fn, kw=kw, clean=clean) -> np.ndarray:
                skip = unscored_day[: train.n_days] if clean else None
                return fn(train.values, train.days(), h, skip=skip, **kw).reshape(-1)

            methods[name + ("_clean" if clean else "")] = base
    for name, fn in (extra_methods or {}).items():
        methods[name] = fn

    acc = {
        m: {
            "abs": 0.0,
            "err": 0.0,
            "act": 0.0,
            "dabs": 0.0,
            "derr": 0.0,
            "dact": 0.0,
            "mase": [],
            "dmase": [],
            "cov_in": 0,
            "cov_n": 0,
            "open_in": 0,
            "open_n": 0,
            "attainable": 0.0,
            "n": 0,
            "dn": 0,
        }
        for m in methods
    }
    seconds = dict.fromkeys(methods, 0.0)
    aht_acc = {m: [0.0, 0.0, 0.0] for m in ("ccops", "mean_4_weekdays")}
    h = int(horizon_days)
    for o in origins:
        train = DayMatrix(dm.first_day, dm.interval_minutes, y[:o], days[o].astype("datetime64[m]"))
        act = y[o : o + h]
        is_open = open_intervals(y[:o], days[:o], days[o : o + h])
        day_ok = ~unscored_day[o : o + h]
        int_ok = day_ok[:, None] & ~np.isnan(act)
        dfull = day_ok & ~np.isnan(act).any(axis=1)
        scale_i = naive_scale(train.values.reshape(-1), 7 * k)
        scale_d = naive_scale(
            np.where(
                (~np.isnan(train.values)).any(axis=1), np.nansum(train.values, axis=1), np.nan
            ),
            7,
        )
        for m, fn in methods.items():
            t0 = time.perf_counter()
            out = fn(train, h)
            seconds[m] += time.perf_counter() - t0
            low = high = dispersion = None
            if isinstance(out, tuple):
                out, low, high, *rest = out
                dispersion = rest[0] if rest else None
            f = np.asarray(out, dtype=float).reshape(h, k)
            a = acc[m]
            e = (f - act)[int_ok]
            a["abs"] += float(np.abs(e).sum())
            a["err"] += float(e.sum())
            a["act"] += float(act[int_ok].sum())
            a["n"] += int(int_ok.sum())
            if int_ok.any() and scale_i > 0:
                a["mase"].append(float(np.abs(e).mean()) / scale_i)
            de = (f.sum(axis=1) - np.nansum(act, axis=1))[dfull]
            a["dabs"] += float(np.abs(de).sum())
            a["derr"] += float(de.sum())
            a["dact"] += float(np.nansum(act, axis=1)[dfull].sum())
            a["dn"] += int(dfull.sum())
            if dfull.any() and scale_d > 0:
                a["dmase"].append(float(np.abs(de).mean()) / scale_d)
            if low is not None:
                lo = np.asarray(low).reshape(h, k)
                hi = np.asarray(high).reshape(h, k)
                msk = int_ok & (f > 0)
                a["cov_in"] += round(coverage(act, lo, hi, msk) * msk.sum()) if msk.any() else 0
                a["cov_n"] += int(msk.sum())
                op = int_ok & is_open
                a["open_in"] += round(coverage(act, lo, hi, op) * op.sum()) if op.any() else 0
                a["open_n"] += int(op.sum())
                if dispersion is not None and op.any():
                    disp = np.asarray(dispersion, dtype=float).reshape(h, k)
                    pos = op & (f > 0)
                    best, _ = attainable_coverage(f[pos], disp[pos], level)
                    a["attainable"] += float(best.sum()) + float((op & ~(f > 0)).sum())
        if aht_dm is not None and "ccops" in aht_fc:
            act_a = aht_dm.values[o : o + h]
            w = np.where(int_ok & ~np.isnan(act_a) & (act > 0), act, 0.0)
            base_a = _weekday_mean_aht(y[:o], aht_dm.values[:o], days[:o], h)
            for m, fa in (
                ("ccops", aht_fc.pop("ccops").reshape(h, k)),
                ("mean_4_weekdays", base_a),
            ):
                diff = np.where(w > 0, fa - np.nan_to_num(act_a), 0.0)
                aht_acc[m][0] += float(np.sum(w * np.abs(diff)))
                aht_acc[m][1] += float(np.sum(w * diff))
                aht_acc[m][2] += float(np.sum(w * np.nan_to_num(act_a)))

    def ratio(x, y_):
        return x / y_ if y_ > 0 else float("nan")

    scores = []
    for m, a in acc.items():
        cov = ratio(a["cov_in"], a["cov_n"]) if a["cov_n"] else float("nan")
        cov_open = ratio(a["open_in"], a["open_n"]) if a["open_n"] else float("nan")
        scores.append(
            MethodScore(
                m,
                "interval",
                ratio(a["abs"], a["act"]),
                float(np.mean(a["mase"])) if a["mase"] else float("nan"),
                ratio(a["err"], a["act"]),
                cov,
                a["n"],
                cov_open,
                a["open_n"],
                ratio(a["attainable"], a["open_n"]) if a["open_n"] else float("nan"),
            )
        )
        scores.append(
            MethodScore(
                m,
                "daily",
                ratio(a["dabs"], a["dact"]),
                float(np.mean(a["dmase"])) if a["dmase"] else float("nan"),
                ratio(a["derr"], a["dact"]),
                float("nan"),
                a["dn"],
            )
        )
    aht_scores = tuple(
        (m, ratio(v[0], v[2]), ratio(v[1], v[2])) for m, v in aht_acc.items() if v[2] > 0
    )
    fc_days = np.unique(np.concatenate([np.arange(o, o + h) for o in origins]))
    unscored = tuple((days[i], str(reason[i])) for i in fc_days if reason[i])
    return BacktestReport(
        days[origins], h, tuple(scores), unscored, seconds, aht_scores, tuple(band_factors)
    )
