"""Many queues at once: forecast a history DataFrame (the ``ccops forecast`` table)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccops.engine.forecast.api import Forecast, forecast_series
from ccops.engine.forecast.calendar import SpecialDays
from ccops.engine.forecast.model import ModelOptions

FORECAST_COLUMNS = ("interval_start", "queue", "calls", "aht_seconds", "calls_low", "calls_high")


def forecast_frame(
    history: pd.DataFrame,
    *,
    horizon_days: int,
    calendar: SpecialDays | None = None,
    level: float = 0.8,
    interval_minutes: int | None = None,
    aht_seconds: float | None = None,
    options: ModelOptions | None = None,
) -> tuple[pd.DataFrame, dict[str, Forecast]]:
    """Forecast every queue of an interval history.

    Parameters
    ----------
    history : pandas.DataFrame
        Columns ``interval_start``, ``queue``, ``calls`` and optionally
        ``aht_seconds`` (e.g. from :func:`ccops.engine.io.history.read_history_csv`).
        ``interval_start`` is naive local time, or time-zone aware (then the
        forecast runs on the UTC clock and the output is in UTC: a site with
        daylight saving time should give naive local times).
    horizon_days : int
        1 to 42.
    calendar : SpecialDays, optional
        Applies to every queue.
    level : float
        Prediction-interval coverage.
    interval_minutes : int, optional
        Inferred per queue when omitted.
    aht_seconds : float, optional
        Handle time to use when the history has no ``aht_seconds`` column (or
        the column is empty for a queue).
    options : ModelOptions, optional

    Returns
    -------
    table : pandas.DataFrame
        Columns :data:`FORECAST_COLUMNS`, sorted by ``interval_start`` then ``queue``.
    forecasts : dict
        The :class:`~ccops.engine.forecast.api.Forecast` of each queue (notes,
        excluded days).

    Raises
    ------
    ValueError
        Missing columns, no AHT at all, or any problem of one queue's series
        (the message names the queue).
    """
    for col in ("interval_start", "queue", "calls"):
        if col not in history.columns:
            raise ValueError(f"history: missing column {col!r}")
    if aht_seconds is not None and not (np.isfinite(aht_seconds) and aht_seconds > 0):
        raise ValueError(f"aht_seconds: must be a positive number, got {aht_seconds!r}")
    try:
        starts = pd.to_datetime(history["interval_start"])
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"history: interval_start cannot be read as one time line ({exc}); "
            "give all times naive (site local time) or all in one time zone"
        ) from None
    tz = starts.dt.tz
    if tz is not None:
        starts = starts.dt.tz_convert("UTC").dt.tz_localize(None)
    ts_all = starts.to_numpy().astype("datetime64[s]")
    queues = history["queue"].astype(str).to_numpy()
    calls_all = pd.to_numeric(history["calls"], errors="coerce").to_numpy(dtype=float)
    has_aht = "aht_seconds" in history.columns
    aht_all = (
        pd.to_numeric(history["aht_seconds"], errors="coerce").to_numpy(dtype=float)
        if has_aht
        else None
    )
    parts = []
    forecasts: dict[str, Forecast] = {}
    for q in pd.unique(queues):
        sel = queues == q
        aht_q = aht_all[sel] if aht_all is not None else None
        if aht_q is not None and np.isnan(aht_q).all():
            aht_q = None
        if aht_q is None and aht_seconds is None:
            raise ValueError(
                f"queue {q!r}: the history has no handle times (aht_seconds); "
                "give a constant handle time (aht_seconds / --aht-seconds)"
            )
        try:
            f = forecast_series(
                ts_all[sel],
                calls_all[sel],
                horizon_days=horizon_days,
                aht_seconds=aht_q,
                interval_minutes=interval_minutes,
                calendar=calendar,
                level=level,
                options=options,
            )
        except ValueError as exc:
            raise ValueError(f"queue {q!r}: {exc}") from None
        forecasts[q] = f
        aht_out = f.aht_seconds if f.aht_seconds is not None else np.full(len(f), aht_seconds)
        parts.append(
            pd.DataFrame(
                {
                    "interval_start": f.interval_start.astype("datetime64[s]"),
                    "queue": q,
                    "calls": f.calls,
                    "aht_seconds": aht_out,
                    "calls_low": f.calls_low,
                    "calls_high": f.calls_high,
                }
            )
        )
    table = pd.concat(parts, ignore_index=True)
    if tz is not None:
        table["interval_start"] = table["interval_start"].dt.tz_localize("UTC")
    table = table.sort_values(["interval_start", "queue"], kind="stable").reset_index(drop=True)
    return table, forecasts
