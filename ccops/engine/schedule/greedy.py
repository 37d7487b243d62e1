"""A greedy baseline for stage 1, for comparison with the CP-SAT schedule.

Repeatedly add the one shift (template, day, start, with each break put where
an agent is least useful) that lowers the weighted objective most, until no
shift lowers it. Vectorised over all candidate starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ccops.engine.schedule.model import Pool
from ccops.engine.schedule.shifts import BreakInstance, CoverSettings, ShiftInstance
from ccops.engine.schedule.templates import ShiftTemplate


def greedy_cover(
    need: np.ndarray,
    interval_minutes: int,
    day_templates: Sequence[Sequence[tuple[str, ShiftTemplate]]],
    settings: CoverSettings,
    *,
    max_shifts: int | None = None,
    pools: Sequence[Pool] | None = None,
) -> list[ShiftInstance]:
    """Greedy shift plan for ``need``; same arguments as :func:`cover`.

    With several queues, each queue's need is shared equally by the pools that
    serve it and every pool is planned on its own share (a baseline, not a plan
    that uses multi-skilled agents well).
    """
    need = np.ceil(np.asarray(need, dtype=float)).astype(np.int64)
    if need.ndim == 2 and (need.shape[0] > 1 or (pools is not None and len(pools) > 1)):
        pools = pools or [Pool(tuple(range(need.shape[0])))]
        share = np.zeros((len(pools), need.shape[1]))
        for q in range(need.shape[0]):
            serving = [s for s, p in enumerate(pools) if q in p.queues]
            for s in serving:
                share[s] += need[q] / len(serving)
        out: list[ShiftInstance] = []
        for s, pool in enumerate(pools):
            offered = [
                [(n, t) for n, t in day if pool.templates is None or t.name in pool.templates]
                for day in day_templates
            ]
            for shift in greedy_cover(
                np.ceil(share[s]), interval_minutes, offered, settings, max_shifts=max_shifts
            ):
                out.append(replace(shift, pool=s))
        out.sort(key=lambda x: (x.start, x.template, x.pool))
        return out
    if need.ndim == 2:
        need = need[0]
    return _greedy_one(need, interval_minutes, day_templates, settings, max_shifts=max_shifts)


def _greedy_one(need, interval_minutes, day_templates, settings, *, max_shifts=None):

    n = need.shape[0]
    ipd = 24 * 60 // interval_minutes
    cand: list[tuple[int, str, ShiftTemplate, int]] = []
    for day, offered in enumerate(day_templates):
        for set_name, tpl in offered:
            for m in tpl.start_minutes:
                cand.append((day, set_name, tpl, day * ipd + m // interval_minutes))
    if not cand:
        return []
    c = len(cand)
    starts = np.array([x[3] for x in cand], dtype=np.int64)
    lengths = np.array([x[2].length_minutes // interval_minutes for x in cand], dtype=np.int64)
    kmax = max(len(x[2].breaks) for x in cand)
    omax = max(
        (
            (b.latest_start_minutes - b.earliest_start_minutes) // interval_minutes + 1
            for x in cand
            for b in x[2].breaks
        ),
        default=1,
    )
    # break offsets (absolute), lengths and masks: c x kmax x omax
    boff = np.zeros((c, max(kmax, 1), omax), dtype=np.int64)
    bmask = np.zeros((c, max(kmax, 1), omax), dtype=bool)
    blen = np.zeros((c, max(kmax, 1)), dtype=np.int64)
    bpaid = np.zeros((c, max(kmax, 1)), dtype=bool)
    for i, (_, _, tpl, s) in enumerate(cand):
        for k, b in enumerate(tpl.breaks):
            a = b.earliest_start_minutes // interval_minutes
            z = b.latest_start_minutes // interval_minutes
            boff[i, k, : z - a + 1] = s + np.arange(a, z + 1)
            bmask[i, k, : z - a + 1] = True
            blen[i, k] = b.length_minutes // interval_minutes
            bpaid[i, k] = b.paid
    used = np.zeros(c, dtype=np.int64)
    cap = np.array(
        [
            x[2].max_per_start if x[2].max_per_start is not None else np.iinfo(np.int64).max
            for x in cand
        ],
        dtype=np.int64,
    )
    horizon_end = int((starts + lengths).max())
    size = max(n, horizon_end) + 1
    coverage = np.zeros(size, dtype=np.int64)
    need_ext = np.zeros(size, dtype=np.int64)
    need_ext[:n] = need
    wu, wo, wp = settings.under_weight, settings.over_weight, settings.paid_off_floor_weight
    chosen: list[tuple[int, np.ndarray]] = []
    limit = max_shifts if max_shifts is not None else int(need.sum()) + 1
    has_breaks = kmax > 0
    while len(chosen) < limit:
        gain = np.where(coverage < need_ext, wu, -wo).astype(float)
        gain[n:] = -wp
        prefix = np.concatenate([[0.0], np.cumsum(gain)])
        total = prefix[starts + lengths] - prefix[starts]
        if has_breaks:
            end = np.minimum(boff + blen[:, :, None], size)
            loss = prefix[end] - prefix[boff]
            loss = np.where(bmask, loss, np.inf)
            best_off = np.argmin(loss, axis=2)
            best_loss = np.take_along_axis(loss, best_off[:, :, None], axis=2)[:, :, 0]
            best_loss = np.where(np.isfinite(best_loss), best_loss, 0.0)
            total = total - best_loss.sum(axis=1) - wp * (blen * bpaid).sum(axis=1)
        total = np.where(used < cap, total, -np.inf)
        i = int(np.argmax(total))
        if total[i] <= 1e-9:
            break
        used[i] += 1
        s, ln = int(starts[i]), int(lengths[i])
        coverage[s : s + ln] += 1
        picks = np.zeros(0, dtype=np.int64)
        if has_breaks:
            picks = np.array(
                [boff[i, k, best_off[i, k]] for k in range(len(cand[i][2].breaks))], dtype=np.int64
            )
            for k, p in enumerate(picks):
                coverage[p : p + blen[i, k]] -= 1
        chosen.append((i, picks))
    shifts = []
    for i, picks in chosen:
        day, set_name, tpl, s = cand[i]
        ln = int(lengths[i])
        breaks = tuple(
            BreakInstance(b.name, int(picks[k]), int(blen[i, k]), b.paid)
            for k, b in enumerate(tpl.breaks)
        )
        unpaid = sum(int(blen[i, k]) for k, b in enumerate(tpl.breaks) if not b.paid)
        shifts.append(
            ShiftInstance(day, set_name, tpl.name, int(s), ln, breaks, ln - unpaid, tpl.skills)
        )
    shifts.sort(key=lambda x: (x.start, x.template))
    return shifts
