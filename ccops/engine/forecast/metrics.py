"""Accuracy metrics: WAPE, MASE and bias, at interval and daily level.

All functions ignore positions where ``mask`` is False or the actual is NaN.

- WAPE = sum |actual - forecast| / sum actual
- bias = sum (forecast - actual) / sum actual (positive = over-forecast)
- MASE = mean |actual - forecast| / scale, where ``scale`` is the in-sample
  mean absolute error of the seasonal naive forecast (same interval one week
  earlier; see :func:`naive_scale`).
"""

from __future__ import annotations

import numpy as np


def _pair(actual, forecast, mask):
    a = np.asarray(actual, dtype=float).reshape(-1)
    f = np.asarray(forecast, dtype=float).reshape(-1)
    if a.shape != f.shape:
        raise ValueError(f"forecast: shape {f.shape} does not match actual {a.shape}")
    ok = ~np.isnan(a) & ~np.isnan(f)
    if mask is not None:
        ok &= np.asarray(mask, dtype=bool).reshape(-1)
    return a[ok], f[ok]


def wape(actual, forecast, mask=None) -> float:
    """Weighted absolute percentage error (a fraction; NaN when the actuals sum to 0)."""
    a, f = _pair(actual, forecast, mask)
    tot = a.sum()
    return float(np.abs(a - f).sum() / tot) if tot > 0 else float("nan")


def bias(actual, forecast, mask=None) -> float:
    """Relative bias: sum(forecast - actual) / sum(actual)."""
    a, f = _pair(actual, forecast, mask)
    tot = a.sum()
    return float((f - a).sum() / tot) if tot > 0 else float("nan")


def mae(actual, forecast, mask=None) -> float:
    """Mean absolute error."""
    a, f = _pair(actual, forecast, mask)
    return float(np.abs(a - f).mean()) if a.size else float("nan")


def naive_scale(history, season: int) -> float:
    """In-sample MAE of the seasonal naive forecast: mean |y[t] - y[t - season]| (NaN-aware)."""
    y = np.asarray(history, dtype=float).reshape(-1)
    if season < 1:
        raise ValueError(f"season: must be at least 1, got {season!r}")
    if y.size <= season:
        return float("nan")
    d = np.abs(y[season:] - y[:-season])
    d = d[~np.isnan(d)]
    return float(d.mean()) if d.size else float("nan")


def mase(actual, forecast, scale: float, mask=None) -> float:
    """Mean absolute scaled error: MAE / ``scale`` (see :func:`naive_scale`)."""
    if not scale > 0:
        return float("nan")
    return mae(actual, forecast, mask) / scale


def coverage(actual, low, high, mask=None) -> float:
    """Share of actuals inside [low, high]."""
    a = np.asarray(actual, dtype=float).reshape(-1)
    lo = np.asarray(low, dtype=float).reshape(-1)
    hi = np.asarray(high, dtype=float).reshape(-1)
    ok = ~np.isnan(a)
    if mask is not None:
        ok &= np.asarray(mask, dtype=bool).reshape(-1)
    if not ok.any():
        return float("nan")
    return float(np.mean((a[ok] >= lo[ok]) & (a[ok] <= hi[ok])))
