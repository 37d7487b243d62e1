"""Splitting multi-skilled agents over queues, interval by interval.

Given the agents of each pool on the phones in an interval and each queue's
need, the most need they can meet is a maximum flow in the bipartite graph
pools -> queues (an edge where the pool holds the queue's skill). By the
max-flow min-cut theorem (Ford and Fulkerson 1956), with ``B`` ranging over
the sets of queues,

    served = min over B of ( sum_{q in B} need[q] + sum_{pools s not inside B} agents[s] )

which for a handful of queues is a vectorised minimum over all ``2**n_queues``
sets (two matrix products): no solver in the loop, fast enough to score every
candidate schedule.
For many queues, or to know *which* agents serve which queue,
:func:`allocate` solves the transportation LP over all intervals at once
(HiGHS): it serves as much need as the maximum flow and, among those
allocations, spreads the shortfall so that no queue is left much further
below its need than the others (the largest share of unmet need is
minimised, per interval).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

#: Above this many queues the subset enumeration of :func:`served` gives way to the LP.
MAX_ENUMERATED_QUEUES = 12


def _masks(pool_queues: Sequence[Sequence[int]]) -> np.ndarray:
    return np.array([sum(1 << q for q in queues) for queues in pool_queues], dtype=np.int64)


def cut_matrices(
    pool_queues: Sequence[Sequence[int]], n_queues: int
) -> tuple[np.ndarray, np.ndarray]:
    """For every set ``B`` of queues (``2**n_queues`` rows): which queues are in ``B``,
    and which pools hold a queue outside ``B`` (their supply is cut)."""
    masks = _masks(pool_queues)
    subsets = np.arange(1 << n_queues)
    inside = ((subsets[:, None] >> np.arange(n_queues)[None, :]) & 1).astype(float)
    outside = ((masks[None, :] & ~subsets[:, None]) != 0).astype(float)
    return inside, outside


def served(
    on_phones: np.ndarray,
    need: np.ndarray,
    pool_queues: Sequence[Sequence[int]],
    *,
    cuts: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """The most need that can be met per interval.

    Parameters
    ----------
    on_phones : agents on the phones, ``n_pools x n_intervals`` (leading axes, if any,
        are candidates evaluated at once: ``... x n_pools x n_intervals``).
    need : agents needed, ``n_queues x n_intervals``.
    pool_queues : the queues (indices) each pool may serve.
    cuts : :func:`cut_matrices` of ``pool_queues``, when the caller reuses them.
    """
    on_phones = np.asarray(on_phones, dtype=float)
    if on_phones.ndim == 1:
        on_phones = on_phones[None, :]
    need = np.atleast_2d(np.asarray(need, dtype=float))
    n_q = need.shape[0]
    if len(pool_queues) == 1 and n_q == 1:
        return np.minimum(on_phones[..., 0, :], need[0])
    if n_q > MAX_ENUMERATED_QUEUES:
        if on_phones.ndim > 2:
            return np.stack([served(c, need, pool_queues) for c in on_phones])
        flows = allocate(on_phones, need, pool_queues, balance=False)
        return flows.sum(axis=(0, 1))
    inside, outside = cuts if cuts is not None else cut_matrices(pool_queues, n_q)
    # every cut's value: the need of the queues in B plus the supply of pools reaching out
    values = inside @ need + outside @ on_phones
    return values.min(axis=-2)


def allocate(
    on_phones: np.ndarray,
    need: np.ndarray,
    pool_queues: Sequence[Sequence[int]],
    *,
    balance: bool = True,
) -> np.ndarray:
    """Agents of each pool serving each queue, ``n_pools x n_queues x n_intervals``.

    The allocation meets as much need as possible (the maximum flow); with
    ``balance`` it then minimises, per interval, the largest share of a queue's
    need left unmet, so that a shortage is shared rather than dumped on one queue.
    Values may be fractional where agents are best shared within the interval.
    """
    on_phones = np.atleast_2d(np.asarray(on_phones, dtype=float))
    need = np.atleast_2d(np.asarray(need, dtype=float))
    n_p, n = on_phones.shape
    n_q = need.shape[0]
    pairs = [(s, q) for s, qs in enumerate(pool_queues) for q in qs]
    out = np.zeros((n_p, n_q, n))
    if not pairs or n == 0:
        return out
    if n_p == 1 and n_q == 1:
        out[0, 0] = np.minimum(on_phones[0], need[0])
        return out
    k = len(pairs)
    # variables: f[k, t] (k * n + t), then z[t] (largest unmet share) when balancing
    n_vars = k * n + (n if balance else 0)
    rows, cols, vals = [], [], []
    b_ub: list[np.ndarray] = []
    t = np.arange(n)
    row = 0
    # supply: sum over the pool's pairs <= on_phones[s, t]
    for s in range(n_p):
        ks = [j for j, (ps, _) in enumerate(pairs) if ps == s]
        for j in ks:
            rows.append(row + t)
            cols.append(j * n + t)
            vals.append(np.ones(n))
        b_ub.append(on_phones[s])
        row += n
    # demand: sum over the queue's pairs <= need[q, t]
    for q in range(n_q):
        ks = [j for j, (_, pq) in enumerate(pairs) if pq == q]
        for j in ks:
            rows.append(row + t)
            cols.append(j * n + t)
            vals.append(np.ones(n))
        b_ub.append(need[q])
        row += n
    a_ub = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(row, n_vars)
    )
    total = served(on_phones, need, pool_queues) if n_q <= MAX_ENUMERATED_QUEUES else None
    cost = np.zeros(n_vars)
    if not balance or total is None:
        cost[: k * n] = -1.0  # the maximum flow
        result = linprog(
            cost,
            A_ub=a_ub,
            b_ub=np.concatenate(b_ub),
            bounds=(0, None),
            method="highs",
        )
        if result.status != 0:
            raise RuntimeError(f"the allocation LP did not solve: {result.message}")
        flows = result.x[: k * n]
        if not balance:
            for j, (s, q) in enumerate(pairs):
                out[s, q] = flows[j * n : (j + 1) * n]
            return out
        total = flows.reshape(k, n).sum(axis=0)
    # keep the maximum flow, minimise the largest unmet share z[t]:
    #   sum_k f[k, t] >= total[t];  need[q, t] - sum_{k of q} f[k, t] <= z[t] * need[q, t]
    e_rows, e_cols, e_vals = [], [], []
    for j in range(k):
        e_rows.append(t)
        e_cols.append(j * n + t)
        e_vals.append(-np.ones(n))
    extra = [
        sparse.csr_matrix(
            (np.concatenate(e_vals), (np.concatenate(e_rows), np.concatenate(e_cols))),
            shape=(n, n_vars),
        )
    ]
    extra_b = [-(total - 1e-7)]
    for q in range(n_q):
        ks = [j for j, (_, pq) in enumerate(pairs) if pq == q]
        r = [t for _ in ks] + [t]
        c = [j * n + t for j in ks] + [k * n + t]
        v = [-np.ones(n) for _ in ks] + [-need[q]]
        extra.append(
            sparse.csr_matrix(
                (np.concatenate(v), (np.concatenate(r), np.concatenate(c))), shape=(n, n_vars)
            )
        )
        extra_b.append(-need[q])
    cost[k * n :] = 1.0
    result = linprog(
        cost,
        A_ub=sparse.vstack([a_ub, *extra], format="csr"),
        b_ub=np.concatenate([*b_ub, *extra_b]),
        bounds=(0, None),
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"the allocation LP did not solve: {result.message}")
    flows = result.x[: k * n]
    for j, (s, q) in enumerate(pairs):
        out[s, q] = flows[j * n : (j + 1) * n]
    return out


def attributed(
    on_phones: np.ndarray, flows: np.ndarray, need: np.ndarray, pool_queues: Sequence[Sequence[int]]
) -> np.ndarray:
    """Agents per queue and interval (``n_queues x n``) counting every agent on the phones:
    the allocation ``flows`` (``n_pools x n_queues x n``, which never exceeds the need) plus
    each pool's idle agents shared among its queues in proportion to their need (equally
    where none has need), so that overstaffing shows on the queues it belongs to and the
    queues add up to the agents on the phones."""
    on_phones = np.atleast_2d(np.asarray(on_phones, dtype=float))
    need = np.atleast_2d(np.asarray(need, dtype=float))
    out = flows.sum(axis=0).copy()
    idle = np.clip(on_phones - flows.sum(axis=1), 0, None)
    for s, queues in enumerate(pool_queues):
        queues = list(queues)
        if not queues:
            continue
        weights = need[queues]
        total = weights.sum(axis=0)
        share = np.where(total > 0, weights / np.where(total > 0, total, 1), 1.0 / len(queues))
        out[queues] += share * idle[s]
    return out
