"""The LP relaxation of the covering model (HiGHS), its lower bound, and an LP dive.

The LP optimum is a lower bound on every integer schedule's objective. The dive
turns it into a good integer schedule: it repeatedly fixes the start and break
counts whose LP values are closest to whole numbers to their rounded values and
solves the LP again, until every count is whole. The result is a complete,
feasible starting point for CP-SAT.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from ccops.engine.schedule.model import CoverModel


@dataclass(frozen=True)
class LPBound:
    """The LP relaxation's optimum: a lower bound on any integer schedule's objective."""

    value: float
    solution: np.ndarray  # fractional value of every model variable
    status: str


class _LP:
    def __init__(self, model: CoverModel):
        self.a_eq = sparse.vstack([model.a_eq, model.a_bal], format="csr")
        self.b_eq = np.concatenate([model.b_eq, model.b_bal])
        self.has_ub = model.a_ub.shape[0] > 0
        self.model = model

    def solve(self, lower: np.ndarray, upper: np.ndarray):
        m = self.model
        return linprog(
            m.cost,
            A_ub=m.a_ub if self.has_ub else None,
            b_ub=m.b_ub if self.has_ub else None,
            A_eq=self.a_eq,
            b_eq=self.b_eq,
            bounds=np.column_stack([lower, upper]),
            method="highs",
        )


def lp_relaxation(model: CoverModel) -> LPBound:
    """Solve the covering model with integrality dropped (HiGHS through SciPy)."""
    result = _LP(model).solve(np.zeros(model.n_vars), model.upper)
    if result.status != 0:
        raise RuntimeError(f"the LP relaxation did not solve: {result.message}")
    return LPBound(float(result.fun), np.asarray(result.x), "optimal")


@dataclass(frozen=True)
class MIPBound:
    """What HiGHS's branch and bound proves about the integer optimum in a time limit."""

    value: float  # lower bound on every integer schedule's objective
    incumbent: float | None  # objective of its best integer schedule, if any
    status: str  # "optimal" or "time limit"


def integer_bound(bound: float, model: CoverModel) -> float:
    """Round a lower bound up when every integer schedule's objective is a whole number.

    That is the case when all objective coefficients are whole numbers (as with
    weights 1/1/0 or 3/1/1): the objective then moves in steps of one.
    """
    if np.allclose(model.cost, np.rint(model.cost)):
        return float(np.ceil(bound - 1e-6))
    return bound


def mip_bound(model: CoverModel, seconds: float) -> MIPBound:
    """Run HiGHS's MIP on the whole model for ``seconds``; its dual bound is a lower bound.

    It is at least the LP bound (HiGHS starts from the same relaxation, then
    adds cuts and branches), and at most the objective of any integer schedule.
    """
    if seconds <= 0:
        raise ValueError(f"seconds must be > 0, got {seconds}")
    nv = model.n_shift_vars
    constraints = [
        LinearConstraint(model.a_bal, model.b_bal, model.b_bal),
        LinearConstraint(model.a_eq, model.b_eq, model.b_eq),
    ]
    if model.a_ub.shape[0]:
        constraints.append(LinearConstraint(model.a_ub, -np.inf, model.b_ub))
    result = milp(
        model.cost,
        constraints=constraints,
        integrality=np.concatenate([np.ones(nv), np.zeros(model.n_vars - nv)]),
        bounds=Bounds(np.zeros(model.n_vars), model.upper),
        options={"time_limit": float(seconds), "disp": False},
    )
    if result.status == 0:
        return MIPBound(float(result.fun), float(result.fun), "optimal")
    dual = getattr(result, "mip_dual_bound", None)
    if dual is None or not np.isfinite(dual):
        raise RuntimeError(f"HiGHS gave no bound: {result.message}")
    incumbent = float(result.fun) if result.x is not None else None
    return MIPBound(float(dual), incumbent, "time limit")


def lp_dive(
    model: CoverModel,
    start: np.ndarray,
    *,
    deadline: float,
    batch_share: float = 0.3,
    iterations: list | None = None,
) -> np.ndarray | None:
    """Round the LP solution ``start`` by fixing and re-solving.

    Past ``deadline`` the remaining counts are fixed all at once (in halves
    when that makes the LP infeasible), so the dive always ends with a
    schedule; ``None`` only if rounding either way fails.

    Returns whole-number values for the ``model.n_shift_vars`` start and break
    counts (the first block of variables). With a list ``iterations``, the simplex
    iterations of every LP solved are appended to it (a measure of the work done).
    """
    lp = _LP(model)
    if iterations is not None:
        solve = lp.solve

        def counted(lower, upper):
            result = solve(lower, upper)
            iterations.append(int(getattr(result, "nit", 0) or 0))
            return result

        lp.solve = counted
    nv = model.n_shift_vars
    lower = np.zeros(model.n_vars)
    upper = model.upper.copy()
    fixed = np.zeros(nv, dtype=bool)
    x = np.asarray(start, dtype=float).copy()
    x_vars = np.concatenate([g.x_index for g in model.groups]) if model.groups else np.zeros(0)
    is_x = np.zeros(nv, dtype=bool)
    is_x[x_vars.astype(np.int64)] = True
    for phase in (is_x, ~is_x):  # starts first, then breaks
        while True:
            # past the deadline, fix everything left at once (halving on failure)
            share = 1.0 if time.perf_counter() > deadline else batch_share
            vals = x[:nv]
            dist = np.abs(vals - np.rint(vals))
            free = phase & ~fixed
            whole = free & (dist < 1e-6)
            lower[:nv][whole] = upper[:nv][whole] = np.rint(vals[whole])
            fixed |= whole
            frac = np.flatnonzero(phase & ~fixed)
            if frac.size == 0:
                break
            take = max(1, int(np.ceil(share * frac.size)))
            while True:
                chosen = frac[np.argsort(dist[frac], kind="stable")[:take]]
                lo, hi = lower.copy(), upper.copy()
                lo[chosen] = hi[chosen] = np.rint(vals[chosen])
                result = lp.solve(lo, hi)
                if result.status == 0:
                    lower, upper = lo, hi
                    fixed[chosen] = True
                    x = np.asarray(result.x)
                    break
                if take == 1:
                    # round the other way
                    v = vals[chosen[0]]
                    alt = np.floor(v) if np.rint(v) > v else np.ceil(v)
                    lo[chosen] = hi[chosen] = alt
                    result = lp.solve(lo, hi)
                    if result.status != 0:
                        return None
                    lower, upper = lo, hi
                    fixed[chosen] = True
                    x = np.asarray(result.x)
                    break
                take = max(1, take // 2)
    return np.rint(x[:nv])
