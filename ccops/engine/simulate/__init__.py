"""Discrete-event simulation of a call center: the check of a staffing plan.

See :mod:`ccops.engine.simulate.model` for the model and its sources and
``docs/simulation.md`` for how it is validated on real data.
"""

from ccops.engine.simulate.core import Estimate, SimulationResult, simulate
from ccops.engine.simulate.distributions import (
    KaplanMeier,
    PatienceDistribution,
    ServiceDistribution,
    fit_lognormal_service,
    fit_patience,
    kaplan_meier,
)
from ccops.engine.simulate.staffing import (
    SimulatedCandidate,
    SimulatedStaffing,
    required_agents_simulated,
)

__all__ = [
    "Estimate",
    "KaplanMeier",
    "PatienceDistribution",
    "ServiceDistribution",
    "SimulatedCandidate",
    "SimulatedStaffing",
    "SimulationResult",
    "fit_lognormal_service",
    "fit_patience",
    "kaplan_meier",
    "required_agents_simulated",
    "simulate",
]
