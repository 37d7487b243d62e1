"""The monthly 100-point scorecard (chapter 12 of the operations manual).

Each agent is scored out of 100 on four dimensions whose weights each site sets
(the manual leaves them open): service quality, work quality, business skills and
labour discipline. Every function is vectorised over agents (arrays in, arrays
out), so a 300-agent month is a handful of array operations.

* **Service quality**: the mean QA evaluation score (0-100) scaled to the
  dimension's weight, minus the points of closed, substantiated complaints;
  never below 0. An agent without evaluations gets the points of
  ``missing_qa_score`` (default: none; the dimension is then 0 and flagged).
* **Work quality**: the KPI points of :func:`kpi_points` summed over the site's
  rules and scaled from the rules' maximum to the dimension's weight.
* **Business skills**: the quarterly test result (0-100 %) scaled to the weight.
* **Discipline**: the weight minus the points of the discipline records; never
  below 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HIGHER, LOWER = "higher", "lower"


def kpi_points(values, thresholds, points, better: str) -> np.ndarray:
    """Points of each value on a band table.

    ``thresholds`` ascending and ``points`` of the same length: with ``better="higher"``
    a value earns the points of the highest threshold it reaches (``value >=
    threshold``), with ``"lower"`` those of the lowest threshold it stays within
    (``value <= threshold``); a value in no band earns 0, a missing value (NaN) 0.
    """
    v = np.asarray(values, dtype=np.float64)
    th = np.asarray(thresholds, dtype=np.float64)
    pts = np.asarray(points, dtype=np.float64)
    if th.ndim != 1 or th.shape != pts.shape or len(th) == 0:
        raise ValueError("thresholds and points must be two equally long, non-empty lists")
    if np.any(np.diff(th) <= 0):
        raise ValueError("thresholds must be strictly ascending")
    out = np.zeros(v.shape)
    ok = np.isfinite(v)
    if better == HIGHER:
        k = np.searchsorted(th, v[ok], side="right") - 1  # last threshold <= v
        out[ok] = np.where(k >= 0, pts[np.clip(k, 0, None)], 0.0)
    elif better == LOWER:
        k = np.searchsorted(th, v[ok], side="left")  # first threshold >= v
        out[ok] = np.where(k < len(th), pts[np.clip(k, None, len(th) - 1)], 0.0)
    else:
        raise ValueError(f"better must be {HIGHER!r} or {LOWER!r}, got {better!r}")
    return out


@dataclass(frozen=True)
class Weights:
    service: float
    work: float
    skills: float
    discipline: float

    def __post_init__(self):
        parts = (self.service, self.work, self.skills, self.discipline)
        if any(p < 0 for p in parts) or abs(sum(parts) - 100) > 1e-6:
            raise ValueError(f"the four weights must be non-negative and add up to 100: {parts}")


@dataclass(frozen=True)
class Points:
    service: np.ndarray
    work: np.ndarray
    skills: np.ndarray
    discipline: np.ndarray
    total: np.ndarray


def scorecard_points(
    *,
    weights: Weights,
    qa_mean: np.ndarray,
    complaint_points: np.ndarray,
    kpi_points_sum: np.ndarray,
    kpi_points_max: float,
    skills_percent: np.ndarray,
    discipline_points: np.ndarray,
) -> Points:
    """The four dimensions and the total of each agent (NaN inputs count as 0; see the
    module docstring)."""
    qa = np.nan_to_num(np.asarray(qa_mean, dtype=np.float64), nan=0.0)
    service = np.clip(weights.service * qa / 100.0 - np.asarray(complaint_points), 0, None)
    kpi = np.nan_to_num(np.asarray(kpi_points_sum, dtype=np.float64))
    work = weights.work * kpi / kpi_points_max if kpi_points_max > 0 else np.zeros_like(kpi)
    work = np.clip(work, 0, weights.work)
    skills = np.nan_to_num(np.asarray(skills_percent, dtype=np.float64))
    skills = np.clip(weights.skills * skills / 100.0, 0, weights.skills)
    disc = np.clip(weights.discipline - np.asarray(discipline_points, dtype=np.float64), 0, None)
    total = service + work + skills + disc
    r = lambda a: np.round(a, 2)  # noqa: E731
    return Points(r(service), r(work), r(skills), r(disc), r(total))


def ranks(groups, totals) -> np.ndarray:
    """Competition ranks ("1224") of ``totals`` within each group (highest total first)."""
    g = np.asarray(groups)
    t = np.asarray(totals, dtype=np.float64)
    out = np.zeros(len(t), dtype=np.int64)
    if len(t) == 0:
        return out
    order = np.lexsort((-t, g))
    gs, ts = g[order], t[order]
    idx = np.arange(len(t))
    new_group = np.r_[True, gs[1:] != gs[:-1]]
    new_value = new_group | np.r_[True, ts[1:] != ts[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, idx, 0))
    value_start = np.maximum.accumulate(np.where(new_value, idx, 0))
    out[order] = value_start - group_start + 1
    return out
