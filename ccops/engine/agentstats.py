"""Per-agent monthly statistics derived from per-call records.

What the statistics team reads off an ACD agent report, computed from the calls
each agent served: calls handled, average handle time and its parts (talk, hold,
after-call work), transfers, days with calls and the busy time. Vectorised over
calls: one ``np.unique`` for the (agent, month) groups and ``np.bincount`` sums,
so a year of a large center is a fraction of a second.

Means are over the calls whose duration is known (NaN durations, e.g. the
suspect Anonymous Bank service times, are left out of numerator and
denominator); ``*_known`` counts say how many calls each mean rests on.
Login and ready time are not in per-call records: they come from an ACD agent
report (``ccops.quality`` imports one) and are NaN here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass(frozen=True)
class AgentMonthStats:
    """One element per (agent, month), sorted by agent then month."""

    agent: np.ndarray  # str
    month: np.ndarray  # datetime64[M]
    calls_handled: np.ndarray  # int
    handle_known: np.ndarray  # int: calls with a known handle time
    aht_seconds: np.ndarray  # mean handle time over handle_known
    talk_seconds: np.ndarray  # mean talk time (NaN when never recorded)
    hold_seconds: np.ndarray  # mean hold time
    acw_seconds: np.ndarray  # mean after-call work
    handle_total_seconds: np.ndarray  # busy time on calls
    transfers: np.ndarray  # int
    transfer_rate: np.ndarray  # transfers / calls handled
    days_with_calls: np.ndarray  # int

    def __len__(self) -> int:
        return len(self.agent)

    def row(self, i: int) -> dict:
        return {f.name: getattr(self, f.name)[i] for f in fields(self)}


def _mean(groups: np.ndarray, n: int, values: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    if values is None:
        return np.full(n, np.nan), np.zeros(n, dtype=np.int64)
    v = np.asarray(values, dtype=np.float64)
    known = np.isfinite(v)
    count = np.bincount(groups[known], minlength=n)
    total = np.bincount(groups[known], weights=v[known], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return mean, count


def agent_month_stats(
    *,
    agent: np.ndarray,
    start: np.ndarray,
    handled: np.ndarray,
    handle_seconds: np.ndarray,
    talk_seconds: np.ndarray | None = None,
    hold_seconds: np.ndarray | None = None,
    acw_seconds: np.ndarray | None = None,
    transferred: np.ndarray | None = None,
) -> AgentMonthStats:
    """Statistics per (agent, calendar month of ``start``) over the handled calls.

    Parameters
    ----------
    agent : array of str
        Serving agent of each call ("" = none; such calls are left out).
    start : array of datetime64
        Call start (local time of the site, so that months are the site's months).
    handled : array of bool
        The calls an agent served (answered).
    handle_seconds, talk_seconds, hold_seconds, acw_seconds : arrays of float
        Durations, NaN when unknown; the optional ones may be ``None`` (not recorded).
    transferred : array of bool, optional
        The agent transferred the call.
    """
    agent = np.asarray(agent).astype(str)
    start = np.asarray(start).astype("datetime64[s]")
    keep = np.asarray(handled, dtype=bool) & (agent != "") & ~np.isnat(start)
    idx = np.flatnonzero(keep)
    months = start[idx].astype("datetime64[M]")
    names = agent[idx]
    if len(idx) == 0:
        empty_f = np.array([], dtype=np.float64)
        empty_i = np.array([], dtype=np.int64)
        return AgentMonthStats(
            np.array([], dtype=str),
            np.array([], dtype="datetime64[M]"),
            empty_i,
            empty_i,
            empty_f,
            empty_f,
            empty_f,
            empty_f,
            empty_f,
            empty_i,
            empty_f,
            empty_i,
        )
    agents_u, agent_code = np.unique(names, return_inverse=True)
    month_code = months.astype(np.int64)
    key = agent_code.astype(np.int64) * (1 << 32) + (month_code - month_code.min())
    keys_u, group = np.unique(key, return_inverse=True)
    n = len(keys_u)
    first = np.zeros(n, dtype=np.int64)
    first[group[::-1]] = np.arange(len(group))[::-1]  # an element of each group
    calls = np.bincount(group, minlength=n)
    sub = lambda a: None if a is None else np.asarray(a)[idx]  # noqa: E731
    aht, handle_known = _mean(group, n, sub(handle_seconds))
    talk, _ = _mean(group, n, sub(talk_seconds))
    hold, _ = _mean(group, n, sub(hold_seconds))
    acw, _ = _mean(group, n, sub(acw_seconds))
    h = np.asarray(handle_seconds, dtype=np.float64)[idx]
    busy = np.bincount(group, weights=np.nan_to_num(h), minlength=n)
    tr = sub(transferred)
    transfers = (
        np.bincount(group, weights=tr.astype(np.float64), minlength=n).astype(np.int64)
        if tr is not None
        else np.zeros(n, dtype=np.int64)
    )
    days = start[idx].astype("datetime64[D]").astype(np.int64)
    day_key = group.astype(np.int64) * (1 << 32) + (days - days.min())
    day_groups = np.unique(day_key) >> 32
    days_with_calls = np.bincount(day_groups, minlength=n)
    return AgentMonthStats(
        agent=agents_u[agent_code[first]],
        month=months[first],
        calls_handled=calls,
        handle_known=handle_known,
        aht_seconds=aht,
        talk_seconds=talk,
        hold_seconds=hold,
        acw_seconds=acw,
        handle_total_seconds=busy,
        transfers=transfers,
        transfer_rate=transfers / np.maximum(calls, 1),
        days_with_calls=days_with_calls,
    )
