"""Queueing core: Erlang B, C and A performance and required agents.

Arrays in, arrays out, vectorised over intervals; see ``docs/queueing.md``.
"""

from ccops.engine.queueing.erlang import (
    Performance,
    erlang_b,
    erlang_c,
    offered_load,
    performance,
)
from ccops.engine.queueing.staffing import (
    TARGETS,
    Candidate,
    Explanation,
    StaffingResult,
    required_agents,
    scheduled_agents,
)

__all__ = [
    "TARGETS",
    "Candidate",
    "Explanation",
    "Performance",
    "StaffingResult",
    "erlang_b",
    "erlang_c",
    "offered_load",
    "performance",
    "required_agents",
    "scheduled_agents",
]
