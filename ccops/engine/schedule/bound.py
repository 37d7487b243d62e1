"""The LP-relaxation lower bound of the covering model, solved with HiGHS."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from ccops.engine.schedule.model import CoverModel


@dataclass(frozen=True)
class LPBound:
    """The LP relaxation's optimum: a lower bound on any integer schedule's objective."""

    value: float
    solution: np.ndarray  # fractional value of every model variable
    status: str


def lp_relaxation(model: CoverModel) -> LPBound:
    """Solve the covering model with integrality dropped (HiGHS through SciPy)."""
    nv, n = model.n_shift_vars, model.n_intervals
    # coverage(x, y) - over + under = need
    eye = sparse.identity(n, format="csr")
    a_cov = sparse.hstack([model.coverage, eye, -eye], format="csr")
    a_eq = sparse.vstack([model.a_eq, a_cov], format="csr")
    b_eq = np.concatenate([model.b_eq, model.need.astype(float)])
    if model.n_vars == 0 or nv + n == 0:
        return LPBound(0.0, np.zeros(model.n_vars), "empty")
    result = linprog(
        model.cost,
        A_ub=model.a_ub if model.a_ub.shape[0] else None,
        b_ub=model.b_ub if model.a_ub.shape[0] else None,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=np.column_stack([np.zeros(model.n_vars), model.upper]),
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"the LP relaxation did not solve: {result.message}")
    return LPBound(float(result.fun), np.asarray(result.x), "optimal")
