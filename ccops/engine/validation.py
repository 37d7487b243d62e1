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

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ccops.engine.io.calls import ABANDONED, ANSWERED, CallRecords
from ccops.engine.queueing import performance
from ccops.engine.simulate import (
    PatienceDistribution,
    ServiceDistribution,
    fit_lognormal_service,
    fit_patience,
    simulate,
)

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
class SimulatedQueue:
    """One queue of the validation's simulation: a service type and a priority class."""

    name: str  # e.g. "PS high"
    share: float  # share of the type's calls in this class
    patience: PatienceDistribution
    own_patience: bool  # False: too few abandonments, the fold's pooled patience


@dataclass(frozen=True)
class SimulationFold:
    """Distributions a simulation fold used, and the months they came from."""

    scored_months: tuple[str, ...]
    fitted_months: tuple[str, ...]
    service: ServiceDistribution
    patience: PatienceDistribution  # all queued calls pooled (the fallback)
    priority_share: float  # share of queued calls in the priority class
    priority_advance_seconds: float
    queues: tuple[SimulatedQueue, ...] = ()


@dataclass(frozen=True)
class StaffingValidation:
    """Result of :func:`validate_staffing`."""

    intervals: pd.DataFrame  # one row per compared interval, actual and predicted figures
    patience_seconds: float
    errors: tuple[ModelError, ...]
    answer_within_seconds: float
    interval_minutes: int
    min_calls: int
    simulation_folds: tuple[SimulationFold, ...] = ()
    replications: int = 0

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
    every_interval: bool = False,
) -> pd.DataFrame:
    """Observed figures per interval (all queues pooled: one agent pool).

    Returns a DataFrame with ``interval_start, calls, answered, abandoned,
    aht_seconds, agents, service_level, abandon_rate`` for every interval with
    at least one offered call (on the given weekdays, Monday = 0), or with
    ``every_interval`` for every interval from the first to the last offered
    call, on every day (the timeline a simulation runs on; shares are NaN
    where no call was offered).
    """
    if interval_minutes <= 0 or 1440 % interval_minutes:
        raise ValueError(f"interval_minutes must divide a day; got {interval_minutes!r}")
    step = interval_minutes * 60
    offered = (records.outcome == ANSWERED) | (records.outcome == ABANDONED)
    arrival = records.arrival.astype("datetime64[s]").astype(np.int64)
    slot_of_call = arrival // step
    slots, inverse = np.unique(slot_of_call[offered], return_inverse=True)
    if every_interval:
        inverse = slots[inverse] - slots[0]
        slots = np.arange(slots[0], slots[-1] + 1)
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
        shares = 1.0 / np.where(calls > 0, calls, np.nan)
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
            "service_level": count(within) * shares,
            "abandon_rate": count(outcome == ABANDONED) * shares,
        }
    )
    if weekdays is not None and not every_interval:
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


#: Anonymous Bank moved its priority customers 1.5 minutes ahead in the queue (data README).
PRIORITY_ADVANCE_SECONDS = 90.0


def after_call_gaps(records: CallRecords, *, interval_minutes: int):
    """Every gap between an agent's call and their next one in the same interval, with the
    number of offered calls waiting in the queue when the call ended."""
    offered = (records.outcome == ANSWERED) | (records.outcome == ABANDONED)
    arrival = records.arrival.astype("datetime64[s]").astype(np.int64).astype(float)
    wait = np.nan_to_num(records.wait_seconds, nan=0.0)
    queued = offered & (wait > 0)
    joins = np.sort(arrival[queued])
    leaves = np.sort(arrival[queued] + wait[queued])
    served = (
        (records.outcome == ANSWERED) & (records.agent != "") & np.isfinite(records.handle_seconds)
    )
    agent = pd.factorize(records.agent[served])[0]
    start = records.service_start[served].astype("datetime64[s]").astype(np.int64).astype(float)
    end = start + records.handle_seconds[served]
    order = np.lexsort((start, agent))
    agent, start, end = agent[order], start[order], end[order]
    same = agent[1:] == agent[:-1]
    gap = start[1:] - end[:-1]
    probe = end[:-1] + 0.5
    waiting = np.searchsorted(joins, probe, side="right") - np.searchsorted(
        leaves, probe, side="right"
    )
    step = interval_minutes * 60
    same_slot = (end[:-1] // step) == (start[1:] // step)
    keep = same & (gap >= 0) & same_slot
    return gap[keep], waiting[keep]


def after_call_seconds(records: CallRecords, *, interval_minutes: int) -> np.ndarray:
    """Seconds each agent stayed off the phone after a call while callers were waiting.

    For every service with a known handle time, the gap until the same agent's
    next service start, kept when at least one offered call was waiting in the
    queue at the moment the service ended (so the agent would have been handed
    one at once had they been ready) and the next service starts in the same
    interval. A gap across an interval boundary is already in the presence
    estimate of the agents (an agent counts from their first to their last
    service in each interval), so counting it here too would take the same
    absence twice. The records have no wrap-up times; this is their trace.
    """
    gap, waiting = after_call_gaps(records, interval_minutes=interval_minutes)
    return gap[waiting > 0]


#: Bands of callers waiting for :func:`after_call_by_waiting`: 1, 2, 3-4, 5-8, 9 or more.
WAITING_BANDS = (1, 2, 3, 5, 9)


def after_call_by_waiting(records: CallRecords, *, interval_minutes: int) -> dict:
    """The gaps of :func:`after_call_seconds` by the number of callers waiting when the
    call ended (bands :data:`WAITING_BANDS`): on Anonymous Bank the gap shrinks as the
    queue grows (mean 63 s with one caller waiting, 27 s with nine or more). A band with
    no gap takes the gaps of all bands. Band 0 (nobody waiting when the call ends: the
    records cannot tell after-call work from idle time there) takes the gaps of all bands
    with a caller waiting, as :func:`after_call_seconds` gives every call."""
    gap, waiting = after_call_gaps(records, interval_minutes=interval_minutes)
    busy = waiting > 0
    edges = (*WAITING_BANDS[1:], np.iinfo(np.int64).max)
    out = {0: gap[busy]}
    for low, high in zip(WAITING_BANDS, edges, strict=True):
        band = gap[(waiting >= low) & (waiting < high)]
        out[low] = band if band.size else gap[busy]
    return out


def fit_simulation_inputs(
    records: CallRecords, *, interval_minutes: int
) -> tuple[ServiceDistribution, PatienceDistribution, float]:
    """Service shape (lognormal MLE) with the agents' after-call work
    (:func:`after_call_seconds`), patience (Kaplan-Meier with censoring) and the
    share of priority calls (priority 2 among the calls that queued: the records show
    priority 0 for most calls that did not queue), from per-call records."""
    offered = (records.outcome == ANSWERED) | (records.outcome == ABANDONED)
    handle = records.handle_seconds[records.outcome == ANSWERED]
    handle = handle[np.isfinite(handle) & (handle > 0)]
    wait = records.wait_seconds[offered]
    known = np.isfinite(wait)
    patience = fit_patience(wait[known], (records.outcome[offered] == ABANDONED)[known])
    queued = offered & (records.wait_seconds > 0)
    share = float(np.mean(records.priority[queued] == 2)) if queued.any() else 0.0
    service = fit_lognormal_service(handle).with_after_call(
        after_call_seconds(records, interval_minutes=interval_minutes)
    )
    return service, patience, share


def _month_folds(months: np.ndarray) -> list[np.ndarray]:
    """Two folds of calendar months, alternating (Jan, Mar, ... / Feb, Apr, ...)."""
    distinct = np.unique(months)
    return [distinct[0::2], distinct[1::2]] if distinct.size > 1 else [distinct]


#: A queue's own Kaplan-Meier patience needs at least this many abandonments in the
#: fitted months; below it the queue takes the patience of all queued calls.
MIN_ABANDONMENTS_FOR_OWN_PATIENCE = 30

_CLASS_NAMES = ("regular", "high")


def simulation_queues(
    records: CallRecords, *, pooled: PatienceDistribution
) -> tuple[list[tuple[str, int]], tuple[SimulatedQueue, ...]]:
    """The queues of the validation's simulation, from the records of the fitted months.

    One queue per service type and priority class (regular: priority 0 or 1; high:
    priority 2, moved ahead): patience differs between them (on Anonymous Bank the
    regular callers of type NW hang up far sooner than the priority callers of PS), and
    one Kaplan-Meier estimate over all callers is biased when the classes that wait
    longer are also the less patient ones (the censoring then depends on the class).
    Each class gets the Kaplan-Meier estimate of its own queued calls (the priority of
    calls that did not queue is unreliable in these records) and its share of the
    type's queued calls. Returns ``[(type, class)]`` and the queues.
    """
    offered = (records.outcome == ANSWERED) | (records.outcome == ABANDONED)
    queued = offered & np.isfinite(records.wait_seconds) & (records.wait_seconds > 0)
    high = records.priority == 2
    keys: list[tuple[str, int]] = []
    queues: list[SimulatedQueue] = []
    for name in sorted(set(records.queue[offered].tolist())):
        of_type = queued & (records.queue == name)
        share = float(np.mean(high[of_type])) if of_type.any() else 0.0
        for c, frac in enumerate((1.0 - share, share)):
            if frac <= 0.0:
                continue
            mask = of_type & (high if c else ~high)
            abandons = int(np.sum(records.outcome[mask] == ABANDONED))
            own = abandons >= MIN_ABANDONMENTS_FOR_OWN_PATIENCE
            patience = (
                fit_patience(records.wait_seconds[mask], records.outcome[mask] == ABANDONED)
                if own
                else pooled
            )
            keys.append((name, c))
            queues.append(SimulatedQueue(f"{name} {_CLASS_NAMES[c]}", frac, patience, own))
    return keys, tuple(queues)


def _per_type_timeline(records: CallRecords, starts: np.ndarray, interval_minutes: int):
    """Offered calls and mean known handle time per service type on the timeline."""
    step = interval_minutes * 60
    first = int(starts[0].astype("datetime64[s]").astype(np.int64)) // step
    size = starts.size
    offered = (records.outcome == ANSWERED) | (records.outcome == ABANDONED)
    slot = records.arrival.astype("datetime64[s]").astype(np.int64) // step - first
    inside = offered & (slot >= 0) & (slot < size)
    calls: dict[str, np.ndarray] = {}
    aht: dict[str, np.ndarray] = {}
    for name in sorted(set(records.queue[inside].tolist())):
        mask = inside & (records.queue == name)
        calls[name] = np.bincount(slot[mask], minlength=size).astype(float)
        known = mask & (records.outcome == ANSWERED) & np.isfinite(records.handle_seconds)
        total = np.bincount(slot[known], weights=records.handle_seconds[known], minlength=size)
        n = np.bincount(slot[known], minlength=size)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(n > 0, total / n, np.nan)
        aht[name] = pd.Series(mean).ffill().bfill().to_numpy(dtype=float)
    return calls, aht


AFTER_CALL_MODELS = ("by_waiting", "pooled")


def _simulate_timeline(
    records: CallRecords,
    *,
    interval_minutes: int,
    answer_within_seconds: float,
    replications: int,
    seed: int,
    after_call: str = "by_waiting",
) -> tuple[pd.DataFrame, tuple[SimulationFold, ...]]:
    """Simulated service level and abandonment of every interval of the records' timeline.

    The timeline runs from the first to the last offered call, every interval, so
    the queue carries over from one interval into the next. Each interval gets its
    actual offered calls per service type (at random times within it), its actual
    mean handle time per type (the handle times of each type's calls in the interval
    are drawn from the fitted shape and scaled to exactly that mean: ``exact_aht``)
    and the presence estimate of its agents, one pool serving every type. Each type
    is split into a regular and a high-priority queue (:func:`simulation_queues`)
    with its own patience. Months are split into two folds; the intervals of one
    fold are simulated with the service shape, after-call work, class shares and
    patience estimated from the calls of the *other* fold's months.
    """
    timeline = interval_actuals(
        records,
        interval_minutes=interval_minutes,
        answer_within_seconds=answer_within_seconds,
        every_interval=True,
    )
    starts = timeline["interval_start"].to_numpy()
    total_calls = timeline["calls"].to_numpy(dtype=float)
    agents = timeline["agents_presence"].to_numpy(dtype=float)
    type_calls, type_aht = _per_type_timeline(records, starts, interval_minutes)
    slot_month = starts.astype("datetime64[M]")
    call_month = records.arrival.astype("datetime64[M]")
    out_sl = np.full(total_calls.size, np.nan)
    out_ab = np.full(total_calls.size, np.nan)
    spread_sl = np.full(total_calls.size, np.nan)
    spread_ab = np.full(total_calls.size, np.nan)
    folds = []
    groups = _month_folds(slot_month[total_calls > 0])
    if len(groups) < 2:
        raise ValueError(
            "records: the simulation needs calls of at least two months (its distributions "
            "come from other months than the ones scored); validate without the simulation"
        )
    for k, scored in enumerate(groups):
        fitted = np.concatenate([g for j, g in enumerate(groups) if j != k])
        fit_records = records.select(np.isin(call_month, fitted))
        service, patience, share = fit_simulation_inputs(
            fit_records, interval_minutes=interval_minutes
        )
        if after_call == "by_waiting":
            service = ServiceDistribution.lognormal(service.sigma).with_after_call_by_waiting(
                after_call_by_waiting(fit_records, interval_minutes=interval_minutes)
            )
        keys, queues = simulation_queues(fit_records, pooled=patience)
        # A type with no queued call in the fitted months gets one regular queue.
        for name in type_calls:
            if not any(key[0] == name for key in keys):
                keys.append((name, 0))
                queues = (*queues, SimulatedQueue(f"{name} regular", 1.0, patience, False))
        calls = np.array(
            [type_calls[name] * q.share for (name, _), q in zip(keys, queues, strict=True)]
        )
        aht = np.array([type_aht[name] for name, _ in keys])
        result = simulate(
            calls,
            aht,
            agents,
            interval_minutes,
            answer_within_seconds=answer_within_seconds,
            service=service,
            patience=[q.patience for q in queues],
            skills=np.ones((len(keys), 1), dtype=bool),
            priority_shares=[[1.0, 0.0] if c == 0 else [0.0, 1.0] for _, c in keys],
            priority_advance_seconds=[0.0, PRIORITY_ADVANCE_SECONDS],
            arrivals="fixed",
            exact_aht=True,
            replications=replications,
            seed=seed + k,
        )
        offered = result.offered.sum(axis=1).astype(float)  # (replications, intervals)
        with np.errstate(invalid="ignore", divide="ignore"):
            sl = result.answered_within.sum(axis=1) / offered
            ab = result.abandoned.sum(axis=1) / offered
        sel = np.isin(slot_month, scored)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # intervals without calls
            out_sl[sel] = np.nanmean(sl, axis=0)[sel]
            out_ab[sel] = np.nanmean(ab, axis=0)[sel]
            # How far one run lands from the mean of the runs: what a prediction of the
            # mean would miss by on average if the model were exactly right.
            unbiased = np.sqrt(replications / (replications - 1)) if replications > 1 else np.nan
            spread_sl[sel] = (np.nanmean(np.abs(sl - np.nanmean(sl, axis=0)), axis=0) * unbiased)[
                sel
            ]
            spread_ab[sel] = (np.nanmean(np.abs(ab - np.nanmean(ab, axis=0)), axis=0) * unbiased)[
                sel
            ]
        folds.append(
            SimulationFold(
                scored_months=tuple(str(m) for m in scored),
                fitted_months=tuple(str(m) for m in fitted),
                service=service,
                patience=patience,
                priority_share=share,
                priority_advance_seconds=PRIORITY_ADVANCE_SECONDS,
                queues=tuple(queues),
            )
        )
    frame = pd.DataFrame(
        {
            "interval_start": timeline["interval_start"],
            "simulation_presence_service_level": out_sl,
            "simulation_presence_abandon_rate": out_ab,
            "simulation_run_spread_service_level": spread_sl,
            "simulation_run_spread_abandon_rate": spread_ab,
        }
    )
    return frame, tuple(folds)


def validate_staffing(
    records: CallRecords,
    *,
    interval_minutes: int = 30,
    answer_within_seconds: float = 20.0,
    min_calls: int = 30,
    weekdays: tuple[int, ...] | None = SUNDAY_TO_THURSDAY,
    simulation: bool = True,
    replications: int = 10,
    seed: int = 0,
    after_call: str = "by_waiting",
) -> StaffingValidation:
    """Predicted versus actual service level and abandonment: Erlang C, Erlang A and,
    with ``simulation``, the simulation (presence agents; see :func:`_simulate_timeline`
    for what it is given and which months its distributions come from).

    Intervals with fewer than ``min_calls`` offered calls, no serving agent or
    no known handle time are left out. ``after_call``: ``"by_waiting"`` (the
    simulation draws each call's after-call work from the band of callers then
    waiting, :func:`after_call_by_waiting`) or ``"pooled"`` (one distribution,
    :func:`after_call_seconds`).
    """
    if after_call not in AFTER_CALL_MODELS:
        raise ValueError(f"after_call must be one of {AFTER_CALL_MODELS}; got {after_call!r}")
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
    folds: tuple[SimulationFold, ...] = ()
    if simulation:
        simulated, folds = _simulate_timeline(
            records,
            interval_minutes=interval_minutes,
            answer_within_seconds=answer_within_seconds,
            replications=replications,
            seed=seed,
            after_call=after_call,
        )
        frame = frame.merge(simulated, on="interval_start", how="left")
        sl_err = frame["simulation_presence_service_level"].to_numpy() - frame["service_level"]
        ab_err = frame["simulation_presence_abandon_rate"].to_numpy() - frame["abandon_rate"]
        errors.insert(
            2,
            ModelError(
                model="Simulation",
                agents="presence",
                service_level_mae=float(np.abs(sl_err).mean()),
                service_level_bias=float(sl_err.mean()),
                abandon_mae=float(np.abs(ab_err).mean()),
                abandon_bias=float(ab_err.mean()),
            ),
        )
    return StaffingValidation(
        intervals=frame,
        patience_seconds=patience,
        errors=tuple(errors),
        answer_within_seconds=answer_within_seconds,
        interval_minutes=interval_minutes,
        min_calls=min_calls,
        simulation_folds=folds,
        replications=replications if simulation else 0,
    )
