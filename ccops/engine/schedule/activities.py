"""Activities off the phones (training, coaching, meetings) placed inside shifts where the
center can best spare the agents.

The manual: when staff and load match, put training inside working hours, not in the
staff's rest time. Given the spare coverage per queue and interval (agents on the phones
minus agents required) and, per agent, the stretches of their shift they are on the
phones (breaks and earlier activities taken out), :func:`place_activities` gives each
agent a block of ``length`` intervals whose lowest spare coverage is highest (ties: the
higher total spare, then the earlier start). Agents are placed one at a time, those with
the fewest choices first, and each placement takes one agent off the phones in the block
(from the agent's queue with the most spare in each interval), so a later agent sees the
coverage the earlier ones left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ActivityAgent:
    """An agent to place: their id, the queues (row indices of ``spare``) they serve, and
    the half-open interval stretches ``[start, end)`` they are on the phones."""

    agent_id: str
    queues: tuple[int, ...]
    windows: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Placement:
    """Where an agent's activity goes: first interval (``None``: no stretch of the shift
    is long enough) and the lowest spare coverage of its queues during the block before
    the agent left the phones (negative: the activity deepens a shortfall)."""

    agent_id: str
    start: int | None
    lowest_spare: float | None


def _candidates(agent: ActivityAgent, length: int, n: int) -> list[int]:
    starts = []
    for a, b in agent.windows:
        a, b = max(0, a), min(n, b)
        starts.extend(range(a, b - length + 1))
    return starts


def place_activities(
    spare: np.ndarray, agents: Sequence[ActivityAgent], length: int
) -> tuple[list[Placement], np.ndarray]:
    """Place one block of ``length`` intervals per agent (see the module docstring).

    Parameters
    ----------
    spare : agents on the phones minus agents required, ``n_queues x n_intervals`` (or
        one row per interval for a single queue).
    agents : who to place, with their queues and on-phone stretches.
    length : the activity's length in intervals (at least 1).

    Returns the placements in the order of ``agents`` and the spare coverage after them.
    """
    if length < 1:
        raise ValueError(f"length must be at least 1 interval, got {length}")
    left = np.array(spare, dtype=float, copy=True)
    if left.ndim == 1:
        left = left[None, :]
    n = left.shape[1]
    for agent in agents:
        bad = [q for q in agent.queues if not 0 <= q < left.shape[0]]
        if bad:
            raise ValueError(f"agent {agent.agent_id}: queue rows {bad} not in spare")
    options = {a.agent_id: _candidates(a, length, n) for a in agents}
    order = sorted(range(len(agents)), key=lambda i: (len(options[agents[i].agent_id]), i))
    placed: dict[int, Placement] = {}
    for i in order:
        agent = agents[i]
        starts = options[agent.agent_id]
        if not starts or not agent.queues:
            placed[i] = Placement(agent.agent_id, None, None)
            continue
        mine = left[list(agent.queues)].sum(axis=0)
        # lowest and total spare of every block, vectorised over the candidate starts
        blocks = np.lib.stride_tricks.sliding_window_view(mine, length)[starts]
        lowest, total = blocks.min(axis=1), blocks.sum(axis=1)
        best = max(range(len(starts)), key=lambda k: (lowest[k], total[k], -starts[k]))
        start = starts[best]
        rows = list(agent.queues)
        for t in range(start, start + length):
            q = rows[int(np.argmax(left[rows, t]))]
            left[q, t] -= 1
        placed[i] = Placement(agent.agent_id, start, float(lowest[best]))
    return [placed[i] for i in range(len(agents))], left
