"""A staffing plan's simulation: its distributions for the engine, and the figures of the
simulation computed once per set of inputs.

A plan whose model is ``simulation`` names a service-time shape (exponential, or lognormal
with a coefficient of variation), a patience (exponential of ``patience_seconds``, empty:
callers never hang up; or ``kaplan_meier``: estimated with censoring from the waits of the
queue's imported call records of the last :data:`PATIENCE_FIT_DAYS` days, up to the latest
record), a number of runs and a seed. The simulation of a day takes from a
tenth of a second to seconds, so its figures are kept in :class:`SimulatedFigures` under
the SHA-256 of every input: the staffing of a plan's day is computed on the first request
and read afterwards; a schedule's projection is computed by the background task
``schedule_project`` (the schedule page shows "computing" until it is there) and read by
every page that shows the schedule's coverage.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.engine.schedule.projection import project_service_level
from ccops.engine.simulate import (
    PatienceDistribution,
    ServiceDistribution,
    fit_patience,
    required_agents_simulated,
)
from ccops.wfm.choices import CallOutcome, PatienceShape, QueueModel, ServiceShape
from ccops.wfm.models import CallRecord, SimulatedFigures

#: Confidence level of the intervals shown with simulated figures.
CONFIDENCE = 0.95


def plan_service(plan) -> ServiceDistribution:
    """The plan's service-time shape for the engine (mean 1; scaled by the AHT)."""
    if plan.service_shape == ServiceShape.LOGNORMAL and plan.service_cv is not None:
        return ServiceDistribution.lognormal_cv(float(plan.service_cv))
    return ServiceDistribution.exponential()


#: A Kaplan-Meier patience is fitted to the queue's call records of this many days, up to
#: the latest one.
PATIENCE_FIT_DAYS = 91


def fitted_patience(queue) -> tuple[PatienceDistribution | None, int]:
    """Kaplan-Meier patience (with its exponential tail) from the waits of the queue's
    current call records of the last :data:`PATIENCE_FIT_DAYS` days: an abandoned call's
    wait is its caller's patience, an answered call's wait a lower bound on it. Returns
    the distribution (``None`` without an abandoned call) and the number of records."""
    records = CallRecord.objects.filter(
        queue=queue,
        wait_seconds__isnull=False,
        outcome__in=(CallOutcome.ANSWERED, CallOutcome.ABANDONED),
    )
    latest = records.order_by("-started_at").values_list("started_at", flat=True).first()
    if latest is None:
        return None, 0
    rows = list(
        records.filter(started_at__gt=latest - timedelta(days=PATIENCE_FIT_DAYS)).values_list(
            "wait_seconds", "outcome"
        )
    )
    wait = np.array([max(float(w), 0.0) for w, _ in rows])
    abandoned = np.array([o == CallOutcome.ABANDONED for _, o in rows])
    if not abandoned.any():
        return None, len(rows)
    return fit_patience(wait, abandoned), len(rows)


def plan_patience(plan) -> PatienceDistribution | None:
    """The plan's patience, ``None`` when its callers never hang up (no mean patience, or a
    Kaplan-Meier patience whose queue has no abandoned call on record)."""
    if plan.patience_shape == PatienceShape.KAPLAN_MEIER:
        cached = getattr(plan, "_fitted_patience", None)
        if cached is None or cached[0] != plan.queue_id:
            cached = (plan.queue_id, *fitted_patience(plan.queue))
            plan._fitted_patience = cached
        return cached[1]
    if plan.patience_seconds:
        return PatienceDistribution.exponential(float(plan.patience_seconds))
    return None


def _patience_digest(patience: PatienceDistribution | None) -> str | None:
    """The fitted patience in the key of the figures (new records, new figures)."""
    if patience is None:
        return None
    digest = hashlib.sha256(np.ascontiguousarray(patience.times, dtype=np.float64).tobytes())
    digest.update(np.ascontiguousarray(patience.cdf, dtype=np.float64).tobytes())
    digest.update(repr(float(patience.tail_rate)).encode())
    return digest.hexdigest()


def plan_inputs(plan) -> dict:
    """What of the plan the simulation's figures depend on (part of their key)."""
    kaplan_meier = plan.patience_shape == PatienceShape.KAPLAN_MEIER
    return {
        "service_shape": plan.service_shape,
        "service_cv": None if plan.service_cv is None else float(plan.service_cv),
        "patience_seconds": plan.patience_seconds,
        "patience_shape": plan.patience_shape,
        "patience_fit": _patience_digest(plan_patience(plan)) if kaplan_meier else None,
        "replications": int(plan.simulation_replications),
        "seed": int(plan.simulation_seed),
    }


def model_text(plan) -> str:
    """The plan's model in the reader's language, with the simulation's inputs."""
    if plan.model == QueueModel.ERLANG_A:
        return _("Erlang A, mean patience %(p)d s") % {"p": plan.patience_seconds or 0}
    if plan.model != QueueModel.SIMULATION:
        return _("Erlang C")
    if plan.service_shape == ServiceShape.LOGNORMAL and plan.service_cv is not None:
        service = _("lognormal service time (CV %(cv)s)") % {"cv": plan.service_cv}
    else:
        service = _("exponential service time")
    if plan.patience_shape == PatienceShape.KAPLAN_MEIER:
        fitted = plan_patience(plan)
        if fitted is None:
            patience = _(
                "Kaplan-Meier patience, but the queue has no abandoned call on record: "
                "callers never hang up"
            )
        else:
            patience = _(
                "Kaplan-Meier patience from %(n)d call records (mean %(p)d s, "
                "%(share)d %% wait 60 s)"
            ) % {
                "n": plan._fitted_patience[2],
                "p": round(fitted.mean_seconds) if np.isfinite(fitted.mean_seconds) else 0,
                "share": round(100 * float(fitted.survival(60.0))),
            }
    elif plan.patience_seconds:
        patience = _("exponential patience (mean %(p)d s)") % {"p": plan.patience_seconds}
    else:
        patience = _("callers never hang up")
    return _("Simulation: %(service)s, %(patience)s, %(n)d runs, seed %(seed)d") % {
        "service": service,
        "patience": patience,
        "n": plan.simulation_replications,
        "seed": plan.simulation_seed,
    }


def figures_key(purpose: str, arrays: dict, values: dict) -> str:
    """SHA-256 of the inputs: arrays by their float64 bytes, values as sorted JSON."""
    digest = hashlib.sha256(purpose.encode())
    for name in sorted(arrays):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(arrays[name], dtype=np.float64).tobytes())
    digest.update(json.dumps(values, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _listed(values) -> list:
    return [None if not np.isfinite(v) else round(float(v), 6) for v in np.asarray(values)]


def _array(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def stored(keys) -> dict[str, dict]:
    """The computed figures of ``keys`` (those still being computed are left out)."""
    keys = list(keys)
    if not keys:
        return {}
    rows = SimulatedFigures.objects.filter(key__in=keys, figures__isnull=False)
    return dict(rows.values_list("key", "figures"))


def store(key: str, purpose: str, figures: dict) -> None:
    """Keep computed figures (the first to finish wins a race; the figures are equal)."""
    now = timezone.now()
    updated = SimulatedFigures.objects.filter(key=key).update(figures=figures, computed_at=now)
    if not updated:
        try:
            with transaction.atomic():
                SimulatedFigures.objects.create(
                    key=key, purpose=purpose, figures=figures, computed_at=now
                )
        except IntegrityError:
            SimulatedFigures.objects.filter(key=key).update(figures=figures, computed_at=now)


def request(keys, purpose: str) -> bool:
    """Mark ``keys`` as being computed; True when one was not yet asked for (or its
    request is older than a worker may take: the task died), so a task must run."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return False
    stale = timezone.now() - timedelta(seconds=getattr(settings, "CCOPS_JOB_STALE_SECONDS", 120))
    known = dict(SimulatedFigures.objects.filter(key__in=keys).values_list("key", "requested_at"))
    new = [k for k in keys if k not in known]
    SimulatedFigures.objects.bulk_create(
        [SimulatedFigures(key=k, purpose=purpose) for k in new], ignore_conflicts=True
    )
    old = [k for k, at in known.items() if at < stale]
    if old:
        SimulatedFigures.objects.filter(key__in=old, figures__isnull=True).update(
            requested_at=timezone.now()
        )
    return bool(new or old)


def simulated_requirement(
    plan,
    calls: np.ndarray,
    aht_seconds: np.ndarray,
    *,
    service_level: float,
    answer_within_seconds: float,
) -> dict:
    """The fewest agents per interval of a day that meet the plan's targets under the
    simulation (``required_agents_simulated``), with the simulated service level and
    occupancy at that count and the target that bound it; computed once per set of
    inputs."""
    im = plan.site.interval_minutes
    targets = {
        "service_level": float(service_level),
        "answer_within_seconds": float(answer_within_seconds),
        "max_occupancy": float(plan.max_occupancy_percent) / 100,
        "max_abandon_rate": float(plan.max_abandon_percent) / 100
        if plan.max_abandon_percent is not None and plan_patience(plan) is not None
        else None,
    }
    values = {"interval_minutes": im, **targets, **plan_inputs(plan)}
    key = figures_key("staffing", {"calls": calls, "aht": aht_seconds}, values)
    found = stored([key]).get(key)
    if found is not None:
        return {
            "agents": np.array(found["agents"], dtype=np.int64),
            # as Erlang reports an interval without calls: all answered, nobody busy
            "service_level": np.nan_to_num(_array(found["service_level"]), nan=1.0),
            "occupancy": np.nan_to_num(_array(found["occupancy"]), nan=0.0),
            "binding": np.array(found["binding"], dtype=object),
        }
    inputs = plan_inputs(plan)
    result = required_agents_simulated(
        calls,
        np.where(calls > 0, aht_seconds, 1.0),
        im,
        service=plan_service(plan),
        patience=plan_patience(plan),
        replications=inputs["replications"],
        seed=inputs["seed"],
        confidence=CONFIDENCE,
        **targets,
    )
    agents = np.asarray(result.agents[0], dtype=np.int64)
    binding = []
    for t, n in enumerate(agents):
        fewer = [c for c in result.candidates(0, t) if c.agents == n - 1]
        binding.append(fewer[0].missed[0] if fewer and fewer[0].missed else "none")
    figures = {
        "agents": agents.tolist(),
        "service_level": _listed(result.service_level.mean[0]),
        "occupancy": _listed(result.occupancy.mean[0]),
        "binding": binding,
    }
    store(key, "staffing", figures)
    return {
        "agents": agents,
        "service_level": np.nan_to_num(_array(figures["service_level"]), nan=1.0),
        "occupancy": np.nan_to_num(_array(figures["occupancy"]), nan=0.0),
        "binding": np.array(binding, dtype=object),
    }


def projection_key(plan, served, calls, aht_seconds, interval_minutes: int) -> str:
    """The key of the simulated projection of one queue-day of a schedule."""
    values = {
        "interval_minutes": interval_minutes,
        "shrinkage": float(plan.shrinkage_percent) / 100,
        "answer_within_seconds": float(plan.answer_within_seconds),
        **plan_inputs(plan),
    }
    arrays = {"served": np.round(served, 6), "calls": calls, "aht": aht_seconds}
    return figures_key("projection", arrays, values)


def simulate_projection(plan, served, calls, aht_seconds, interval_minutes: int) -> dict:
    """The simulated projection of one queue-day: service level per interval with its
    confidence bounds, abandonment, ASA, and each run's calls-weighted sum."""
    inputs = plan_inputs(plan)
    p = project_service_level(
        served,
        calls,
        aht_seconds,
        interval_minutes,
        shrinkage=float(plan.shrinkage_percent) / 100,
        answer_within_seconds=float(plan.answer_within_seconds),
        model="simulation",
        service=plan_service(plan),
        patience=plan_patience(plan),
        replications=inputs["replications"],
        seed=inputs["seed"],
    )
    return {
        "service_level": _listed(p.service_level),
        "low": _listed(p.service_level_low),
        "high": _listed(p.service_level_high),
        "abandon_rate": _listed(p.abandon_rate),
        "asa_seconds": _listed(p.asa_seconds),
        "replication_sums": _listed(p.replication_sums(calls)),
    }


def unpack(figures: dict) -> dict:
    """Stored projection figures as arrays."""
    return {
        "service_level": _array(figures["service_level"]),
        "low": _array(figures["low"]),
        "high": _array(figures["high"]),
        "replication_sums": _array(figures["replication_sums"]),
    }
