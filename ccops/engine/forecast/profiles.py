"""Intraday shapes: per-weekday profiles, day types and closed hours.

A *profile* is the share of a day's calls that falls in each interval (it sums
to one over the day). Profiles are ratio-of-sums estimates pooled over many
days, which weights busy days more and needs no division per day.
"""

from __future__ import annotations

import numpy as np


def weekday_of(days: np.ndarray) -> np.ndarray:
    """Weekday of ``datetime64[D]`` dates, Monday = 0 ... Sunday = 6."""
    return ((days.astype("datetime64[D]").astype(np.int64) + 3) % 7).astype(np.int64)


def pooled_profile(y: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, float]:
    """Weighted ratio-of-sums profile of the rows of ``y`` (NaN counts as 0).

    Returns the profile (zeros if there is no volume) and the weighted call total.
    """
    if y.shape[0] == 0:
        return np.zeros(y.shape[1]), 0.0
    num = np.nansum(y * weights[:, None], axis=0)
    tot = float(num.sum())
    if tot <= 0:
        return np.zeros(y.shape[1]), 0.0
    return num / tot, tot


def smooth_profile(p: np.ndarray, closed: np.ndarray, strength: float) -> np.ndarray:
    """Blend each share with its neighbours ([1, 2, 1] kernel), keep closed at 0, renormalise."""
    if strength <= 0 or p.sum() <= 0:
        return p
    pad = np.concatenate([p[:1], p, p[-1:]])
    k = 0.25 * pad[:-2] + 0.5 * pad[1:-1] + 0.25 * pad[2:]
    q = (1 - strength) * p + strength * k
    q[closed] = 0.0
    s = q.sum()
    return q / s if s > 0 else p


def day_types(profiles: np.ndarray, totals: np.ndarray, tolerance: float) -> np.ndarray:
    """Group weekdays whose intraday profiles are alike.

    Complete-linkage agglomeration on the L1 distance between weekday
    profiles. Two weekdays may share a group when their distance is below
    ``tolerance`` plus the distance that sampling noise alone would give
    (about ``sqrt(2/pi) * sum_k sqrt(p_k (1/N_a + 1/N_b))`` for Poisson counts
    with ``N`` calls behind each profile), so small queues are not split
    by noise.

    Parameters
    ----------
    profiles : (7, K) array
    totals : (7,) array
        Calls behind each profile (0 = no data: the weekday stays alone).
    tolerance : float
        Allowed L1 distance beyond noise (0..2).

    Returns
    -------
    (7,) int array: group label per weekday.
    """
    n = profiles.shape[0]
    ok = totals > 0
    dist = np.full((n, n), np.inf)
    for a in range(n):
        for b in range(n):
            if ok[a] and ok[b]:
                pm = 0.5 * (profiles[a] + profiles[b])
                noise = np.sqrt(2 / np.pi) * np.sqrt(pm * (1 / totals[a] + 1 / totals[b])).sum()
                dist[a, b] = np.abs(profiles[a] - profiles[b]).sum() - noise
    groups = [[i] for i in range(n)]
    while True:
        best, pair = tolerance, None
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                d = max(dist[a, b] for a in groups[i] for b in groups[j])
                if d < best:
                    best, pair = d, (i, j)
        if pair is None:
            break
        i, j = pair
        groups[i] = groups[i] + groups[j]
        del groups[j]
    label = np.empty(n, dtype=np.int64)
    for g, members in enumerate(groups):
        label[members] = g
    return label
