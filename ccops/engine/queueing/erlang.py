"""Erlang B, Erlang C and Erlang A (M/M/n+M) performance measures.

All kernels work in log space on top of SciPy's regularised incomplete gamma
functions, so they stay finite and accurate from 0 to beyond 20,000 offered
Erlangs and 25,000 agents; nothing here forms a factorial or a power that could
overflow. Formulas and references are in ``docs/queueing.md``.

Notation: ``n`` agents, offered load ``a = calls * aht / interval`` (Erlangs),
service rate ``mu = 1 / aht``, abandonment rate ``theta = 1 / patience``;
for Erlang A ``x = n * mu / theta`` and ``y = a * mu / theta = lambda / theta``.

Service level (both models) is the share of *offered* calls answered within
``t`` seconds, the way call centers report it: calls abandoned at any time
count against it. Under Erlang A

    SL = 1 - P(W>0) * [P(Ab | W>0) + P(V>t, served | W>0)]

where ``V`` is the offered (virtual) wait and ``P(V>t, served | W>0) =
P(x+1, y e^{-theta t}) / (rho P(x, y))`` with ``P`` the regularised lower
incomplete gamma function and ``rho = y / x``. ASA is the mean wait of the
answered calls (zero waits included).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, gammainc, gammaincc, gammaln

from ccops.engine.queueing._args import as_float_array, check_model, check_range

# Below this, an incomplete-gamma value is treated as underflowed and the
# quantity is summed by its (then rapidly converging) series instead.
_TINY = 1e-280
_SERIES_TOL = 1e-17
_NEGLIGIBLE_LOAD = 1e-250
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(48)
_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)


# --------------------------------------------------------------------------- kernels


def _falling_series(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """``sum_{j>=1} prod_{i<j} (n - i) / a`` = ``1/B(n, a) - 1``; fast when ``a >> n``."""
    total = np.zeros_like(a)
    term = np.ones_like(a)
    active = np.arange(a.size)
    j = 0
    while active.size and j < 10_000_000:
        step = term[active] * (n[active] - j) / a[active]
        term[active] = step
        total[active] += step
        active = active[np.abs(step) > _SERIES_TOL * (1.0 + total[active])]
        j += 1
    return total


def _rising_series(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``sum_{k>=1} prod_{i=1..k} y / (x + i)`` = ``A(x, y) - 1``; fast when ``y << x``."""
    total = np.zeros_like(y)
    term = np.ones_like(y)
    active = np.arange(y.size)
    k = 1
    while active.size and k < 10_000_000:
        step = term[active] * y[active] / (x[active] + k)
        term[active] = step
        total[active] += step
        active = active[step > _SERIES_TOL * (1.0 + total[active])]
        k += 1
    return total


def _stirling_error(x: np.ndarray) -> np.ndarray:
    """``log Gamma(x+1) - (x + 1/2) log x + x - log(2 pi)/2`` for ``x > 0``."""
    out = np.empty_like(x)
    small = x <= 15.0
    xs = x[small]
    out[small] = gammaln(xs + 1.0) - (xs + 0.5) * np.log(xs) + xs - _HALF_LOG_2PI
    xl = x[~small]
    inv2 = 1.0 / (xl * xl)
    out[~small] = (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680))) / xl
    return out


def _deviance(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x log(x/y) + y - x`` without cancellation (Loader's ``bd0``), ``x, y > 0``."""
    out = np.empty_like(x)
    near = np.abs(x - y) < 0.1 * y
    un = (x[near] - y[near]) / y[near]
    series = np.zeros_like(un)
    for k in range(18, 1, -1):  # sum_{k>=2} (-u)^k / (k (k-1)), by Horner
        series = (series + (-1.0) ** k / (k * (k - 1))) * (un if k > 2 else un * un)
    out[near] = y[near] * series
    far = ~near
    out[far] = x[far] * (np.log(x[far]) - np.log(y[far])) + y[far] - x[far]
    return out


def log_poisson_term(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x log y - y - log Gamma(x+1)`` accurately for large ``x`` and ``y``.

    Loader's saddle-point form ``-bd0(x, y) - stirlerr(x) - log(2 pi x)/2``
    avoids subtracting numbers of order ``x log x``; ``x >= 0``, ``y > 0``.
    """
    out = -y.copy()
    pos = x > 0
    xp, yp = x[pos], y[pos]
    out[pos] = -_deviance(xp, yp) - _stirling_error(xp) - 0.5 * np.log(2.0 * np.pi * xp)
    return out


def log_inv_erlang_b(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """``-log B(n, a)`` for ``n >= 0`` and ``a > 0`` (1-d float arrays).

    ``1/B = Q(n+1, a) / poisson_pmf(n; a)`` with ``Q`` the regularised upper
    incomplete gamma function; where ``Q`` underflows (``a`` far above ``n``)
    the finite sum ``sum_j n!/((n-j)! a^j)`` is used instead.
    """
    q = gammaincc(n + 1.0, a)
    out = np.empty_like(a)
    ok = q > _TINY
    out[ok] = np.log(q[ok]) - log_poisson_term(n[ok], a[ok])
    if not ok.all():
        out[~ok] = np.log1p(_falling_series(n[~ok], a[~ok]))
    return out


def log_lower_gamma(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(log P(x, y), log A(x, y))`` for ``x >= 0``, ``y > 0``.

    ``P`` is the regularised lower incomplete gamma function and
    ``A(x, y) = sum_k y^k / prod_{i=1..k}(x+i) = P(x, y) / poisson_term(x, y)``
    is Mandelbaum and Zeltyn's ``A``. Where ``P`` underflows (``y`` far below
    ``x``) the series for ``A`` is summed instead.
    """
    log_term = log_poisson_term(x, y)
    p = gammainc(x, y)
    log_p = np.empty_like(y)
    log_a = np.empty_like(y)
    # The series is also more accurate than the difference of logs when y << x.
    ok = (p > _TINY) & (y > 0.01 * (x + 1.0))
    log_p[ok] = np.log(p[ok])
    log_a[ok] = log_p[ok] - log_term[ok]
    if not ok.all():
        log_a[~ok] = np.log1p(_rising_series(x[~ok], y[~ok]))
        log_p[~ok] = log_a[~ok] + log_term[~ok]
    return log_p, log_a


def _erlang_c_measures(n, a, aht, t):
    """Erlang C on 1-d arrays with ``n > 0``, ``a > 0``: (C, SL, ASA, occupancy)."""
    stable = n > a
    c = np.ones_like(a)
    sl = np.zeros_like(a)
    asa = np.full_like(a, np.inf)
    if stable.any():
        ns, as_ = n[stable], a[stable]
        b = np.exp(-log_inv_erlang_b(ns, as_))
        cs = ns * b / (ns - as_ * (1.0 - b))
        c[stable] = cs
        gap = ns - as_
        sl[stable] = 1.0 - cs * np.exp(-gap * t[stable] / aht[stable])
        asa[stable] = cs * aht[stable] / gap
    occupancy = np.minimum(a / n, 1.0)
    return np.clip(c, 0.0, 1.0), np.clip(sl, 0.0, 1.0), asa, occupancy


def _served_wait_mean(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``theta * E[V | V>0, served]`` for Erlang A, by Gauss-Legendre quadrature.

    Given a wait, the served callers' ``d = theta V`` has density proportional
    to ``exp(-s d - y e^{-d})`` on ``d >= 0`` with ``s = x + 1`` (``y e^{-d}``
    is then a Gamma(s) variable truncated to ``(0, y]``). The density is
    log-concave; the integration range spans the mode plus a window outside
    which it is below ``e^-40`` of its peak.
    """
    s = x + 1.0
    mode = np.maximum(0.0, np.log(y) - np.log(s))
    half = np.sqrt(80.0 / s)
    lo = np.maximum(0.0, mode - half)
    hi = mode + half + 40.0 / s
    boundary = y < s
    hi = np.where(boundary, np.minimum(hi, 40.0 / np.where(boundary, s - y, 1.0)), hi)
    width = (hi - lo)[:, None]
    d = lo[:, None] + width * (_GL_NODES[None, :] + 1.0) / 2.0
    g = -s[:, None] * d - y[:, None] * np.exp(-d)
    w = _GL_WEIGHTS[None, :] * np.exp(g - g.max(axis=1, keepdims=True))
    return (w * d).sum(axis=1) / w.sum(axis=1)


def _erlang_a_measures(n, a, aht, t, patience, *, need_asa=True):
    """Erlang A on 1-d arrays with ``n > 0``, ``a > 0``, finite patience.

    Returns (P(W>0), SL, ASA, P(Ab), occupancy).
    """
    ratio = patience / aht  # mu / theta
    x = n * ratio
    y = a * ratio
    log_p, log_a = log_lower_gamma(x, y)
    log_b = -log_inv_erlang_b(n, a)
    prob_wait = expit(log_a + log_b - np.log1p(-np.exp(log_b)))
    # P(served | W>0) = (x/y) (1 - 1/A); P(Ab | W>0) its complement.
    served_given_wait = np.empty_like(y)
    light = log_a < 1e-3  # y << x: use A(x,y) - 1 = y A(x+1,y) / (x+1), no cancellation
    heavy = ~light
    served_given_wait[heavy] = (x[heavy] / y[heavy]) * -np.expm1(-log_a[heavy])
    if light.any():
        xl = x[light]
        _, log_a_next = log_lower_gamma(xl + 1.0, y[light])
        served_given_wait[light] = xl / (xl + 1.0) * np.exp(log_a_next - log_a[light])
    served_given_wait = np.clip(served_given_wait, 0.0, 1.0)
    abandon_given_wait = 1.0 - served_given_wait
    abandon = prob_wait * abandon_given_wait
    # P(V > t, served | W>0) = (x/y) P(x+1, y p) / P(x, y), p = exp(-t/patience).
    yp = y * np.exp(-t / patience)
    late = np.zeros_like(y)
    some = yp > 0
    if some.any():
        log_p_late, _ = log_lower_gamma(x[some] + 1.0, yp[some])
        late[some] = (x[some] / y[some]) * np.exp(log_p_late - log_p[some])
    late_given_wait = np.minimum(late, served_given_wait)
    sl = 1.0 - prob_wait * (abandon_given_wait + late_given_wait)
    occupancy = np.minimum(a * (1.0 - abandon) / n, 1.0)
    if need_asa:
        served = 1.0 - abandon
        wait_mean = _served_wait_mean(x, y) * patience
        with np.errstate(divide="ignore", invalid="ignore"):
            asa = np.where(served > 0, prob_wait * served_given_wait * wait_mean / served, np.inf)
    else:
        asa = np.full_like(a, np.nan)
    return (
        np.clip(prob_wait, 0.0, 1.0),
        np.clip(sl, 0.0, 1.0),
        asa,
        np.clip(abandon, 0.0, 1.0),
        occupancy,
    )


def asa_from_measures(n, a, aht, patience, prob_wait, abandon):
    """ASA from P(W>0) and P(Ab) already computed (1-d arrays, ``n, a > 0``).

    Saves repeating the incomplete-gamma work when only the ASA is missing:
    ``ASA = (P(W>0) - P(Ab)) E[V | served, W>0] / (1 - P(Ab))``; infinite
    patience gives Erlang C's ``C AHT / (n - a)``.
    """
    asa = np.full_like(a, np.inf)
    finite = np.isfinite(patience) & (abandon < 1.0)
    if finite.any():
        i = finite
        ratio = patience[i] / aht[i]
        wait = _served_wait_mean(n[i] * ratio, a[i] * ratio) * patience[i]
        asa[i] = np.maximum(prob_wait[i] - abandon[i], 0.0) * wait / (1.0 - abandon[i])
    stable = ~np.isfinite(patience) & (n > a)
    asa[stable] = prob_wait[stable] * aht[stable] / (n[stable] - a[stable])
    return asa


def evaluate(n, a, aht, t, patience=None, *, need_asa=True):
    """All measures on 1-d arrays (``n, a >= 0``); ``patience`` None means Erlang C.

    Returns (P(W>0), SL, ASA, P(Ab), occupancy) as float arrays.
    """
    size = a.size
    prob_wait = np.zeros(size)
    sl = np.ones(size)
    asa = np.zeros(size)
    abandon = np.zeros(size)
    occupancy = np.zeros(size)
    nobody = (n == 0) & (a > 0)
    prob_wait[nobody] = 1.0
    sl[nobody] = 0.0
    asa[nobody] = np.inf
    abandon[nobody] = 0.0 if patience is None else 1.0
    occupancy[nobody] = 1.0  # calls but no agents: the staffing is saturated
    # Loads below 1e-250 Erlangs (which would underflow inside the kernels)
    # wait with probability below 1e-250: exactly zero to double precision.
    negligible = (n > 0) & (a > 0) & (a < _NEGLIGIBLE_LOAD)
    occupancy[negligible] = a[negligible] / n[negligible]
    busy = (n > 0) & (a >= _NEGLIGIBLE_LOAD)
    if patience is not None:
        finite = np.isfinite(patience)
        erlang_a = busy & finite
        busy = busy & ~finite
        if erlang_a.any():
            i = erlang_a
            pw, s, w, ab, occ = _erlang_a_measures(
                n[i], a[i], aht[i], t[i], patience[i], need_asa=need_asa
            )
            prob_wait[i], sl[i], asa[i], abandon[i], occupancy[i] = pw, s, w, ab, occ
    if busy.any():
        i = busy
        c, s, w, occ = _erlang_c_measures(n[i], a[i], aht[i], t[i])
        prob_wait[i], sl[i], asa[i], occupancy[i] = c, s, w, occ
    return prob_wait, sl, asa, abandon, occupancy


# --------------------------------------------------------------------------- public API


def _agents_and_load(agents, offered_load):
    n = check_range("agents", as_float_array("agents", agents), low=0.0)
    a = check_range("offered_load", as_float_array("offered_load", offered_load), low=0.0)
    return np.broadcast_arrays(n, a)


def erlang_b(agents, offered_load) -> np.ndarray:
    """Blocking probability of Erlang's loss system M/M/n/n.

    Parameters
    ----------
    agents : array_like
        Number of servers ``n >= 0`` (non-integer values use the continuous
        extension through the incomplete gamma function).
    offered_load : array_like
        Offered traffic ``a >= 0`` in Erlangs.

    Returns
    -------
    numpy.ndarray
        ``B(n, a)`` of the broadcast shape.
    """
    n, a = _agents_and_load(agents, offered_load)
    flat_n, flat_a = n.ravel(), a.ravel()
    out = np.where(flat_n == 0, 1.0, 0.0)
    busy = (flat_a > 0) & (flat_n > 0)
    out[busy] = np.exp(-log_inv_erlang_b(flat_n[busy], flat_a[busy]))
    return out.reshape(n.shape)


def erlang_c(agents, offered_load) -> np.ndarray:
    """Probability that a call waits in Erlang's delay system M/M/n.

    ``C = n B / (n - a (1 - B))`` when ``n > a``; 1 when ``a >= n`` (the
    queue is unstable and every call waits); 0 when ``a = 0 < n``.
    """
    n, a = _agents_and_load(agents, offered_load)
    flat_n, flat_a = n.ravel(), a.ravel()
    out = np.where(flat_n <= flat_a, 1.0, 0.0)
    busy = (flat_a > 0) & (flat_n > flat_a)
    if busy.any():
        nb, ab = flat_n[busy], flat_a[busy]
        b = np.exp(-log_inv_erlang_b(nb, ab))
        out[busy] = np.clip(nb * b / (nb - ab * (1.0 - b)), 0.0, 1.0)
    return out.reshape(n.shape)


@dataclass(frozen=True)
class Performance:
    """Per-interval performance of a given staffing (arrays of one shape).

    Attributes
    ----------
    prob_wait : P(a call has to wait), Erlang C's C(n, a) or Erlang A's P(W>0).
    service_level : share of offered calls answered within ``answer_within_seconds``.
    asa_seconds : average speed of answer (mean wait of answered calls); ``inf``
        when no call is ever answered (Erlang C with ``agents <= load``).
    abandon_rate : share of offered calls that abandon (0 for Erlang C).
    occupancy : carried load / agents (0 without calls; 1 with calls but no agents).
    """

    prob_wait: np.ndarray
    service_level: np.ndarray
    asa_seconds: np.ndarray
    abandon_rate: np.ndarray
    occupancy: np.ndarray


def offered_load(calls, aht_seconds, interval_seconds) -> np.ndarray:
    """Offered load in Erlangs, ``calls * aht_seconds / interval_seconds`` (validated)."""
    calls = check_range("calls", as_float_array("calls", calls), low=0.0)
    aht = check_range(
        "aht_seconds", as_float_array("aht_seconds", aht_seconds), low=0.0, low_open=True
    )
    interval = check_range(
        "interval_seconds",
        as_float_array("interval_seconds", interval_seconds),
        low=0.0,
        low_open=True,
    )
    return calls * aht / interval


def performance(
    agents,
    calls,
    aht_seconds,
    interval_seconds,
    *,
    answer_within_seconds,
    model: str = "erlang_c",
    patience_seconds=None,
) -> Performance:
    """Service level, ASA, abandonment and occupancy of a given number of agents.

    Parameters
    ----------
    agents : array_like
        Agents on the phones in each interval (``>= 0``).
    calls, aht_seconds, interval_seconds : array_like
        Calls offered in the interval, their average handle time and the
        interval length; all broadcast together.
    answer_within_seconds : array_like
        The service-level threshold ``t`` (``>= 0``).
    model : {"erlang_c", "erlang_a"}
        Erlang C (callers never hang up) or Erlang A (exponential patience).
    patience_seconds : array_like, optional
        Mean caller patience, required for Erlang A (``inf`` gives Erlang C).
    """
    model, patience = check_model(model, patience_seconds)
    n = check_range("agents", as_float_array("agents", agents), low=0.0)
    a = offered_load(calls, aht_seconds, interval_seconds)
    aht = as_float_array("aht_seconds", aht_seconds)
    t = check_range(
        "answer_within_seconds",
        as_float_array("answer_within_seconds", answer_within_seconds),
        low=0.0,
    )
    arrays = [n, a, aht, t] + ([patience] if patience is not None else [])
    arrays = np.broadcast_arrays(*arrays)
    shape = arrays[0].shape
    flat = [np.ascontiguousarray(x, dtype=np.float64).ravel() for x in arrays]
    pat = flat[4] if patience is not None else None
    measures = evaluate(flat[0], flat[1], flat[2], flat[3], pat)
    return Performance(*(m.reshape(shape) for m in measures))
