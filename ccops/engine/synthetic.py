"""A synthetic but realistic inbound call center: per-call records and interval history.

``generate_center`` draws a seeded, deterministic center of several queues and
simulates every call, so the demo, the tests and the benchmarks have data with
the structure of real ACD exports: closed hours, weekly and intraday
seasonality, special days from a calendar, queueing delays and abandonment
that respond to staffing.

Model and where its parameters come from
----------------------------------------
* **Arrivals** are a non-homogeneous Poisson process, piecewise constant per
  interval (exact: Poisson counts per interval, uniform times within it). The
  rate is daily volume × day-of-week factor × intraday share. Brown et al.
  (2005) find Poisson arrivals with a time-varying rate, and day-to-day
  variation larger than Poisson; that is modelled by a gamma-distributed daily
  level with a coefficient of variation of 8 %. [1]_
* **Intraday profile**: a weekday double peak (late morning, about 10:00–11:00,
  and a lower early-afternoon peak after a lunch dip), as in the Anonymous
  Bank data (README: peak at 10:00–10:30, dip at 12:30, plateau 13:30–16:30)
  and in Gans, Koole & Mandelbaum (2003, fig. 2). [1]_ [2]_ Weekdays are open
  08:00–20:00, Saturday 09:00–17:00 at about 45 % of a weekday, Sunday
  10:00–16:00 at about 20 %; Monday is the busiest day. [2]_
* **Special days** (also written to the calendar): monthly billing periods
  (the four days after the bill date, volume up to 60 % higher depending on the queue), public
  holidays (Sunday hours, about 20 % of volume), a marketing campaign week, an
  emergency day (volume × 1.6) and an outage (the ACD recorded nothing for
  three hours).
* **Handle times** are lognormal, as Brown et al. (2005) show for the
  Anonymous Bank (log service time close to normal; mean about 3 minutes,
  mean/median about 1.6, i.e. σ of the log about 0.9). [1]_ Queue means are
  4–7 minutes, slightly longer in the middle of the day.
* **Patience** is exponential with a queue-specific mean of 2.5–7 minutes:
  Brown et al. (2005) and Gans et al. (2003) describe roughly exponential
  patience, and abandonment of a few percent to about 10 % in well-run
  centers. [1]_ [2]_
* **Staffing** follows the load by square-root staffing,
  N = ⌈R + β√R⌉ with R = λ·AHT the offered load (Halfin & Whitt 1981; Gans et
  al. 2003, sec. 4.1), with β = 0.7 and random daily and interval shortfalls
  (absence, breaks), which gives service levels around the usual 80/20 target
  with visible misses. [2]_ [3]_
* **Queue**: each queue is a multi-server FIFO queue with abandonment
  (G/G/N+M). Calls are taken in arrival order; a call starts when the first
  agent is free, unless that is later than its patience allows, in which case
  it abandons after its patience. This virtual-waiting-time recursion is exact
  for FIFO service.

References
----------
.. [1] L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn,
   L. Zhao, "Statistical Analysis of a Telephone Call Center: A
   Queueing-Science Perspective", JASA 100 (2005) 36–50.
.. [2] N. Gans, G. Koole, A. Mandelbaum, "Telephone Call Centers: Tutorial,
   Review, and Research Prospects", M&SOM 5(2) (2003) 79–141.
.. [3] S. Halfin, W. Whitt, "Heavy-Traffic Limits for Queues with Many
   Exponential Servers", Operations Research 29 (1981) 567–588.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ccops.engine.io.calendar import CALENDAR_KINDS, build_calendar, calendar_to_csv_text
from ccops.engine.io.calls import ABANDONED, ANSWERED, OUTCOME_NAMES, CallRecords
from ccops.engine.io.history import aggregate_calls, atomic_write_text, check_interval_minutes


@dataclass(frozen=True)
class QueueSpec:
    """One synthetic queue (service line)."""

    name: str
    weekday_calls: float  # mean calls offered on a Monday–Friday
    aht_seconds: float  # mean handle time
    handle_sigma: float  # σ of log handle time
    patience_seconds: float  # mean of the exponential patience
    billing_uplift: float  # volume factor in billing periods
    campaign_uplift: float  # volume factor in the campaign week


QUEUE_TEMPLATES = (
    QueueSpec("General", 2400, 240, 0.90, 300, 1.15, 1.05),
    QueueSpec("Billing", 1100, 300, 0.85, 240, 1.60, 1.00),
    QueueSpec("Technical", 650, 420, 0.95, 360, 1.05, 1.10),
    QueueSpec("Sales", 380, 330, 0.80, 180, 1.00, 1.45),
    QueueSpec("Premium", 160, 270, 0.85, 420, 1.10, 1.00),
    QueueSpec("English", 120, 300, 0.90, 300, 1.10, 1.00),
    QueueSpec("Business", 240, 360, 0.90, 300, 1.20, 1.05),
    QueueSpec("Collections", 200, 390, 0.85, 150, 1.30, 1.00),
)
DAY_FACTORS = (1.15, 1.05, 1.00, 0.98, 0.92, 0.45, 0.20)  # Monday .. Sunday
OPEN_HOURS = ((8, 20),) * 5 + ((9, 17), (10, 16))
FIRST_NAMES = (
    "Ana",
    "Ben",
    "Chen",
    "Dana",
    "Eli",
    "Fatima",
    "Gao",
    "Hana",
    "Ivan",
    "Jin",
    "Kofi",
    "Lea",
    "Mei",
    "Noor",
    "Omar",
    "Priya",
    "Quan",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Vik",
    "Wen",
    "Xin",
    "Yusuf",
    "Zoe",
    "Amir",
    "Bea",
    "Carlos",
    "Dmitri",
    "Emma",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Luis",
    "Maya",
    "Nils",
    "Olga",
    "Pablo",
    "Rui",
    "Sara",
    "Tom",
    "Yan",
)
SQRT_STAFFING_BETA = 0.7


@dataclass(frozen=True)
class Agent:
    """A synthetic agent, assigned to one queue."""

    agent_id: str
    name: str
    queue: str


@dataclass(frozen=True)
class SyntheticCenter:
    """Everything ``generate_center`` makes.

    Attributes
    ----------
    calls : CallRecords
        Every call, sorted by arrival (agent ids in ``agent``).
    history : pandas.DataFrame
        Interval history (:data:`ccops.engine.io.history.HISTORY_COLUMNS`).
    calendar : pandas.DataFrame
        Special days, columns ``date,kind,name``.
    queues : tuple of QueueSpec
    agents : tuple of Agent
    staffing : pandas.DataFrame
        Agents on duty per ``interval_start`` and ``queue`` (column ``agents``).
    volume_scale : float
        The factor on every queue's daily volume (``weekday_calls`` of ``queues`` is unscaled).
    holidays : str
        The holiday set of the calendar.
    """

    calls: CallRecords
    history: pd.DataFrame
    calendar: pd.DataFrame
    queues: tuple[QueueSpec, ...]
    agents: tuple[Agent, ...]
    staffing: pd.DataFrame
    interval_minutes: int
    target_seconds: float
    start: dt.date
    weeks: int
    seed: int
    volume_scale: float = 1.0
    holidays: str = "western"


def intraday_profile(weekday: int, interval_minutes: int) -> np.ndarray:
    """Share of a day's calls per interval (sums to 1; 0 outside opening hours).

    Weekdays have a late-morning peak and a lower early-afternoon peak after a
    lunch dip; weekends a single broad hump.
    """
    per_day = 1440 // interval_minutes
    mid = (np.arange(per_day) + 0.5) * interval_minutes / 60.0  # hour at the interval middle
    open_h, close_h = OPEN_HOURS[weekday]
    if weekday < 5:
        shape = (
            1.00 * np.exp(-0.5 * ((mid - 10.5) / 1.3) ** 2)
            + 0.80 * np.exp(-0.5 * ((mid - 14.5) / 1.6) ** 2)
            + 0.25 * np.exp(-0.5 * ((mid - 18.5) / 1.5) ** 2)
        )
    else:
        centre = (open_h + close_h) / 2
        shape = np.exp(-0.5 * ((mid - centre) / ((close_h - open_h) / 3.5)) ** 2)
    shape = np.where((mid > open_h) & (mid < close_h), shape, 0.0)
    return shape / shape.sum()


def _simulate_queue(arrival_s, handle, patience, staff, interval_s, agent_pool):
    """FIFO multi-server queue with abandonment and staffing per interval.

    Returns wait seconds, answered flag and the index of the serving agent (-1).
    """
    n = len(arrival_s)
    wait = np.empty(n)
    answered = np.zeros(n, dtype=bool)
    who = np.full(n, -1, dtype=np.int64)
    free: list[tuple[float, int]] = []  # (free from, agent) of the agents on duty
    off: list[tuple[float, int]] = [(0.0, j) for j in range(agent_pool)]  # off duty
    current = -1
    for i in range(n):
        a = arrival_s[i]
        k = int(a // interval_s)
        if k != current:
            want = int(staff[k]) if k < len(staff) else 0
            boundary = k * interval_s
            while len(free) > want:  # the first free agents log off; a busy one ends the call
                heapq.heappush(off, heapq.heappop(free))
            while len(free) < want and off:
                t, agent = heapq.heappop(off)
                heapq.heappush(free, (max(t, boundary), agent))
            current = k
        if not free:
            wait[i] = patience[i]
            continue
        start = free[0][0] if free[0][0] > a else a
        if start - a > patience[i]:
            wait[i] = patience[i]
            continue
        _, agent = heapq.heapreplace(free, (start + handle[i], free[0][1]))
        wait[i] = start - a
        answered[i] = True
        who[i] = agent
    return wait, answered, who


def generate_center(
    *,
    weeks: int = 26,
    queues: int = 4,
    seed: int = 1,
    start: dt.date | str = dt.date(2026, 1, 5),
    interval_minutes: int = 30,
    target_seconds: float = 20.0,
    volume_scale: float = 1.0,
    holidays: str = "western",
) -> SyntheticCenter:
    """Generate a synthetic call center (see the module docstring for the model).

    Parameters
    ----------
    weeks : int
        Length of the history, 1 to 260 weeks.
    queues : int
        Number of queues, 1 to 8 (the largest first).
    seed : int
        Seed of the random generator: the same arguments give the same center.
    start : datetime.date or ISO date string
        First day of the history.
    interval_minutes : int
        Interval length of the history.
    target_seconds : float
        Service-level target T of ``answered_within_target``.
    volume_scale : float
        Factor on the daily call volume of every queue (``QUEUE_TEMPLATES``' weekday calls),
        greater than 0 and at most 100; staffing follows, so a smaller center keeps the same
        service. 1.0 (the default) gives the volumes of the templates.
    holidays : {"western", "china"}
        The public holidays of the calendar (see
        :func:`ccops.engine.io.calendar.build_calendar`): ``"western"`` (the default) or
        ``"china"`` (mainland China; outside the years of
        :data:`ccops.engine.io.calendar.CHINA_HOLIDAY_TABLE` only New Year, Labour Day and
        National Day).

    Returns
    -------
    SyntheticCenter
    """
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 260:
        raise ValueError(f"weeks must be a whole number from 1 to 260, got {weeks!r}")
    if isinstance(queues, bool) or not isinstance(queues, int) or not 1 <= queues <= 8:
        raise ValueError(f"queues must be a whole number from 1 to 8, got {queues!r}")
    interval_minutes = check_interval_minutes(interval_minutes)
    if target_seconds < 0:
        raise ValueError(f"target_seconds must not be negative, got {target_seconds!r}")
    if isinstance(start, str):
        try:
            start = dt.date.fromisoformat(start)
        except ValueError:
            raise ValueError(f"start must be an ISO date (YYYY-MM-DD), got {start!r}") from None
    if (
        isinstance(volume_scale, bool)
        or not isinstance(volume_scale, int | float)
        or not 0 < volume_scale <= 100
    ):
        raise ValueError(
            f"volume_scale must be a number greater than 0 and at most 100, got {volume_scale!r}"
        )
    rng = np.random.default_rng(seed)
    n_days = weeks * 7
    per_day = 1440 // interval_minutes
    interval_s = interval_minutes * 60
    calendar = build_calendar(start, n_days, rng, holidays=holidays)
    specs = QUEUE_TEMPLATES[:queues]

    day_dates = [start + dt.timedelta(days=d) for d in range(n_days)]
    kinds = {k: set(calendar.loc[calendar["kind"] == k, "date"]) for k in CALENDAR_KINDS}
    profiles = [intraday_profile(w, interval_minutes) for w in range(7)]
    mid_hour = (np.arange(per_day) + 0.5) * interval_minutes / 60
    aht_shape = 1.0 + 0.08 * np.exp(-0.5 * ((mid_hour - 12.5) / 2.5) ** 2)
    outage_mask = (mid_hour > 10) & (mid_hour < 13)

    first_day = np.datetime64(start, "s")
    parts, staffing_rows, agents = [], [], []
    agent_no = 0
    for spec in specs:
        day_level = rng.gamma(1 / 0.08**2, 0.08**2, n_days)  # mean 1, CV 8 %
        shares = np.zeros((n_days, per_day))
        for d, day in enumerate(day_dates):
            weekday = 6 if day in kinds["holiday"] else day.weekday()
            factor = DAY_FACTORS[weekday] * day_level[d]
            if day in kinds["billing_period"]:
                factor *= spec.billing_uplift
            if day in kinds["campaign"]:
                factor *= spec.campaign_uplift
            if day in kinds["emergency"]:
                factor *= 1.6
            shares[d] = spec.weekday_calls * volume_scale * factor * profiles[weekday]
            if day in kinds["outage"]:
                shares[d][outage_mask] = 0.0
        counts = rng.poisson(shares.ravel())
        slot = np.repeat(np.arange(n_days * per_day), counts)
        arrival_s = np.floor(np.sort(slot * interval_s + rng.uniform(0, interval_s, len(slot))))
        slot = (arrival_s // interval_s).astype(np.int64)
        aht_slot = spec.aht_seconds * aht_shape[slot % per_day]
        mu = np.log(aht_slot) - spec.handle_sigma**2 / 2
        handle = np.round(np.exp(mu + spec.handle_sigma * rng.standard_normal(len(slot))))
        handle = np.maximum(handle, 5.0)
        patience = rng.exponential(spec.patience_seconds, len(slot))

        load = (
            shares.ravel()
            * spec.aht_seconds
            * aht_shape[np.arange(len(shares.ravel())) % per_day]
            / interval_s
        )
        staff = np.ceil(load + SQRT_STAFFING_BETA * np.sqrt(load))
        shortfall = np.repeat(rng.uniform(0.90, 1.05, n_days), per_day) * rng.uniform(
            0.88, 1.06, len(staff)
        )
        staff = np.where(load > 0, np.maximum(1, np.round(staff * shortfall)), 0).astype(int)
        pool = int(staff.max()) + 2
        wait, answered, who = _simulate_queue(arrival_s, handle, patience, staff, interval_s, pool)
        ids = np.array([f"A{agent_no + j + 1:03d}" for j in range(pool)], dtype=object)
        for j in range(pool):
            name = (
                f"{FIRST_NAMES[(agent_no + j) % len(FIRST_NAMES)]} "
                f"{chr(ord('A') + (agent_no + j) // len(FIRST_NAMES) % 26)}."
            )
            agents.append(Agent(str(ids[j]), name, spec.name))
        agent_no += pool
        arrival = first_day + np.floor(arrival_s).astype("timedelta64[s]")
        wait = np.round(wait)
        outcome = np.where(answered, ANSWERED, ABANDONED).astype(np.int8)
        service_start = np.full(len(slot), np.datetime64("NaT"), dtype="datetime64[s]")
        service_start[answered] = arrival[answered] + wait[answered].astype("timedelta64[s]")
        parts.append(
            CallRecords(
                arrival=arrival,
                queue=np.full(len(slot), spec.name, dtype=object),
                outcome=outcome,
                wait_seconds=wait,
                handle_seconds=np.where(answered, handle, np.nan),
                service_start=service_start,
                agent=np.where(answered, ids[np.maximum(who, 0)], ""),
                priority=np.zeros(len(slot), dtype=np.int8),
            )
        )
        staffing_rows.append(
            pd.DataFrame(
                {
                    "interval_start": pd.to_datetime(
                        first_day + (np.arange(len(staff)) * interval_s).astype("timedelta64[s]")
                    ),
                    "queue": spec.name,
                    "agents": staff,
                }
            )
        )
    calls = CallRecords.concat(parts)
    order = np.argsort(calls.arrival, kind="stable")
    calls = calls.select(order)
    days = np.array(day_dates, dtype="datetime64[D]")
    history = aggregate_calls(
        calls, interval_minutes=interval_minutes, target_seconds=target_seconds, days=days
    )
    staffing = (
        pd.concat(staffing_rows, ignore_index=True)
        .sort_values(["interval_start", "queue"], kind="stable")
        .reset_index(drop=True)
    )
    return SyntheticCenter(
        calls=calls,
        history=history,
        calendar=calendar,
        queues=tuple(specs),
        agents=tuple(agents),
        staffing=staffing,
        interval_minutes=interval_minutes,
        target_seconds=target_seconds,
        start=start,
        weeks=weeks,
        seed=seed,
        volume_scale=float(volume_scale),
        holidays=holidays,
    )


CALL_CSV_COLUMNS = (
    "call_id",
    "arrival",
    "queue",
    "outcome",
    "wait_seconds",
    "handle_seconds",
    "service_start",
    "agent",
    "priority",
)


def calls_to_frame(calls: CallRecords) -> pd.DataFrame:
    """Records in the ccops call CSV layout (:data:`CALL_CSV_COLUMNS`; preset ``ccops-calls``)."""
    return pd.DataFrame(
        {
            "call_id": np.arange(1, len(calls) + 1),
            "arrival": np.datetime_as_string(calls.arrival, unit="s"),
            "queue": calls.queue,
            "outcome": pd.Series(calls.outcome).map(OUTCOME_NAMES).to_numpy(),
            "wait_seconds": pd.array(np.round(calls.wait_seconds), dtype="Int64"),
            "handle_seconds": pd.array(np.round(calls.handle_seconds), dtype="Int64"),
            "service_start": np.where(
                np.isnat(calls.service_start),
                "",
                np.datetime_as_string(calls.service_start, unit="s"),
            ),
            "agent": calls.agent,
            "priority": calls.priority,
        }
    )


def write_center(center: SyntheticCenter, out_dir) -> dict[str, Path]:
    """Write ``calls.csv``, ``history.csv``, ``calendar.csv``, ``queues.csv``, ``agents.csv``
    and ``staffing.csv`` into ``out_dir`` (each file atomically). Returns the paths."""
    from ccops.engine.io.history import write_history_csv

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        name: out / f"{name}.csv"
        for name in ("calls", "history", "calendar", "queues", "agents", "staffing")
    }
    atomic_write_text(
        paths["calls"], calls_to_frame(center.calls).to_csv(index=False, lineterminator="\n")
    )
    write_history_csv(center.history, paths["history"])
    atomic_write_text(paths["calendar"], calendar_to_csv_text(center.calendar))
    atomic_write_text(
        paths["queues"],
        pd.DataFrame([q.__dict__ for q in center.queues]).to_csv(index=False, lineterminator="\n"),
    )
    atomic_write_text(
        paths["agents"],
        pd.DataFrame([a.__dict__ for a in center.agents]).to_csv(index=False, lineterminator="\n"),
    )
    staffing = center.staffing.assign(
        interval_start=center.staffing["interval_start"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    )
    atomic_write_text(paths["staffing"], staffing.to_csv(index=False, lineterminator="\n"))
    return paths
