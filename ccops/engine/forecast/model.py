"""The ccops call-volume model: daily volume x intraday profile (top-down).

For a day ``d`` and interval ``k`` the expected count is::

    mu[d, k] = level * weekday_factor[weekday(d)] * special_effect(d) * profile[d, k]

- ``level``: exponentially weighted (half-life ``level_halflife_days``) mean of
  recent *deseasonalised* daily totals (total / weekday factor), over all
  normal days, so every weekday informs it, not only the same weekday;
- ``weekday_factor``: each weekday's volume relative to the week, from the last
  ``weekday_window_weeks`` weeks (exponentially weighted);
- ``profile``: the share of the day in each interval, pooled over the days of
  the same *day type* (weekdays grouped by profile similarity, see
  :func:`ccops.engine.forecast.profiles.day_types`) over
  ``profile_window_weeks`` weeks, so each share rests on many days instead of
  the four a same-weekday mean uses; intervals without a single call on that
  weekday over the window are closed and stay exactly zero;
- ``special_effect``: calendar days (holidays, billing periods, campaigns,
  emergencies) get a multiplier learned from past days of the same kind and
  name (median of actual / expected) and their own profile when seen at least
  twice.

Days left out of training: calendar days of any kind, days with less than half
of the expected volume observed, and days whose total is below ``outage_ratio``
or above ``surge_ratio`` times the median of the same weekday (unknown outages,
unlisted emergencies). Within a day, an interval with no call where at least
10 were expected is treated as missing (a partial outage).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ccops.engine.forecast.calendar import EMPTY, SpecialDays
from ccops.engine.forecast.profiles import (
    day_types,
    pooled_profile,
    smooth_profile,
    weekday_of,
)
from ccops.engine.io.errors import CodedText


def day_of_month(days: np.ndarray) -> np.ndarray:
    """Day of the month (1..31) of ``datetime64[D]`` dates."""
    d = days.astype("datetime64[D]")
    return (d - d.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1


_LEARNED_KINDS = ("holiday", "billing_period", "campaign", "emergency")


@dataclass(frozen=True)
class ModelOptions:
    """Tuning of the ccops model (the defaults were chosen by backtest, see docs/forecasting.md)."""

    level_halflife_days: float = 7.0
    weekday_window_weeks: int = 12
    weekday_halflife_weeks: float = 6.0
    profile_window_weeks: int = 12
    profile_halflife_weeks: float = 3.0
    day_type_tolerance: float = 0.10
    own_weekday_calls: float = 0.0
    smoothing: float = 0.0
    outage_ratio: float = 0.3
    surge_ratio: float = 3.0
    min_observed_share: float = 0.5
    partial_outage_expected: float = 10.0
    month_day_effect: bool = True
    month_day_min_days: int = 90
    month_day_prior_days: float = 3.0
    #: Weekly origins before the forecast's own whose misses calibrate the band's width
    #: (:mod:`ccops.engine.forecast.calibration`); 0: no calibration.
    interval_calibration_weeks: int = 4

    def __post_init__(self) -> None:
        for name in ("level_halflife_days", "weekday_halflife_weeks", "profile_halflife_weeks"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name}: must be positive, got {getattr(self, name)!r}")
        for name in ("weekday_window_weeks", "profile_window_weeks"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name}: must be at least 1, got {getattr(self, name)!r}")
        if int(self.interval_calibration_weeks) < 0:
            raise ValueError(
                "interval_calibration_weeks: must be 0 or more, got "
                f"{self.interval_calibration_weeks!r}"
            )
        if not 0 <= self.smoothing <= 1:
            raise ValueError(f"smoothing: must be within 0..1, got {self.smoothing!r}")
        if not 0 < self.outage_ratio < 1 < self.surge_ratio:
            raise ValueError("outage_ratio must be in (0, 1) and surge_ratio above 1")


@dataclass(frozen=True)
class FittedCalls:
    """What the model learned from one queue's history (internal)."""

    last_day: np.datetime64
    level: float
    weekday_factor: np.ndarray  # (7,)
    month_day: np.ndarray  # (32,) multiplier by day of month (index 1..31; all 1 when off)
    profiles: np.ndarray  # (7, K) per weekday, closed intervals 0
    closed: np.ndarray  # (7, K) bool
    day_type: np.ndarray  # (7,) group label
    effects: dict  # (kind, name) or (kind, "") -> (multiplier, log-variance, profile or None)
    lead_log_var: np.ndarray  # (H+1,) variance of log(actual/forecast) of a day total by lead
    interval_dispersion: float  # NB overdispersion of intervals around the day's profile
    excluded_days: np.ndarray  # datetime64[D]: days left out automatically (not calendar)
    notes: tuple[Note, ...] = field(default=())


#: The forecast's warnings by code (the engine's messages are data: a code and values that
#: callers word and translate, like :data:`ccops.engine.schedule.rules.RULES`). The text is
#: the English wording, with ``{name}`` placeholders for the values.
NOTES = {
    "little_history": "too little history to measure forecast error: intervals use a default",
    "unseen_day_kind": "{day}: no past {kind} day in the history; forecast as a normal day",
}


class Note(CodedText):
    """A warning of the forecast (a key of :data:`NOTES` and its values)."""

    texts = NOTES


def _ew_weights(age_days: np.ndarray, halflife_days: float) -> np.ndarray:
    return 0.5 ** (age_days / halflife_days)


def _weekday_profiles(y, wd, use, age, opts):
    """Per-weekday profiles and call totals over the profile window."""
    k = y.shape[1]
    window = use & (age < 7 * opts.profile_window_weeks)
    w = _ew_weights(age, 7 * opts.profile_halflife_weeks)
    prof = np.zeros((7, k))
    tot = np.zeros(7)
    seen = np.zeros((7, k), dtype=bool)
    for d in range(7):
        sel = window & (wd == d)
        if not sel.any():
            continue
        prof[d], tot[d] = pooled_profile(y[sel], w[sel])
        seen[d] = np.nanmax(np.where(np.isnan(y[sel]), 0, y[sel]), axis=0) > 0
    return prof, tot, seen


def _day_totals(y, prof_by_day, min_share):
    """Day totals rescaled for missing intervals; NaN when too little was observed."""
    obs = ~np.isnan(y)
    share = np.where(obs, prof_by_day, 0).sum(axis=1)
    raw = np.nansum(y, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        tot = np.where(share >= min_share, raw / share, np.nan)
    tot[~obs.any(axis=1)] = np.nan
    return tot


def _same_weekday_median(tot, wd, ok, weeks=8):
    """For each day, the median total of the same weekday over +-``weeks`` weeks (ok days only)."""
    n = tot.size
    med = np.full(n, np.nan)
    for d in range(7):
        rows = np.flatnonzero(wd == d)
        if not ok[rows].any():
            continue
        vals = np.where(ok[rows], tot[rows], np.nan)
        pad = np.concatenate([np.full(weeks, np.nan), vals, np.full(weeks, np.nan)])
        win = np.lib.stride_tricks.sliding_window_view(pad, 2 * weeks + 1)
        has = (~np.isnan(win)).any(axis=1)
        out = np.full(rows.size, np.nan)
        with np.errstate(all="ignore"):
            out[has] = np.nanmedian(win[has], axis=1)
        med[rows] = out
    return med


def _level_filter(totals, season, alpha):
    """Exponentially weighted level: EW sum of totals / EW sum of seasonal factors.

    A ratio estimator, so a low-volume day (a Saturday with a small weekday
    factor) moves the level in proportion to its volume, not 1/factor times
    its noise. Totals outside 0.6..1.6 times the current expectation are
    clipped. NaN totals are skipped. Returns the level after each day.
    """
    out = np.full(totals.size, np.nan)
    num = den = 0.0
    level = np.nan
    for i, (t, s) in enumerate(zip(totals, season, strict=True)):
        if not np.isnan(t) and s > 0:
            if not np.isnan(level):
                t = min(max(t, 0.6 * level * s), 1.6 * level * s)
            num = (1 - alpha) * num + alpha * t
            den = (1 - alpha) * den + alpha * s
            level = num / den
        out[i] = level
    return out


def _robust_dispersion(
    y: np.ndarray, mu: np.ndarray, quantile: float = 0.5, target: float = 0.4549
) -> float:
    """Negative-binomial overdispersion ``a`` (Var = mu + a mu^2) from a quantile of the
    squared Pearson residuals.

    Solves ``quantile((y - mu)^2 / (mu + a mu^2), q) = target`` by bisection, with
    ``target`` the ``q`` quantile of a chi-square with one degree of freedom (the
    median, 0.455, by default). The model calls it with ``q = 0.8`` (target 1.642):
    the scale is matched where the 80 % band's edges are, so a few outlying
    intervals still do not widen every interval the way a moment estimate would,
    and heavier-than-normal tails do not make the band too narrow.
    """
    if y.size < 20:
        return 0.0
    sq = (y - mu) ** 2

    def med(a):
        return float(np.quantile(sq / (mu + a * mu**2), quantile))

    if med(0.0) <= target:
        return 0.0
    lo, hi = 0.0, 1.0
    if med(hi) > target:
        return hi
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        if med(mid) > target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def fit_calls(
    y: np.ndarray,
    days: np.ndarray,
    calendar: SpecialDays = EMPTY,
    *,
    max_lead_days: int,
    options: ModelOptions = ModelOptions(),
) -> FittedCalls:
    """Learn level, weekday factors, profiles, special effects and error scales.

    Parameters
    ----------
    y : (n_days, K) array
        Calls per day and interval, NaN = unknown.
    days : (n_days,) datetime64[D]
    calendar : SpecialDays
    max_lead_days : int
        Longest lead (days after the last history day) the forecast will ask for.
    options : ModelOptions
    """
    opts = options
    y = np.array(y, dtype=float)
    n, k = y.shape
    wd = weekday_of(days)
    age = (n - 1 - np.arange(n)).astype(float)
    special = calendar.on(days)
    has_data = (~np.isnan(y)).any(axis=1)
    notes: list[Note] = []

    # Pass 1: rough profiles and totals from days without calendar entries.
    base = has_data & ~special
    if not base.any():
        raise ValueError("calls: the history has no day with data outside calendar days")
    prof, tot_w, _seen = _weekday_profiles(y, wd, base, age, opts)
    totals = _day_totals(y, prof[wd], opts.min_observed_share)
    med = _same_weekday_median(totals, wd, base & ~np.isnan(totals))

    # Partial outages: a zero where many calls were expected is unknown, not zero.
    expected = med[:, None] * prof[wd]
    zero_hit = (y == 0) & (expected >= opts.partial_outage_expected)
    y[zero_hit] = np.nan
    totals = _day_totals(y, prof[wd], opts.min_observed_share)

    # Whole-day anomalies (unknown outages, unlisted emergencies).
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = totals / med
    anomalous = (
        base
        & ~np.isnan(ratio)
        & (med > 0)
        & ((ratio < opts.outage_ratio) | (ratio > opts.surge_ratio))
    )
    normal = base & ~np.isnan(totals) & ~anomalous
    if not normal.any():
        raise ValueError("calls: no normal day left in the history after removing anomalies")
    excluded = days[anomalous | (has_data & ~special & np.isnan(totals))]

    # Pass 2: profiles per weekday from normal days, then day types.
    prof, tot_w, seen = _weekday_profiles(y, wd, normal, age, opts)
    closed = ~seen
    types = day_types(prof, tot_w, opts.day_type_tolerance)
    w_prof = _ew_weights(age, 7 * opts.profile_halflife_weeks)
    in_window = normal & (age < 7 * opts.profile_window_weeks)
    final = np.zeros((7, k))
    for g in np.unique(types):
        members = np.flatnonzero(types == g)
        sel = in_window & np.isin(wd, members)
        pooled, _ = pooled_profile(y[sel], w_prof[sel])
        for d in members:
            p = pooled.copy()
            if opts.own_weekday_calls > 0 and tot_w[d] > 0:
                lam = tot_w[d] / (tot_w[d] + opts.own_weekday_calls)
                p = lam * prof[d] + (1 - lam) * pooled
            p[closed[d]] = 0.0
            s = p.sum()
            p = p / s if s > 0 else p
            final[d] = smooth_profile(p, closed[d], opts.smoothing)
    totals = _day_totals(y, final[wd], opts.min_observed_share)
    normal &= ~np.isnan(totals)

    # Weekday factors against a local level: the +-1 week mean of deseasonalised
    # totals, iterated so that windows cut by the ends of the history or by
    # left-out days do not bias the factors.
    wk_w = _ew_weights(age, 7 * opts.weekday_halflife_weeks) * (age < 7 * opts.weekday_window_weeks)
    lo = np.clip(np.arange(n) - 7, 0, n)
    hi = np.clip(np.arange(n) + 8, 0, n)
    factor = np.ones(7)
    for _ in range(20):
        use_f = normal & (factor[wd] > 0)
        zz = np.where(use_f, totals / np.where(factor[wd] > 0, factor[wd], 1.0), 0.0)
        csum = np.concatenate([[0.0], np.cumsum(zz)])
        ccount = np.concatenate([[0.0], np.cumsum(use_f.astype(float))])
        with np.errstate(invalid="ignore", divide="ignore"):
            local = (csum[hi] - csum[lo]) / (ccount[hi] - ccount[lo])
        new = np.zeros(7)
        for d in range(7):
            sel = normal & (wd == d) & (local > 0)
            if sel.any():
                new[d] = np.sum(wk_w[sel] * totals[sel]) / np.sum(wk_w[sel] * local[sel])
        present = new > 0
        if present.any():
            new[present] *= present.sum() / new[present].sum()
        done = np.allclose(new, factor, rtol=1e-9, atol=0)
        factor = new
        if done:
            break

    # Day-of-month cycle (salary days, statements): ratio to a +-2-week level.
    dom = day_of_month(days)
    month_day = np.ones(32)
    if opts.month_day_effect and n >= opts.month_day_min_days:
        with np.errstate(invalid="ignore", divide="ignore"):
            z0 = np.where(normal & (factor[wd] > 0), totals / factor[wd], np.nan)
        z0f = np.nan_to_num(z0)
        cz = np.concatenate([[0.0], np.cumsum(z0f)])
        cn = np.concatenate([[0.0], np.cumsum(~np.isnan(z0))])
        lo2 = np.clip(np.arange(n) - 14, 0, n)
        hi2 = np.clip(np.arange(n) + 15, 0, n)
        with np.errstate(invalid="ignore", divide="ignore"):
            local2 = (cz[hi2] - cz[lo2]) / (cn[hi2] - cn[lo2])
            lr = np.log(z0 / local2)
        ok = ~np.isnan(lr) & np.isfinite(lr)
        s = np.bincount(dom[ok], weights=np.clip(lr[ok], -1, 1), minlength=32)
        c = np.bincount(dom[ok], minlength=32).astype(float)
        # Pool each day with its neighbours (days 31 and 1 are neighbours).
        s3 = s[1:] + 0.5 * (np.roll(s[1:], 1) + np.roll(s[1:], -1))
        c3 = c[1:] + 0.5 * (np.roll(c[1:], 1) + np.roll(c[1:], -1))
        eff = s3 / (c3 + opts.month_day_prior_days)
        month_day[1:] = np.exp(eff)
        month_day[1:] /= np.exp(np.mean(np.log(month_day[1:])))

    # Level: exponential smoothing of deseasonalised normal-day totals.
    alpha = 1 - 0.5 ** (1 / opts.level_halflife_days)
    season = factor[wd] * month_day[dom]
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(normal & (season > 0), totals / season, np.nan)
    lf = _level_filter(np.where(np.isnan(z), np.nan, totals), season, alpha)
    level = float(lf[-1]) if not np.isnan(lf[-1]) else float(np.nanmean(z))

    # Error scale of day totals by lead (in-sample, from the level filter): the 80 %
    # quantile of |log(actual / forecast)| over 1.2816 (a normal's 80 % point of |z|).
    lead_var = np.full(max_lead_days + 1, np.nan)
    recent = np.arange(n) >= n - 7 * 16
    for h in range(1, max_lead_days + 1):
        if h >= n:
            break
        pred = lf[:-h] * season[h:]
        act = totals[h:]
        ok = normal[h:] & recent[h:] & (pred > 0) & (act > 0)
        if ok.sum() >= 10:
            e = np.clip(np.log(act[ok] / pred[ok]), -1, 1)
            lead_var[h] = float((np.quantile(np.abs(e), 0.8) / 1.2816) ** 2)
    good = np.flatnonzero(~np.isnan(lead_var))
    if good.size == 0:
        lead_var[:] = 0.05
        notes.append(Note("little_history"))
    else:
        for h in range(lead_var.size):
            if np.isnan(lead_var[h]):
                lead_var[h] = (
                    lead_var[good[good <= h][-1]] if (good <= h).any() else lead_var[good[0]]
                )
        lead_var = np.maximum.accumulate(lead_var)

    # Intraday overdispersion around the day's own total.
    rec = normal & (age < 7 * 8)
    mu_in = totals[rec, None] * final[wd[rec]]
    yy = y[rec]
    ok = ~np.isnan(yy) & (mu_in > 0)
    disp = _robust_dispersion(yy[ok], mu_in[ok], 0.8, 1.6424)

    # Special-day effects, learned from past calendar days.
    effects: dict = {}
    if len(calendar):
        ref = np.concatenate([[np.nan], lf[:-1]]) * season
        raw = np.nansum(y, axis=1)
        day_index = {int(v): i for i, v in enumerate(days.astype(np.int64))}
        per_key: dict = {}
        for date, kind, name in zip(calendar.date, calendar.kind, calendar.name, strict=True):
            i = day_index.get(int(date.astype(np.int64)))
            if kind not in _LEARNED_KINDS or i is None or not has_data[i]:
                continue
            if not ref[i] > 0:
                continue
            n_kinds = int(np.sum(calendar.date == date))
            if n_kinds != 1:
                continue
            r = raw[i] / ref[i]
            for key in ((kind, name), (kind, "")):
                per_key.setdefault(key, []).append((r, i))
        for key, items in per_key.items():
            rs = np.array([max(r, 1e-3) for r, _ in items])
            mult = float(np.median(rs))
            logvar = float(np.var(np.log(rs))) if rs.size >= 2 else 0.25
            prof_sp = None
            idx = np.array([i for _, i in items])
            if idx.size >= 2 and np.nansum(y[idx]) > 0:
                p_sp, _ = pooled_profile(y[idx], np.ones(idx.size))
                wgt = idx.size / (idx.size + 2.0)
                prof_sp = (wgt, p_sp)
            effects[key] = (mult, logvar, prof_sp)

    return FittedCalls(
        last_day=days[-1],
        level=level,
        weekday_factor=factor,
        month_day=month_day,
        profiles=final,
        closed=closed,
        day_type=types,
        effects=effects,
        lead_log_var=lead_var,
        interval_dispersion=disp,
        excluded_days=excluded,
        notes=tuple(notes),
    )


def predict_calls(
    fit: FittedCalls, future_days: np.ndarray, calendar: SpecialDays = EMPTY
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Expected calls and negative-binomial dispersion for whole future days.

    Returns
    -------
    mu : (m, K) array
    alpha : (m, K) array
        Var = mu + alpha * mu**2.
    notes : tuple of str
    """
    wd = weekday_of(future_days)
    lead = (future_days - fit.last_day).astype(np.int64)
    lead = np.clip(lead, 1, fit.lead_log_var.size - 1)
    day_mult = fit.level * fit.weekday_factor[wd] * fit.month_day[day_of_month(future_days)]
    prof = fit.profiles[wd].copy()
    extra_var = np.zeros(future_days.size)
    notes: list[Note] = []
    for j, day in enumerate(future_days):
        on = calendar.date == day
        for kind, name in zip(calendar.kind[on], calendar.name[on], strict=True):
            if kind == "closed":
                day_mult[j] = 0.0
                continue
            if kind == "outage":
                continue
            eff = fit.effects.get((kind, name)) or fit.effects.get((kind, ""))
            if eff is None:
                notes.append(Note("unseen_day_kind", day=day, kind=kind))
                extra_var[j] += 0.1
                continue
            mult, logvar, prof_sp = eff
            day_mult[j] *= mult
            extra_var[j] += logvar
            if prof_sp is not None:
                wgt, p_sp = prof_sp
                p = (1 - wgt) * prof[j] + wgt * p_sp
                s = p.sum()
                prof[j] = p / s if s > 0 else prof[j]
    mu = day_mult[:, None] * prof
    v = fit.lead_log_var[lead] + extra_var
    c = fit.interval_dispersion
    alpha = np.broadcast_to((np.exp(v) - 1 + c + c * (np.exp(v) - 1))[:, None], mu.shape).copy()
    return mu, alpha, tuple(notes)
