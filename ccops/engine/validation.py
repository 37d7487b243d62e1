"""Check Erlang C and Erlang A against what a real call center actually did.

From per-call records, build intervals (calls offered to the agent queue, mean
handle time, agents actually serving, share answered within the target,
share abandoned), estimate the callers' mean patience, then predict each
interval's service level and abandonment with both models from its calls,
handle time and agents, and measure the errors.

Agents actually serving
-----------------------
The records say which agent served each call and when, not who was logged in,
so staffing is estimated from service activity, two ways:

* ``agents`` (*distinct*): the agents with a call in service during the
  interval (service start to end overlaps it). An agent who served for five
  minutes of the half-hour counts in full, so this over-states staffing.
* ``agents_presence`` (*presence*, the default estimate): each such agent
  counts for the share of the interval between the start of their first and
  the end of their last service in it, so an agent who logged in at half past
  counts one half. It misses idle time before an agent's first call and after
  their last one in the interval, so it slightly under-states staffing.

The models take the fractional presence as it is (the Erlang formulas are
continuous in the number of agents through the incomplete gamma function).

Patience
--------
With exponential patience, the maximum-likelihood mean patience from censored
waits is ``sum of the waits of all offered calls / number of abandonments``:
an abandoning caller's wait is an observed patience, an answered caller's wait
a lower bound on theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ccops.engine.io.calls import ABANDONED, ANSWERED, CallRecords
from ccops.engine.queueing import performance

SUNDAY_TO_THURSDAY = (6, 0, 1, 2, 3)  # Monday = 0


@dataclass(frozen=True)
class ModelError:
    """Errors of one model over the intervals compared (predicted minus actual)."""

    model: str
    agents: str  # which estimate of the agents serving: "presence" or "distinct"
    service_level_mae: float
    service_level_bias: float
    abandon_mae: float
    abandon_bias: float


@dataclass(frozen=True)
class StaffingValidation:
    """Result of :func:`validate_staffing`."""

    intervals: pd.DataFrame  # one row per compared interval, actual and predicted figures
    patience_seconds: float
    errors: tuple[ModelError, ...]
    answer_within_seconds: float
    interval_minutes: int
    min_calls: int

    def table(self) -> str:
        """The comparison as a Markdown table."""
        lines = [
            "| model | agents | SL MAE | SL bias | abandonment MAE | abandonment bias |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
        ]
        for e in self.errors:
            lines.append(
                f"| {e.model} | {e.agents} | {e.service_level_mae:.3f} "
                f"| {e.service_level_bias:+.3f} | {e.abandon_mae:.3f} | {e.abandon_bias:+.3f} |"
            )
        return "\n".join(lines)


def interval_actuals(
    records: CallRecords,
    *,
    interval_minutes: int = 30,
    answer_within_seconds: float = 20.0,
    weekdays: tuple[int, ...] | None = SUNDAY_TO_THURSDAY,
) -> pd.DataFrame:
    """Observed figures per interval (all queues pooled: one agent pool).

    Returns a DataFrame with ``interval_start, calls, answered, abandoned,
    aht_seconds, agents, service_level, abandon_rate`` for every interval with
    at least one offered call (on the given weekdays, Monday = 0).
    """
    if interval_minutes <= 0 or 1440 % interval_minutes:
        raise ValueError(f"interval_minutes must divide a day; got {interval_minutes!r}")
    step = interval_minutes * 60
    offered = (records.outcome == ANSWERED) | (records.outcome == ABANDONED)
    arrival = records.arrival.astype("datetime64[s]").astype(np.int64)
    slot_of_call = arrival // step
    slots, inverse = np.unique(slot_of_call[offered], return_inverse=True)
    size = slots.size

    def count(mask_offered):
        return np.bincount(inverse[mask_offered], minlength=size)

    outcome = records.outcome[offered]
    wait = records.wait_seconds[offered]
    handle = records.handle_seconds[offered]
    answered = outcome == ANSWERED
    within = answered & (wait <= answer_within_seconds)
    known = answered & np.isfinite(handle)
    handle_sum = np.bincount(inverse[known], weights=handle[known], minlength=size)
    handle_n = count(known)

    # Agents with a call in service during the interval.
    serving = (records.outcome == ANSWERED) & (records.agent != "")
    start = records.service_start[serving].astype(np.int64)
    end = start + np.nan_to_num(records.handle_seconds[serving], nan=0.0).astype(np.int64)
    first, last = start // step, np.maximum(end - 1, start) // step
    span = (last - first + 1).astype(np.int64)
    pair_slot = np.repeat(first, span) + (
        np.arange(span.sum()) - np.repeat(np.cumsum(span) - span, span)
    )
    agent_codes = pd.factorize(records.agent[serving])[0]
    pair_agent = np.repeat(agent_codes, span)
    piece_start = np.maximum(np.repeat(start, span), pair_slot * step)
    piece_end = np.minimum(np.repeat(end, span), (pair_slot + 1) * step)
    pieces = pd.DataFrame(
        {"slot": pair_slot, "agent": pair_agent, "start": piece_start, "end": piece_end}
    )
    per_agent = pieces.groupby(["slot", "agent"], sort=False).agg(
        start=("start", "min"), end=("end", "max")
    )
    per_slot = (
        per_agent.assign(presence=(per_agent["end"] - per_agent["start"]) / step)
        .groupby(level="slot")
        .agg(agents=("presence", "size"), presence=("presence", "sum"))
    )
    pos = np.searchsorted(slots, per_slot.index.to_numpy())
    inside = (pos < size) & (slots[np.minimum(pos, size - 1)] == per_slot.index.to_numpy())
    agents = np.zeros(size, dtype=np.int64)
    presence = np.zeros(size)
    agents[pos[inside]] = per_slot["agents"].to_numpy()[inside]
    presence[pos[inside]] = per_slot["presence"].to_numpy()[inside]

    calls = count(np.ones(outcome.size, dtype=bool))
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(handle_n > 0, handle_sum / handle_n, np.nan)
    starts = (slots * step).astype("datetime64[s]")
    frame = pd.DataFrame(
        {
            "interval_start": starts,
            "calls": calls,
            "answered": count(answered),
            "abandoned": count(outcome == ABANDONED),
            "aht_seconds": aht,
            "agents": agents,
            "agents_presence": presence,
            "service_level": count(within) / calls,
            "abandon_rate": count(outcome == ABANDONED) / calls,
        }
    )
    if weekdays is not None:
        day = starts.astype("datetime64[D]").astype(np.int64)
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
        frame = frame[np.isin(weekday, weekdays)].reset_index(drop=True)
    return frame


def mean_patience_seconds(records: CallRecords) -> float:
    """Maximum-likelihood mean of exponential patience: total wait / abandonments."""
    offered = (records.outcome == ANSWERED) | (records.outcome == ABANDONED)
    abandoned = int((records.outcome == ABANDONED).sum())
    if abandoned == 0:
        raise ValueError("records: no abandoned calls, so patience cannot be estimated")
    return float(np.nansum(records.wait_seconds[offered]) / abandoned)


def validate_staffing(
    records: CallRecords,
    *,
    interval_minutes: int = 30,
    answer_within_seconds: float = 20.0,
    min_calls: int = 30,
    weekdays: tuple[int, ...] | None = SUNDAY_TO_THURSDAY,
) -> StaffingValidation:
    """Predicted versus actual service level and abandonment, Erlang C and Erlang A.

    Intervals with fewer than ``min_calls`` offered calls, no serving agent or
    no known handle time are left out.
    """
    actual = interval_actuals(
        records,
        interval_minutes=interval_minutes,
        answer_within_seconds=answer_within_seconds,
        weekdays=weekdays,
    )
    keep = (actual["calls"] >= min_calls) & (actual["agents"] > 0) & actual["aht_seconds"].notna()
    frame = actual[keep].reset_index(drop=True)
    if frame.empty:
        raise ValueError(f"no interval has at least {min_calls} calls and a serving agent")
    patience = mean_patience_seconds(records)
    errors = []
    for agents_column, agents_label in (("agents_presence", "presence"), ("agents", "distinct")):
        for model, label, kwargs in (
            ("erlang_c", "Erlang C", {}),
            ("erlang_a", "Erlang A", {"patience_seconds": patience}),
        ):
            p = performance(
                frame[agents_column].to_numpy(),
                frame["calls"].to_numpy(),
                frame["aht_seconds"].to_numpy(),
                interval_minutes * 60.0,
                answer_within_seconds=answer_within_seconds,
                model=model,
                **kwargs,
            )
            prefix = f"{model}_{agents_label}"
            frame[f"{prefix}_service_level"] = p.service_level
            frame[f"{prefix}_abandon_rate"] = p.abandon_rate
            sl_err = p.service_level - frame["service_level"].to_numpy()
            ab_err = p.abandon_rate - frame["abandon_rate"].to_numpy()
            errors.append(
                ModelError(
                    model=label,
                    agents=agents_label,
                    service_level_mae=float(np.abs(sl_err).mean()),
                    service_level_bias=float(sl_err.mean()),
                    abandon_mae=float(np.abs(ab_err).mean()),
                    abandon_bias=float(ab_err.mean()),
                )
            )
    return StaffingValidation(
        intervals=frame,
        patience_seconds=patience,
        errors=tuple(errors),
        answer_within_seconds=answer_within_seconds,
        interval_minutes=interval_minutes,
        min_calls=min_calls,
    )
