"""Drawing the month's QA sample from per-call records, and sharing it out.

Each agent gets ``quota`` calls drawn at random among their eligible calls, spread
over the month by stratified sampling: the month is cut into ``quota`` equal
strata and one call is drawn from each stratum the agent has calls in; strata
without calls are made up from the agent's remaining calls at random
(Cochran, *Sampling Techniques*, 3rd ed. 1977, ch. 5: stratified random
sampling with proportional allocation in time). Agents with fewer eligible calls
than the quota get all of them.

The draw is reproducible: the same records (in any order), quota and seed give
the same sample, because candidates are ordered by (agent, start, id) before the
generator (NumPy PCG64 seeded with ``seed``) is used.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.special import stdtrit


@dataclass(frozen=True)
class Sample:
    """Indices (into the input arrays) of the calls drawn, and the agents short of calls."""

    index: np.ndarray
    short: dict  # agent -> number of calls missing to reach the quota


def draw_sample(
    *,
    agent: np.ndarray,
    start_seconds: np.ndarray,
    ids: np.ndarray,
    eligible: np.ndarray,
    quota: int,
    period_start_seconds: float,
    period_end_seconds: float,
    seed: int,
) -> Sample:
    """Draw up to ``quota`` calls per agent, spread over ``[period_start, period_end)``.

    Parameters
    ----------
    agent : array of str or int
        The serving agent of each call (calls with an empty agent are never drawn).
    start_seconds : array of float
        Call start, seconds on any common clock (e.g. Unix time).
    ids : array of int
        A stable identity of each call (database id), used only to order ties.
    eligible : array of bool
        Calls that pass the plan's filters.
    quota : int
        Calls per agent (1 or more).
    seed : int
        Seed of the random generator.
    """
    if quota < 1:
        raise ValueError(f"quota must be 1 or more, got {quota}")
    if period_end_seconds <= period_start_seconds:
        raise ValueError("the period ends before it starts")
    agent = np.asarray(agent)
    start = np.asarray(start_seconds, dtype=np.float64)
    ids = np.asarray(ids)
    ok = np.asarray(eligible, dtype=bool) & (agent != "") & (start >= period_start_seconds)
    ok &= start < period_end_seconds
    cand = np.flatnonzero(ok)
    order = np.lexsort((ids[cand], start[cand], agent[cand].astype(str)))
    cand = cand[order]
    rng = np.random.default_rng(seed)
    width = (period_end_seconds - period_start_seconds) / quota
    chosen: list[int] = []
    short: dict = {}
    names = agent[cand].astype(str)
    bounds = np.flatnonzero(np.r_[True, names[1:] != names[:-1], True])
    for a, b in itertools.pairwise(bounds):
        calls = cand[a:b]
        stratum = np.minimum(
            ((start[calls] - period_start_seconds) // width).astype(int), quota - 1
        )
        picked: list[int] = []
        for s in range(quota):
            members = calls[stratum == s]
            if len(members):
                picked.append(int(members[rng.integers(len(members))]))
        if len(picked) < quota:
            rest = np.setdiff1d(calls, picked, assume_unique=True)
            extra = rng.permutation(rest)[: quota - len(picked)]
            picked.extend(int(i) for i in extra)
        if len(picked) < quota:
            short[str(names[a])] = quota - len(picked)
        chosen.extend(sorted(picked, key=lambda i: (start[i], ids[i])))
    return Sample(index=np.array(chosen, dtype=np.int64), short=short)


def share_out(n: int, inspectors: int, seed: int, load: np.ndarray | None = None) -> np.ndarray:
    """Which inspector (0..inspectors-1) evaluates each of ``n`` sampled calls: as even as
    possible counting each inspector's open ``load``, in a seeded random order."""
    if inspectors < 1:
        raise ValueError("at least one inspector is needed")
    counts = np.zeros(inspectors) if load is None else np.asarray(load, dtype=float).copy()
    rng = np.random.default_rng(seed + 1)
    tiebreak = rng.permutation(inspectors)
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        who = min(range(inspectors), key=lambda k: (counts[k], tiebreak[k]))
        out[i] = who
        counts[who] += 1
    return out


def margin_of_error(
    scores: np.ndarray, *, population: int | None = None, confidence: float = 0.95
) -> tuple[float | None, int, float | None]:
    """Mean, count and margin of error of an agent's evaluation scores.

    The margin is the half-width of the Student-t interval of the mean,
    ``t(1 - (1-c)/2, n-1) · s / √n``, times the finite-population correction
    ``√((N - n) / (N - 1))`` when the agent's number of calls ``N`` is known
    (Cochran 1977, §2.15). ``None`` with fewer than two scores.
    """
    x = np.asarray(scores, dtype=np.float64)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return None, 0, None
    mean = float(x.mean())
    if n < 2:
        return mean, n, None
    # stdtrit(df, p) is the Student-t quantile (scipy.stats.t.ppf without its overhead).
    half = float(stdtrit(n - 1, 1 - (1 - confidence) / 2) * x.std(ddof=1) / np.sqrt(n))
    if population is not None and population > 1 and population >= n:
        half *= float(np.sqrt((population - n) / (population - 1)))
    return mean, n, half
