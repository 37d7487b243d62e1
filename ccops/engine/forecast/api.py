"""Public entry points: :func:`forecast_series` (one queue) and :func:`forecast_matrix`."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ccops.engine.forecast.aht import fit_aht
from ccops.engine.forecast.calendar import EMPTY, SpecialDays
from ccops.engine.forecast.calibration import calibration_factor, scaled_alpha
from ccops.engine.forecast.intervals import count_interval
from ccops.engine.forecast.model import ModelOptions, fit_calls, predict_calls
from ccops.engine.forecast.profiles import weekday_of
from ccops.engine.forecast.series import DayMatrix, check_counts, to_day_matrix

MAX_HORIZON_DAYS = 42
MIN_HISTORY_DAYS = 7


@dataclass(frozen=True)
class Forecast:
    """A forecast of one queue, one element per future interval.

    Attributes
    ----------
    interval_start : numpy.ndarray
        ``datetime64[m]``, consecutive intervals starting where the history ends.
    calls : numpy.ndarray
        Expected calls offered (float; exactly 0 in closed hours and closed days).
    calls_low, calls_high : numpy.ndarray
        Bounds of the central prediction interval at ``level`` (whole calls).
    aht_seconds : numpy.ndarray or None
        Expected average handle time; ``None`` when no handle times were given.
    interval_minutes : int
    level : float
    excluded_days : numpy.ndarray
        ``datetime64[D]`` history days the model left out by itself (outages,
        near-zero or surge days, days mostly missing); calendar days are not listed.
    notes : tuple of str
        Warnings a user should see (e.g. a calendar kind never seen in the history).
    calls_dispersion : numpy.ndarray or None
        The negative-binomial dispersion ``a`` of each interval's count (variance
        ``calls + a calls^2``) the band was drawn from, after calibration.
    band_factor : float
        The factor the band's variance was multiplied by after calibration on the
        forecast's recent misses (1: not calibrated; see
        :mod:`ccops.engine.forecast.calibration`).
    """

    interval_start: np.ndarray
    calls: np.ndarray
    calls_low: np.ndarray
    calls_high: np.ndarray
    aht_seconds: np.ndarray | None
    interval_minutes: int
    level: float
    excluded_days: np.ndarray
    notes: tuple[str, ...] = ()
    calls_dispersion: np.ndarray | None = None
    band_factor: float = 1.0

    def __len__(self) -> int:
        return int(self.interval_start.size)


def _check_horizon(horizon_days) -> int:
    if not isinstance(horizon_days, int | np.integer) or isinstance(horizon_days, bool):
        raise ValueError(f"horizon_days: expected an integer, got {horizon_days!r}")
    h = int(horizon_days)
    if not 1 <= h <= MAX_HORIZON_DAYS:
        raise ValueError(f"horizon_days: {h} is outside 1..{MAX_HORIZON_DAYS} (up to six weeks)")
    return h


def forecast_matrix(
    dm: DayMatrix,
    *,
    horizon_days: int,
    calendar: SpecialDays = EMPTY,
    level: float = 0.8,
    aht: DayMatrix | None = None,
    options: ModelOptions | None = None,
) -> Forecast:
    """Forecast from an already validated :class:`DayMatrix` (see :func:`forecast_series`)."""
    h = _check_horizon(horizon_days)
    if not 0 < level < 1:
        raise ValueError(f"level: must be within (0, 1), got {level!r}")
    days = dm.days()
    y = dm.values
    if int((~np.isnan(y)).any(axis=1).sum()) < MIN_HISTORY_DAYS:
        raise ValueError(
            f"calls: the history has fewer than {MIN_HISTORY_DAYS} days with data; "
            "at least one full week is needed to learn the weekly pattern"
        )
    k = dm.intervals_per_day
    im = dm.interval_minutes
    start = dm.end
    n_out = h * k
    first = start.astype("datetime64[D]")
    offset = int((start - first.astype("datetime64[m]")).astype(np.int64)) // im
    n_future_days = -(-(offset + n_out) // k)
    future_days = first + np.arange(n_future_days)
    # Rows of the history on or after the first forecast day are partial days.
    max_lead = int((future_days[-1] - days[-1]).astype(np.int64))
    opts = ModelOptions() if options is None else options
    fit = fit_calls(y, days, calendar, max_lead_days=max(max_lead, 1), options=opts)
    mu, alpha, notes = predict_calls(fit, future_days, calendar)
    mu = mu.reshape(-1)[offset : offset + n_out]
    alpha = alpha.reshape(-1)[offset : offset + n_out]
    factor = 1.0
    if opts.interval_calibration_weeks > 0:
        # Whole days only: a partial last day is where the forecast starts.
        whole = days.size - (1 if offset else 0)
        plain = replace(opts, interval_calibration_weeks=0)

        def fit_predict(values, past_days, future):
            past = fit_calls(values, past_days, calendar, max_lead_days=future.size, options=plain)
            m, a, _ = predict_calls(past, future, calendar)
            return m, a

        factor = calibration_factor(
            y[:whole], days[:whole], calendar, level, opts.interval_calibration_weeks, fit_predict
        )
        alpha = scaled_alpha(mu, alpha, factor)
    low, high = count_interval(mu, alpha, level)
    ts = start + np.arange(n_out) * np.timedelta64(im, "m")
    aht_out = None
    if aht is not None:
        use = ~calendar.on(days) & ~np.isin(days, fit.excluded_days)
        per_wd = fit_aht(aht.values, y, days, use, fit.day_type)
        wd = weekday_of(future_days)
        aht_out = per_wd[wd].reshape(-1)[offset : offset + n_out].copy()
    return Forecast(
        interval_start=ts,
        calls=mu,
        calls_low=low,
        calls_high=high,
        aht_seconds=aht_out,
        interval_minutes=im,
        level=float(level),
        excluded_days=fit.excluded_days,
        notes=fit.notes + notes,
        calls_dispersion=alpha,
        band_factor=factor,
    )


def forecast_series(
    interval_start,
    calls,
    *,
    horizon_days: int,
    aht_seconds=None,
    interval_minutes: int | None = None,
    calendar: SpecialDays | None = None,
    level: float = 0.8,
    options: ModelOptions | None = None,
) -> Forecast:
    """Forecast calls (and AHT) per interval for one queue.

    Parameters
    ----------
    interval_start : array-like of datetime64
        Start of each history interval, naive local time (site wall clock).
    calls : array-like of float
        Calls offered per interval; ``NaN`` = unknown. Intervals absent from
        the input are unknown too (not zero), see :mod:`ccops.engine.forecast.series`.
    horizon_days : int
        1 to 42: the forecast covers ``horizon_days * intervals_per_day``
        intervals starting where the history ends.
    aht_seconds : array-like of float, optional
        Average handle time per history interval (NaN where none was answered).
    interval_minutes : int, optional
        15, 30, ...; inferred from the timestamps when omitted.
    calendar : SpecialDays, optional
        Holidays, billing periods, campaigns, emergencies, outages, closed days,
        past and future (see :mod:`ccops.engine.forecast.calendar`).
    level : float
        Coverage of the prediction interval (default 0.8).
    options : ModelOptions, optional
        Model tuning; the defaults suit call-center data.

    Returns
    -------
    Forecast

    Raises
    ------
    ValueError
        Naming the argument: duplicate or off-grid timestamps, negative counts,
        too short a history, horizon out of range.
    """
    dm = to_day_matrix(interval_start, calls, interval_minutes=interval_minutes, name="calls")
    aht_dm = None
    if aht_seconds is not None:
        check_counts(aht_seconds, int(np.asarray(interval_start).shape[0]), name="aht_seconds")
        aht_dm = to_day_matrix(
            interval_start,
            aht_seconds,
            interval_minutes=dm.interval_minutes,
            name="aht_seconds",
            first_day=dm.first_day,
            n_days=dm.n_days,
        )
    return forecast_matrix(
        dm,
        horizon_days=horizon_days,
        calendar=EMPTY if calendar is None else calendar,
        level=level,
        aht=aht_dm,
        options=ModelOptions() if options is None else options,
    )
