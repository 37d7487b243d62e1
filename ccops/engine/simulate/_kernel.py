"""The compiled kernels of :func:`ccops.engine.simulate.simulate` (numba).

Two kernels, both run without the GIL on a range of jobs so that the caller
spreads the jobs over threads; every job is seeded on its own, so the result
does not depend on the number of threads.

:func:`run_fcfs` (queues with their own agents, one priority class) settles
each call at its arrival by the FCFS recursion (see :func:`_fcfs_one`).

:func:`run_replications` is the general event loop. One replication is one
pass over the horizon, interval by interval. Within a replication the
next event is the earliest of: a service completion (a binary heap of
completion times), a staffing change (at most three per agent group and
interval, see below) and an arrival (generated per interval, sorted).

* Arrival on queue ``q``: the first agent group in ``route_groups[q]`` (the
  groups that serve ``q``, fewest skills first) with an idle agent takes the
  call at once; otherwise the call joins the FIFO of its queue and class.
* An agent becomes free (completion or new agent): if its group has agents to
  shed, it leaves; otherwise it takes, among the heads of the FIFOs of the
  queues its group serves, the call with the smallest key ``arrival -
  advance[class]`` (the longest wait, priority classes moved ahead by their
  advance). Heads whose patience ran out by then are removed as abandoned
  first (their abandonment time is ``arrival + patience``; removing them late
  changes nothing for the calls behind them).
* After-call work that depends on the queue (``acw_spec``): a call of such a
  queue ends its handle time first (a completion of phase 0); the agent then
  stays busy for an after-call time drawn from the band of the number of
  callers waiting for its group at that moment, and is free at the end of it
  (phase 1). Other calls carry their after-call work in their service time.
* Staffing: a target of ``floor(n)`` agents for the interval, and for the
  fraction ``f = n - floor(n)`` one more agent during ``f`` of the interval at
  a random offset (a presence of 6.4 agents is 6 agents all the interval and
  a seventh for 40 % of it). A rise adds idle agents at once; a fall sends
  idle agents home first, and busy ones when they finish their call.
"""

from __future__ import annotations

import numpy as np
from numba import njit

INF = np.inf
_U53 = 1.0 / 9007199254740992.0


# --------------------------------------------------------------------------- random numbers
# xoshiro256** (Blackman and Vigna 2018) on a 4-word state, seeded by splitmix64:
# a few nanoseconds a draw, where numba's NumPy generator takes about fifty.


@njit(cache=True)
def _rotl(x, k):
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@njit(cache=True)
def _seed_state(seed):
    state = np.empty(4, np.uint64)
    z = np.uint64(seed)
    for i in range(4):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        x = z
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        state[i] = x ^ (x >> np.uint64(31))
    return state


@njit(cache=True)
def _uniform(s):
    """A uniform number in (0, 1)."""
    result = _rotl(s[1] * np.uint64(5), 7) * np.uint64(9)
    t = s[1] << np.uint64(17)
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return (float(result >> np.uint64(11)) + 0.5) * _U53


@njit(cache=True)
def _exponential(s, mean):
    return -mean * np.log(_uniform(s))


# Acklam's rational approximation of the inverse normal CDF (relative error < 1.2e-9).
_ACKLAM_A = (-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690,
             -30.66479806614716, 2.506628277459239)  # fmt: skip
_ACKLAM_B = (-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
             -13.28068155288572, 1.0)  # fmt: skip
_ACKLAM_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838,
             -2.549732539343734, 4.374664141464968, 2.938163982698783)  # fmt: skip
_ACKLAM_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996,
             3.754408661907416, 1.0)  # fmt: skip


@njit(cache=True)
def _horner(coefficients, x):
    value = 0.0
    for c in coefficients:
        value = value * x + c
    return value


@njit(cache=True)
def _normal(s):
    """A standard normal number: the inverse normal CDF of a uniform (Acklam)."""
    p = _uniform(s)
    if 0.02425 <= p <= 0.97575:
        q = p - 0.5
        r = q * q
        return q * _horner(_ACKLAM_A, r) / _horner(_ACKLAM_B, r)
    tail = p if p < 0.5 else 1.0 - p
    q = np.sqrt(-2.0 * np.log(tail))
    z = _horner(_ACKLAM_C, q) / _horner(_ACKLAM_D, q)
    return z if p < 0.5 else -z


@njit(cache=True)
def _heap_push(h_time, h_grp, hn, time, grp):
    i = hn
    h_time[i] = time
    h_grp[i] = grp
    while i > 0:
        parent = (i - 1) >> 1
        if h_time[parent] <= h_time[i]:
            break
        h_time[parent], h_time[i] = h_time[i], h_time[parent]
        h_grp[parent], h_grp[i] = h_grp[i], h_grp[parent]
        i = parent
    return hn + 1


@njit(cache=True)
def _heap_pop(h_time, h_grp, hn):
    grp = h_grp[0]
    hn -= 1
    h_time[0] = h_time[hn]
    h_grp[0] = h_grp[hn]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= hn:
            break
        child = left
        right = left + 1
        if right < hn and h_time[right] < h_time[left]:
            child = right
        if h_time[i] <= h_time[child]:
            break
        h_time[child], h_time[i] = h_time[i], h_time[child]
        h_grp[child], h_grp[i] = h_grp[i], h_grp[child]
        i = child
    return grp, hn


@njit(cache=True)
def _sample_service(rng, q, aht, svc):
    """Agent time of one call: handle time (mean ``aht``) plus after-call work."""
    svc_kind, svc_sigma, svc_table, svc_n, ac_table, ac_n = svc
    kind = svc_kind[q]
    if kind == 0:
        x = _exponential(rng, aht)
    elif kind == 1:
        s = svc_sigma[q]
        x = aht * np.exp(s * _normal(rng) - 0.5 * s * s)
    else:
        x = aht * svc_table[q, int(_uniform(rng) * svc_n[q])]
    n = ac_n[q]
    if n > 0:
        x += ac_table[q, int(_uniform(rng) * n)]
    return x


@njit(cache=True)
def _exact_handles(rng, q, aht, count, svc):
    """Agent times of the ``count`` calls of one interval whose handle times average
    exactly ``aht`` (draws of the queue's shape scaled to that mean), each plus its
    after-call work."""
    svc_kind, svc_sigma, svc_table, svc_n, ac_table, ac_n = svc
    kind = svc_kind[q]
    s = svc_sigma[q]
    out = np.empty(count)
    total = 0.0
    for k in range(count):
        if kind == 0:
            x = _exponential(rng, 1.0)
        elif kind == 1:
            x = np.exp(s * _normal(rng))
        else:
            x = svc_table[q, int(_uniform(rng) * svc_n[q])]
        out[k] = x
        total += x
    scale = aht * count / total if total > 0.0 else aht
    n = ac_n[q]
    for k in range(count):
        out[k] *= scale
        if n > 0:
            out[k] += ac_table[q, int(_uniform(rng) * n)]
    return out


@njit(cache=True)
def _waiting_for_group(g, now, group_queues, group_nq, head, w_next, w_arr, w_pat, cap):
    """Callers still waiting (patience not run out) in the queues group ``g`` serves,
    counted up to ``cap``."""
    n = 0
    for jq in range(group_nq[g]):
        q = group_queues[g, jq]
        for c in range(head.shape[1]):
            h = head[q, c]
            while h != -1:
                if w_arr[h] + w_pat[h] > now:
                    n += 1
                    if n >= cap:
                        return n
                h = w_next[h]
    return n


@njit(cache=True)
def _sample_state_acw(rng, q, waiting, acw):
    """After-call seconds of a call of queue ``q`` ending with ``waiting`` callers waiting:
    a draw from the band with the largest threshold at most ``waiting`` (the first band
    below its threshold)."""
    acw_nb, acw_from, acw_table, acw_n = acw
    band = 0
    for b in range(acw_nb[q]):
        if acw_from[q, b] <= waiting:
            band = b
    n = acw_n[q, band]
    if n == 0:
        return 0.0
    return acw_table[q, band, int(_uniform(rng) * n)]


@njit(cache=True)
def _sample_patience(rng, q, pat):
    pat_kind, pat_mean, pat_times, pat_cdf, pat_n, pat_tail = pat
    if pat_kind[q] == 0:
        m = pat_mean[q]
        if m == INF:
            return INF
        return _exponential(rng, m)
    u = _uniform(rng)
    n = pat_n[q]
    if u < pat_cdf[q, n - 1]:
        # piecewise-linear CDF through (0, 0) and (times[i], cdf[i])
        lo, hi = 0, n - 1
        while lo < hi:
            mid = (lo + hi) >> 1
            if pat_cdf[q, mid] > u:
                hi = mid
            else:
                lo = mid + 1
        c1 = pat_cdf[q, lo]
        t1 = pat_times[q, lo]
        if lo == 0:
            c0, t0 = 0.0, 0.0
        else:
            c0, t0 = pat_cdf[q, lo - 1], pat_times[q, lo - 1]
        return t0 + (t1 - t0) * (u - c0) / (c1 - c0)
    rate = pat_tail[q]
    if rate <= 0.0:
        return INF
    return pat_times[q, n - 1] + _exponential(rng, 1.0 / rate)


@njit(cache=True)
def _add_busy(busy_r, g, start, length, interval_seconds, n_intervals, k=-1):
    """Add the service ``[start, start + length)`` to the busy time of group ``g``'s
    intervals; ``k``: an interval at or before the start, when known."""
    end = start + length
    if k < 0:
        k = int(start // interval_seconds)
    else:
        while (k + 1) * interval_seconds <= start:
            k += 1
    while k < n_intervals:
        lo = k * interval_seconds
        hi = lo + interval_seconds
        if lo >= end:
            break
        a = start if start > lo else lo
        b = end if end < hi else hi
        if b > a:
            busy_r[g, k] += b - a
        k += 1


@njit(cache=True)
def _one_replication(
    seed,
    interval_seconds,
    calls,
    aht,
    fixed_counts,
    exact_aht,
    agents,
    routing,
    svc_spec,
    acw_spec,
    pat_spec,
    answer_within,
    counts,
):
    route_groups, route_n, group_queues, group_nq, class_cum, advance = routing
    offered, answered, within, abandoned, wait_sum, busy = counts
    rng = _seed_state(seed)
    n_queues, n_intervals = calls.shape
    n_groups = agents.shape[0]
    n_classes = advance.size
    step = interval_seconds
    acw_nb, acw_from = acw_spec[0], acw_spec[1]
    acw_cap = 1
    for q in range(n_queues):
        for b in range(acw_nb[q]):
            if acw_from[q, b] + 1 > acw_cap:
                acw_cap = acw_from[q, b] + 1

    # Waiting calls: a pool of slots with a free list; one FIFO per (queue, class).
    cap = 1024
    w_arr = np.empty(cap)
    w_pat = np.empty(cap)
    w_svc = np.empty(cap)
    w_next = np.empty(cap, np.int64)
    for i in range(cap - 1):
        w_next[i] = i + 1
    w_next[cap - 1] = -1
    free_head = 0
    head = np.full((n_queues, n_classes), -1, np.int64)
    tail = np.full((n_queues, n_classes), -1, np.int64)

    hcap = 64
    for g in range(n_groups):
        hcap += 2 * int(np.ceil(agents[g].max()))
    h_time = np.empty(hcap)
    h_grp = np.empty(hcap, np.int64)
    hn = 0

    idle = np.zeros(n_groups, np.int64)
    on_busy = np.zeros(n_groups, np.int64)
    leave = np.zeros(n_groups, np.int64)
    target = np.zeros(n_groups, np.int64)
    newly = np.zeros(n_groups, np.int64)  # agents made free by a staffing rise
    buf_t = np.empty(1024)
    buf_q = np.empty(1024, np.int64)
    buf_s = np.empty(1024)  # with exact_aht: each arrival's agent time

    for t in range(n_intervals + 1):
        draining = t == n_intervals
        t0 = t * step
        t1 = INF if draining else t0 + step
        # Arrivals of the interval, all queues, sorted by time.
        m = 0
        if not draining:
            for q in range(n_queues):
                lam = calls[q, t]
                if lam <= 0.0:
                    continue
                if fixed_counts:
                    base = int(np.floor(lam))
                    count = base + (1 if _uniform(rng) < lam - base else 0)
                else:
                    count = -1  # Poisson: exponential gaps until the interval ends
                x = t0
                k = 0
                while True:
                    if count >= 0:
                        if k >= count:
                            break
                        x = t0 + _uniform(rng) * step
                    else:
                        x += _exponential(rng, step / lam)
                        if x >= t0 + step:
                            break
                    if m == buf_t.size:
                        buf_t = np.concatenate((buf_t, np.empty(buf_t.size)))
                        buf_q = np.concatenate((buf_q, np.empty(buf_q.size, np.int64)))
                        buf_s = np.concatenate((buf_s, np.empty(buf_s.size)))
                    buf_t[m] = x
                    buf_q[m] = q
                    m += 1
                    k += 1
                if exact_aht and k > 0:
                    buf_s[m - k : m] = _exact_handles(rng, q, aht[q, t], k, svc_spec)
        order = np.argsort(buf_t[:m])
        a_time = buf_t[:m][order]
        a_queue = buf_q[:m][order]
        a_svc = buf_s[:m][order]
        # Staffing changes of the interval.
        nc = 0
        c_time = np.empty(3 * n_groups)
        c_grp = np.empty(3 * n_groups, np.int64)
        c_val = np.empty(3 * n_groups, np.int64)
        if not draining:
            for g in range(n_groups):
                n = agents[g, t]
                base = int(np.floor(n + 1e-9))
                frac = n - base
                if frac > 1e-9:
                    s = t0 + _uniform(rng) * (1.0 - frac) * step
                    e = s + frac * step
                    c_time[nc], c_grp[nc], c_val[nc] = t0, g, base
                    nc += 1
                    c_time[nc], c_grp[nc], c_val[nc] = s, g, base + 1
                    nc += 1
                    c_time[nc], c_grp[nc], c_val[nc] = e, g, base
                    nc += 1
                else:
                    c_time[nc], c_grp[nc], c_val[nc] = t0, g, base
                    nc += 1
            corder = np.argsort(c_time[:nc], kind="mergesort")
            c_time = c_time[:nc][corder]
            c_grp = c_grp[:nc][corder]
            c_val = c_val[:nc][corder]

        ia = 0
        ic = 0
        while True:
            ta = a_time[ia] if ia < m else INF
            tc = c_time[ic] if ic < nc else INF
            td = h_time[0] if hn > 0 else INF
            if td <= tc and td <= ta:
                now = td
                kind = 0
            elif tc <= ta:
                now = tc
                kind = 1
            else:
                now = ta
                kind = 2
            if now >= t1 or now == INF:
                break
            free_groups = 0  # groups with an agent to hand a waiting call to
            if kind == 0:
                code, hn = _heap_pop(h_time, h_grp, hn)
                g = (code // 2) % n_groups
                if code % 2 == 0:  # handle time over: the queue-dependent after-call work
                    q = code // 2 // n_groups
                    waiting = _waiting_for_group(
                        g, now, group_queues, group_nq, head, w_next, w_arr, w_pat, acw_cap
                    )
                    extra = _sample_state_acw(rng, q, waiting, acw_spec)
                    if extra > 0.0:
                        if hn == h_time.size:
                            h_time = np.concatenate((h_time, np.empty(h_time.size)))
                            h_grp = np.concatenate((h_grp, np.empty(h_grp.size, np.int64)))
                        hn = _heap_push(h_time, h_grp, hn, now + extra, code + 1)
                        _add_busy(busy, g, now, extra, step, n_intervals)
                        continue
                on_busy[g] -= 1
                if leave[g] > 0:
                    leave[g] -= 1
                else:
                    newly[g] += 1
                    free_groups = 1
            elif kind == 1:
                g = c_grp[ic]
                ic += 1
                target[g] = c_val[ic - 1]
                present = idle[g] + on_busy[g] - leave[g]
                diff = target[g] - present
                if diff > 0:
                    newly[g] += diff
                    free_groups = 1
                elif diff < 0:
                    shed = -diff
                    take = shed if shed <= idle[g] else idle[g]
                    idle[g] -= take
                    leave[g] += shed - take
            else:
                q = a_queue[ia]
                ia += 1
                ti = int(now // step)
                offered[q, ti] += 1
                u = _uniform(rng)
                c = 0
                while c < n_classes - 1 and u >= class_cum[q, c]:
                    c += 1
                pat = _sample_patience(rng, q, pat_spec)
                svc = a_svc[ia - 1] if exact_aht else _sample_service(rng, q, aht[q, ti], svc_spec)
                chosen = -1
                for k in range(route_n[q]):
                    g = route_groups[q, k]
                    if idle[g] > 0:
                        chosen = g
                        break
                if chosen >= 0:
                    idle[chosen] -= 1
                    on_busy[chosen] += 1
                    answered[q, ti] += 1
                    within[q, ti] += 1
                    if hn == h_time.size:
                        h_time = np.concatenate((h_time, np.empty(h_time.size)))
                        h_grp = np.concatenate((h_grp, np.empty(h_grp.size, np.int64)))
                    phase = 0 if acw_nb[q] > 0 else 1
                    hn = _heap_push(
                        h_time, h_grp, hn, now + svc, 2 * (q * n_groups + chosen) + phase
                    )
                    _add_busy(busy, chosen, now, svc, step, n_intervals)
                else:
                    if free_head == -1:
                        old = w_arr.size
                        w_arr = np.concatenate((w_arr, np.empty(old)))
                        w_pat = np.concatenate((w_pat, np.empty(old)))
                        w_svc = np.concatenate((w_svc, np.empty(old)))
                        w_next = np.concatenate((w_next, np.empty(old, np.int64)))
                        for i in range(old, 2 * old - 1):
                            w_next[i] = i + 1
                        w_next[2 * old - 1] = -1
                        free_head = old
                    slot = free_head
                    free_head = w_next[slot]
                    w_arr[slot] = now
                    w_pat[slot] = pat
                    w_svc[slot] = svc
                    w_next[slot] = -1
                    if tail[q, c] == -1:
                        head[q, c] = slot
                    else:
                        w_next[tail[q, c]] = slot
                    tail[q, c] = slot
            if free_groups == 0:
                continue
            # Hand waiting calls to the agents just made free.
            for g in range(n_groups):
                while newly[g] > 0:
                    newly[g] -= 1
                    best = -1
                    best_q = -1
                    best_c = -1
                    best_key = INF
                    for jq in range(group_nq[g]):
                        q = group_queues[g, jq]
                        for c in range(n_classes):
                            h = head[q, c]
                            while h != -1 and w_arr[h] + w_pat[h] <= now:
                                abandoned[q, int(w_arr[h] // step)] += 1
                                nxt = w_next[h]
                                w_next[h] = free_head
                                free_head = h
                                h = nxt
                            head[q, c] = h
                            if h == -1:
                                tail[q, c] = -1
                                continue
                            key = w_arr[h] - advance[c]
                            if key < best_key:
                                best_key = key
                                best = h
                                best_q = q
                                best_c = c
                    if best == -1:
                        idle[g] += 1
                        continue
                    nxt = w_next[best]
                    head[best_q, best_c] = nxt
                    if nxt == -1:
                        tail[best_q, best_c] = -1
                    wait = now - w_arr[best]
                    ti = int(w_arr[best] // step)
                    answered[best_q, ti] += 1
                    wait_sum[best_q, ti] += wait
                    if wait <= answer_within[best_q]:
                        within[best_q, ti] += 1
                    on_busy[g] += 1
                    if hn == h_time.size:
                        h_time = np.concatenate((h_time, np.empty(h_time.size)))
                        h_grp = np.concatenate((h_grp, np.empty(h_grp.size, np.int64)))
                    phase = 0 if acw_nb[best_q] > 0 else 1
                    hn = _heap_push(
                        h_time, h_grp, hn, now + w_svc[best], 2 * (best_q * n_groups + g) + phase
                    )
                    _add_busy(busy, g, now, w_svc[best], step, n_intervals)
                    w_next[best] = free_head
                    free_head = best
    # Calls still waiting when no agent is left: they abandon if their patience is finite.
    for q in range(n_queues):
        for c in range(n_classes):
            h = head[q, c]
            while h != -1:
                if w_pat[h] < INF:
                    abandoned[q, int(w_arr[h] // step)] += 1
                h = w_next[h]


@njit(cache=True, nogil=True)
def run_replications(
    first,
    last,
    seeds,
    interval_seconds,
    calls,
    aht,
    fixed_counts,
    exact_aht,
    agents,
    routing,
    svc_spec,
    acw_spec,
    pat_spec,
    answer_within,
    counts,
):
    """Replications ``first..last-1``: fill ``offered[r, q, t]`` ... in place."""
    for r in range(first, last):
        _one_replication(
            seeds[r],
            interval_seconds,
            calls,
            aht,
            fixed_counts,
            exact_aht,
            agents,
            routing,
            svc_spec,
            acw_spec,
            pat_spec,
            answer_within,
            (counts[0][r], counts[1][r], counts[2][r], counts[3][r], counts[4][r], counts[5][r]),
        )


# --------------------------------------------------------------------------- FCFS fast path


@njit(cache=True)
def _sift_down(heap, hn, i):
    """4-ary min-heap: move ``heap[i]`` down to its place (the hole technique)."""
    v = heap[i]
    while True:
        c = 4 * i + 1
        if c >= hn:
            break
        m = c
        mv = heap[c]
        e = c + 4 if c + 4 < hn else hn
        for j in range(c + 1, e):
            if heap[j] < mv:
                m = j
                mv = heap[j]
        if v <= mv:
            break
        heap[i] = mv
        i = m
    heap[i] = v


@njit(cache=True)
def _push(heap, hn, value):
    i = hn
    while i > 0:
        parent = (i - 1) >> 2
        if heap[parent] <= value:
            break
        heap[i] = heap[parent]
        i = parent
    heap[i] = value
    return hn + 1


@njit(cache=True)
def _pop(heap, hn):
    hn -= 1
    heap[0] = heap[hn]
    _sift_down(heap, hn, 0)
    return hn


@njit(cache=True)
def _apply_change(heap, hn, time, value):
    """Staffing target ``value`` from ``time``: new agents free at ``time``, or the
    agents free first (idle ones, then the next to finish) leave."""
    while hn < value:
        hn = _push(heap, hn, time)
    while hn > value:
        hn = _pop(heap, hn)
    return hn


@njit(cache=True)
def _staffing_changes(rng, agents_g, step):
    """(time, target) of every staffing change of one group, in time order."""
    n_intervals = agents_g.size
    c_time = np.empty(3 * n_intervals)
    c_val = np.empty(3 * n_intervals, np.int64)
    nc = 0
    for t in range(n_intervals):
        t0 = t * step
        n = agents_g[t]
        base = int(np.floor(n + 1e-9))
        frac = n - base
        c_time[nc], c_val[nc] = t0, base
        nc += 1
        if frac > 1e-9:
            s = t0 + _uniform(rng) * (1.0 - frac) * step
            c_time[nc], c_val[nc] = s, base + 1
            nc += 1
            c_time[nc], c_val[nc] = s + frac * step, base
            nc += 1
    return c_time[:nc], c_val[:nc]


@njit(cache=True)
def _fcfs_one(
    seed,
    step,
    calls_q,
    aht_q,
    fixed_counts,
    exact_aht,
    agents_g,
    q,
    svc_spec,
    pat_spec,
    t_sl,
    counts,
):
    """One queue served FCFS by its own agents: the recursion over arrivals in order.

    Under FCFS a call's service start depends only on the calls before it, so each
    arrival is settled when it comes: its start is the earliest time a server is
    free (a heap of free times), after the staffing changes up to then; it
    abandons if that is later than its patience. Changes between the arrival and
    that start are applied to a copy, kept only if the call is served (then no
    later caller can start before it, so the changes are due for them too).
    """
    offered, answered, within, abandoned, wait_sum, busy = counts
    rng = _seed_state(seed)
    n_intervals = calls_q.size
    c_time, c_val = _staffing_changes(rng, agents_g, step)
    nc = c_time.size
    size = 8
    for i in range(nc):
        if c_val[i] > size:
            size = c_val[i]
    heap = np.empty(size + 1)
    scratch = np.empty(size + 1)
    hn = 0
    ic = 0
    busy2 = busy.reshape((1, n_intervals))
    for t in range(n_intervals):
        lam = calls_q[t]
        if lam <= 0.0:
            continue
        t0 = t * step
        aht = aht_q[t]
        if fixed_counts:
            base = int(np.floor(lam))
            count = base + (1 if _uniform(rng) < lam - base else 0)
            if count == 0:
                continue
            # sorted uniform times from exponential spacings
            total = 0.0
            spacings = np.empty(count + 1)
            for k in range(count + 1):
                spacings[k] = _exponential(rng, 1.0)
                total += spacings[k]
        else:
            count = -1
            spacings = np.empty(0)
            total = 1.0
        if exact_aht:
            if count < 0:  # Poisson: the interval's arrival times first, as spacings
                gaps = np.empty(16)
                x = t0
                count = 0
                while True:
                    x += _exponential(rng, step / lam)
                    if x >= t0 + step:
                        break
                    if count == gaps.size:
                        gaps = np.concatenate((gaps, np.empty(gaps.size)))
                    gaps[count] = x
                    count += 1
                if count == 0:
                    continue
                spacings = np.empty(count + 1)
                prev = t0
                for j in range(count):
                    spacings[j] = gaps[j] - prev
                    prev = gaps[j]
                spacings[count] = t0 + step - prev
                total = float(step)  # x advances by each spacing itself
            handles = _exact_handles(rng, q, aht, count, svc_spec)
        else:
            handles = np.empty(0)
        poisson_exact = exact_aht and not fixed_counts
        k = 0
        x = t0
        while True:
            if fixed_counts or poisson_exact:
                if k >= count:
                    break
                x += spacings[k] / total * step
                k += 1
            else:
                x += _exponential(rng, step / lam)
                if x >= t0 + step:
                    break
            arrival = x
            offered[t] += 1
            pat = _sample_patience(rng, q, pat_spec)
            svc = handles[k - 1] if exact_aht else _sample_service(rng, q, aht, svc_spec)
            while ic < nc and c_time[ic] <= arrival:
                hn = _apply_change(heap, hn, c_time[ic], c_val[ic])
                ic += 1
            start = heap[0] if hn > 0 else INF
            if start < arrival:
                start = arrival
            if ic < nc and c_time[ic] <= start:
                scratch[:hn] = heap[:hn]
                tn = hn
                jc = ic
                while jc < nc and c_time[jc] <= start:
                    tn = _apply_change(scratch, tn, c_time[jc], c_val[jc])
                    jc += 1
                    start = scratch[0] if tn > 0 else INF
                    if start < arrival:
                        start = arrival
                if start - arrival > pat or start == INF:
                    if pat < INF:
                        abandoned[t] += 1
                    continue
                heap, scratch = scratch, heap
                hn = tn
                ic = jc
            elif start - arrival > pat or start == INF:
                if pat < INF:
                    abandoned[t] += 1
                continue
            wait = start - arrival
            answered[t] += 1
            wait_sum[t] += wait
            if wait <= t_sl:
                within[t] += 1
            heap[0] = start + svc
            _sift_down(heap, hn, 0)
            _add_busy(busy2, 0, start, svc, step, n_intervals, t)


@njit(cache=True, nogil=True)
def run_fcfs(
    first,
    last,
    seeds,
    interval_seconds,
    calls,
    aht,
    fixed_counts,
    exact_aht,
    agents,
    svc_spec,
    pat_spec,
    answer_within,
    counts,
):
    """Queues with their own agents and one class: every (replication, queue) apart.

    ``seeds`` is ``(replications, queues)``; jobs ``first..last-1`` are
    ``replication * queues + queue``.
    """
    n_queues = seeds.shape[1]
    for job in range(first, last):
        r = job // n_queues
        q = job % n_queues
        _fcfs_one(
            seeds[r, q],
            interval_seconds,
            calls[q],
            aht[q],
            fixed_counts,
            exact_aht,
            agents[q],
            q,
            svc_spec,
            pat_spec,
            answer_within[q],
            (
                counts[0][r, q],
                counts[1][r, q],
                counts[2][r, q],
                counts[3][r, q],
                counts[4][r, q],
                counts[5][r, q],
            ),
        )
