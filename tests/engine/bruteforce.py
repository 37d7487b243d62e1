"""Independent reference computations for the queueing tests.

* Erlang B and C exactly, in rational arithmetic, for small whole inputs.
* Erlang A from a truncated birth-death chain (M/M/n+M), solved in log space,
  with the tagged caller's fate from a pure-death chain: nothing here shares
  code or formulas with :mod:`ccops.engine.queueing`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import log

import numpy as np
from scipy.sparse import diags
from scipy.sparse.linalg import expm_multiply


def erlang_b_exact(n: int, a: Fraction) -> Fraction:
    """``B(n, a) = (a^n/n!) / sum_{k<=n} a^k/k!`` in exact arithmetic."""
    term = Fraction(1)
    total = Fraction(1)
    for k in range(1, n + 1):
        term = term * a / k
        total += term
    return term / total


def erlang_c_exact(n: int, a: Fraction) -> Fraction:
    b = erlang_b_exact(n, a)
    return n * b / (n - a * (1 - b))


@dataclass
class ChainResult:
    prob_wait: float
    abandon: float
    abandon_little: float
    service_level: float
    asa_seconds: float
    occupancy: float


def erlang_a_chain(
    n: int, calls_per_second: float, aht: float, patience: float, t: float
) -> ChainResult:
    """Erlang A measures from the stationary birth-death chain and a tagged caller."""
    lam, mu, theta = calls_per_second, 1.0 / aht, 1.0 / patience
    # Stationary distribution over the number in system, in logs, truncated
    # where the terms are negligible.
    logs = [0.0]
    j = 0
    while True:
        j += 1
        death = min(j, n) * mu + max(j - n, 0) * theta
        logs.append(logs[-1] + log(lam) - log(death))
        if j > n + 10 and death > 1.5 * lam and logs[-1] < max(logs) - 60:
            break
    log_pi = np.array(logs)
    pi = np.exp(log_pi - log_pi.max())
    pi /= pi.sum()
    states = np.arange(pi.size)
    prob_wait = pi[n:].sum()
    queue = np.maximum(states - n, 0)
    abandon_little = theta * (queue * pi).sum() / lam
    # The tagged caller who finds k callers ahead: the number ahead falls at
    # n*mu + i*theta, the caller leaves at theta on their own.
    k_max = pi.size - n
    ahead = np.arange(k_max)
    down = n * mu + ahead * theta
    total = down + theta
    served = np.empty(k_max)  # P(served | k ahead)
    wait_if_served = np.empty(k_max)  # E[wait * 1{served} | k ahead]
    prev_h, prev_m = 1.0, 0.0
    for i in range(k_max):
        served[i] = down[i] / total[i] * prev_h
        wait_if_served[i] = served[i] / total[i] + down[i] / total[i] * prev_m
        prev_h, prev_m = served[i], wait_if_served[i]
    generator = diags([-total, down[1:]], [0, -1], format="csc")
    served_by_t = served - expm_multiply(generator * t, served) if t > 0 else np.zeros(k_max)
    arriving = pi[n:]
    p_served = pi[:n].sum() + (arriving * served).sum()
    service_level = pi[:n].sum() + (arriving * served_by_t).sum()
    asa = (arriving * wait_if_served).sum() / p_served
    offered = lam * aht
    return ChainResult(
        prob_wait=float(prob_wait),
        abandon=float(1.0 - p_served),
        abandon_little=float(abandon_little),
        service_level=float(service_level),
        asa_seconds=float(asa),
        occupancy=float(offered * p_served / n),
    )
