"""Intraday re-forecast: the rest of today from the morning forecast and the calls so far.

Model (a gamma-Poisson update of the day's level)
-------------------------------------------------
The morning forecast ``f[k]`` of today's intervals is right up to a factor
``R`` of the whole day (the day's level is what a forecast misses most; the
intraday shape is stable, see ``docs/forecasting.md``). Before the day,
``R ~ Gamma(shape=c, rate=c)``: mean 1 (the forecast is unbiased) and
variance ``1/c``. The calls offered so far, ``A = sum of y[k]`` over the
elapsed intervals, are Poisson with mean ``R F`` (``F`` the forecast of the
same intervals). The posterior of ``R`` is then ``Gamma(c + A, c + F)``, whose
mean

    R_hat = (c + A) / (c + F)

moves from 1 (nothing seen yet) toward the plain ratio ``A / F`` as the day's
calls accumulate: ``c`` is the *prior strength in calls*, the number of
forecast calls after which the actuals and the forecast weigh the same. The
rest of the day is ``R_hat f[k]``. With ``c = 0`` this is the plain
calls-so-far scaling; the bounds keep ``R_hat`` within ``[0.5, 2]`` as before.

``c = 150`` was chosen on Anonymous Bank February to April 1999 and checked on
May to July (``python -m benchmarks.eval_intraday_anonymous_bank``; the table is
in ``docs/forecasting.md``): the design months' rest-of-day WAPE is flat from
150 to 300 (within 0.0003 per update time) and 150 is its low end, the one
that trusts the calls so far the most. :func:`prior_strength_calls` measures it from a
queue's own past forecasts and actuals instead: the variance of ``R`` across
days beyond Poisson noise, ``var(A/F) - mean(1/F)``, gives ``c = 1 / var``.

References: the conjugate gamma-Poisson update (e.g. Gelman et al.,
*Bayesian Data Analysis*, 3rd ed., section 2.6); for intraday updating of
call-center forecasts by the day's level, Weinberg, Brown and Stroud (2007),
*Bayesian forecasting of an inhomogeneous Poisson process with applications
to call center data*, JASA 102, 1185-1198.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Prior strength in calls, measured on Anonymous Bank February-April 1999 (see above).
DEFAULT_PRIOR_CALLS = 150.0
RATIO_BOUNDS = (0.5, 2.0)


@dataclass(frozen=True)
class IntradayUpdate:
    """Result of :func:`update_rest_of_day`.

    Attributes
    ----------
    calls : numpy.ndarray
        The actuals in the elapsed intervals (0 where unknown), ``ratio`` times
        the morning forecast in the others.
    ratio : float
        The factor applied to the rest of the day (posterior mean, bounded).
    raw_ratio : float
        Calls so far / forecast so far (NaN before any forecast call).
    weight : float
        Share of the update given to the actuals, ``F / (c + F)``.
    """

    calls: np.ndarray
    ratio: float
    raw_ratio: float
    weight: float


def update_rest_of_day(
    forecast_calls,
    actual_calls,
    elapsed,
    *,
    prior_calls: float = DEFAULT_PRIOR_CALLS,
    bounds: tuple[float, float] = RATIO_BOUNDS,
) -> IntradayUpdate:
    """Re-forecast the rest of the day from the morning forecast and the actuals so far.

    Parameters
    ----------
    forecast_calls : array_like, (intervals,)
        The morning forecast of today's intervals.
    actual_calls : array_like, (intervals,)
        Calls offered so far; NaN where not (yet) known.
    elapsed : array_like of bool, (intervals,)
        Intervals already over. Elapsed intervals with a known actual inform the
        update and keep their actual; elapsed ones without (not imported yet) are
        re-forecast like the rest of the day, never taken as zero calls.
    prior_calls : float
        Prior strength ``c`` in calls (``>= 0``; 0 is the plain ratio).
    bounds : (low, high)
        Limits of the factor.

    Raises
    ------
    ValueError
        Naming the argument: shapes that differ, negative or NaN forecasts,
        negative actuals, a negative prior strength, bounds not ``0 < low <= 1 <= high``.
    """
    fc = np.asarray(forecast_calls, dtype=float)
    act = np.asarray(actual_calls, dtype=float)
    done = np.asarray(elapsed, dtype=bool)
    if fc.ndim != 1:
        raise ValueError(f"forecast_calls must be one-dimensional; got {fc.ndim} dimensions")
    for name, arr in (("actual_calls", act), ("elapsed", done)):
        if arr.shape != fc.shape:
            raise ValueError(f"{name} must have {fc.size} elements like forecast_calls")
    if np.isnan(fc).any() or (fc < 0).any():
        bad = int(np.flatnonzero(np.isnan(fc) | (fc < 0))[0])
        raise ValueError(f"forecast_calls must be >= 0 (not NaN); got {fc[bad]!r} at {bad}")
    if (act < 0).any():
        bad = int(np.flatnonzero(act < 0)[0])
        raise ValueError(f"actual_calls must be >= 0; got {act[bad]!r} at {bad}")
    if not prior_calls >= 0:
        raise ValueError(f"prior_calls must be >= 0; got {prior_calls!r}")
    low, high = bounds
    if not 0 < low <= 1 <= high:
        raise ValueError(f"bounds must satisfy 0 < low <= 1 <= high; got {bounds!r}")
    known = done & np.isfinite(act)
    so_far_fc, so_far_act = float(fc[known].sum()), float(act[known].sum())
    raw = so_far_act / so_far_fc if so_far_fc > 0 else float("nan")
    if so_far_fc > 0 or prior_calls > 0:
        ratio = (prior_calls + so_far_act) / (prior_calls + so_far_fc)
    else:
        ratio = 1.0
    ratio = float(np.clip(ratio, low, high))
    weight = so_far_fc / (prior_calls + so_far_fc) if so_far_fc + prior_calls > 0 else 0.0
    calls = np.where(known, np.nan_to_num(act, nan=0.0), fc * ratio)
    return IntradayUpdate(calls=calls, ratio=ratio, raw_ratio=raw, weight=weight)


def prior_strength_calls(day_forecast_totals, day_actual_totals) -> float:
    """Prior strength ``c`` from past days: ``1 / (var(A/F) - mean(1/F))``.

    ``day_forecast_totals`` and ``day_actual_totals`` are the morning forecast and
    the actual calls of whole past days (days with a positive forecast are used).
    Returns ``inf`` when the day ratios vary no more than Poisson noise (the
    forecast's level is then never corrected).
    """
    f = np.asarray(day_forecast_totals, dtype=float)
    a = np.asarray(day_actual_totals, dtype=float)
    if f.shape != a.shape or f.ndim != 1:
        raise ValueError("day_forecast_totals and day_actual_totals must be 1-d of one length")
    ok = (f > 0) & np.isfinite(a)
    if ok.sum() < 3:
        raise ValueError(
            f"day_forecast_totals: need at least 3 days with a forecast; got {ok.sum()}"
        )
    r = a[ok] / f[ok]
    excess = float(np.var(r, ddof=1) - np.mean(1.0 / f[ok]))
    return float("inf") if excess <= 0 else 1.0 / excess
