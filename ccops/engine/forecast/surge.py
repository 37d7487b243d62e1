"""The surge after an outage: callers who could not get through call back after recovery.

Model
-----
During an outage from ``T0`` to recovery ``R`` the callers who would have been served are
*lost*: the calls the forecast expected in the window (or the calls the switch saw, if
more) minus the calls answered. A share ``p`` of them (the *retrial share*) keeps trying.
A persistent caller retries at exponential intervals of mean ``d`` (the *retrial
delay*); by the memorylessness of the exponential, the first retry after ``R`` comes
``D ~ Exp(d)`` after ``R`` whatever the time of the lost call, so the retrial calls
arriving in interval ``k`` after recovery (``[t_k, t_k + Δ)`` from ``R``) are

    extra[k] = p · lost · (exp(-t_k / d) - exp(-(t_k + Δ) / d))

and ``p · lost`` in all. The re-forecast of the next hours is the forecast plus
``extra``. This is the classical retrial-queue view of blocked callers (Aguir, Karaesmen,
Akşin and Chauvet, "The impact of retrials on call center performance", OR Spectrum 26
(2004) 353-376; Falin and Templeton, *Retrial Queues*, 1997): the exponential retrial
time with a persistence probability.

Estimating ``p`` and ``d`` from data
------------------------------------
After a past outage, the excess ``e[k] = offered[k] - forecast[k]`` of the intervals
after recovery is, in expectation, ``p · g_d[k]`` with ``g_d[k] = lost · (exp(-t_k/d) -
exp(-(t_k+Δ)/d))``. For each ``d`` of a grid the least-squares ``p`` is
``Σ e·g / Σ g·g`` (kept within 0..1); :func:`estimate_retrial` returns the pair with the
smallest squared error. ``python -m benchmarks.eval_surge`` validates the estimate on a
simulated outage of the synthetic center (``docs/incidents.md`` gives the figures).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Defaults when a site has no past outage to measure them from: half of the callers who
#: could not get through try again, on average 20 minutes after recovery.
DEFAULT_RETRIAL_SHARE = 0.5
DEFAULT_RETRIAL_DELAY_MINUTES = 20.0
#: The grid of delays (minutes) :func:`estimate_retrial` searches.
DELAY_GRID = tuple(float(x) for x in range(5, 121, 1))


@dataclass(frozen=True)
class Surge:
    """Result of :func:`surge_after_recovery`.

    Attributes
    ----------
    lost_calls : float
        Callers of the outage window who were not served.
    retrial_calls : numpy.ndarray
        Expected retrial calls in each interval after recovery.
    calls : numpy.ndarray
        The re-forecast of those intervals: base forecast plus retrials.
    share, delay_minutes : float
        The retrial share and mean delay used.
    """

    lost_calls: float
    retrial_calls: np.ndarray
    calls: np.ndarray
    share: float
    delay_minutes: float

    @property
    def total_retrials(self) -> float:
        return float(self.retrial_calls.sum())


def lost_calls(expected, offered, answered) -> float:
    """Callers of the outage window not served: per interval the larger of the calls
    expected (forecast) and the calls the switch counted, minus those answered (arrays of
    the window's intervals; NaN or missing counts read as 0)."""
    expected = np.nan_to_num(np.asarray(expected, dtype=float))
    offered = np.nan_to_num(np.asarray(offered, dtype=float))
    answered = np.nan_to_num(np.asarray(answered, dtype=float))
    return float(np.clip(np.maximum(expected, offered) - answered, 0.0, None).sum())


def retrial_profile(
    n_intervals: int, interval_minutes: float, delay_minutes: float, offset_minutes: float = 0.0
):
    """Share of the persistent callers whose retry lands in each of the ``n_intervals``
    intervals after recovery (sums to less than 1: the rest comes later). Recovery falls
    ``offset_minutes`` into the first interval (0: at its start)."""
    if n_intervals < 0:
        raise ValueError("n_intervals must be >= 0")
    if interval_minutes <= 0 or delay_minutes <= 0:
        raise ValueError("interval_minutes and delay_minutes must be > 0")
    if not 0 <= offset_minutes < interval_minutes:
        raise ValueError("offset_minutes must be within the first interval")
    edges = np.arange(n_intervals + 1, dtype=float) * float(interval_minutes)
    edges = np.clip(edges - float(offset_minutes), 0.0, None)
    cdf = 1.0 - np.exp(-edges / float(delay_minutes))
    return np.diff(cdf)


def surge_after_recovery(
    base_calls,
    lost: float,
    *,
    interval_minutes: float,
    share: float = DEFAULT_RETRIAL_SHARE,
    delay_minutes: float = DEFAULT_RETRIAL_DELAY_MINUTES,
    offset_minutes: float = 0.0,
) -> Surge:
    """Re-forecast the intervals after recovery (``base_calls``: their forecast, the first
    one the interval recovery falls in, ``offset_minutes`` after its start) with the
    retrials of ``lost`` callers."""
    if not 0.0 <= share <= 1.0:
        raise ValueError("share must be within 0..1")
    if lost < 0:
        raise ValueError("lost must be >= 0")
    base = np.nan_to_num(np.asarray(base_calls, dtype=float))
    extra = (
        share * lost * retrial_profile(len(base), interval_minutes, delay_minutes, offset_minutes)
    )
    return Surge(float(lost), extra, base + extra, float(share), float(delay_minutes))


@dataclass(frozen=True)
class RetrialFit:
    share: float
    delay_minutes: float
    #: Root mean squared error of the fitted excess per interval (calls).
    rmse: float


def estimate_retrial(
    forecast_after,
    offered_after,
    lost: float,
    *,
    interval_minutes: float,
    delays=DELAY_GRID,
) -> RetrialFit:
    """Estimate the retrial share and delay from the intervals after a past recovery:
    their forecast (what would have come without the outage) and the calls offered."""
    fc = np.nan_to_num(np.asarray(forecast_after, dtype=float))
    off = np.nan_to_num(np.asarray(offered_after, dtype=float))
    if fc.shape != off.shape or fc.size == 0:
        raise ValueError("forecast_after and offered_after: same non-empty length")
    if lost <= 0:
        raise ValueError("no lost calls: nothing to estimate the retrials from")
    excess = off - fc
    best = None
    for d in delays:
        g = lost * retrial_profile(fc.size, interval_minutes, d)
        gg = float(g @ g)
        if gg <= 0:
            continue
        p = min(max(float(excess @ g) / gg, 0.0), 1.0)
        sse = float(((excess - p * g) ** 2).sum())
        if best is None or sse < best[0]:
            best = (sse, p, float(d))
    if best is None:
        raise ValueError("no delay of the grid fits")
    sse, p, d = best
    return RetrialFit(p, d, float(np.sqrt(sse / fc.size)))
