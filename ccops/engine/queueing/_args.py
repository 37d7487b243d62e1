"""Argument checks shared by the queueing functions.

Every check raises :class:`ValueError` whose message names the argument, the
offending value and, for arrays, its position, so a caller can find the bad
interval.
"""

from __future__ import annotations

import numpy as np


def _first_bad(values: np.ndarray, bad: np.ndarray) -> str:
    if values.ndim == 0:
        return f"got {values.item()!r}"
    position = np.unravel_index(int(np.argmax(bad)), bad.shape)
    where = position[0] if len(position) == 1 else position
    return f"got {values[position].item()!r} at index {where}"


def as_float_array(name: str, value, *, allow_inf: bool = False) -> np.ndarray:
    """``value`` as a float64 array; NaN (and infinity unless allowed) rejected."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric; got {value!r}") from exc
    bad = np.isnan(array) if allow_inf else ~np.isfinite(array)
    if bad.any():
        what = "a number (not NaN)" if allow_inf else "finite (not NaN or infinite)"
        raise ValueError(f"{name} must be {what}; {_first_bad(array, bad)}")
    return array


def check_range(
    name: str,
    array: np.ndarray,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> np.ndarray:
    """Raise unless every element lies in the interval described."""
    bad = np.zeros(array.shape, dtype=bool)
    if low is not None:
        bad |= array <= low if low_open else array < low
    if high is not None:
        bad |= array >= high if high_open else array > high
    if bad.any():
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name} must lie in {left}{lo}, {hi}{right}; {_first_bad(array, bad)}")
    return array


def check_model(model: str, patience_seconds) -> tuple[str, np.ndarray | None]:
    """Normalise the model name and check that Erlang A has a patience."""
    normalised = str(model).lower().replace("-", "_")
    if normalised not in ("erlang_c", "erlang_a"):
        raise ValueError(f"model must be 'erlang_c' or 'erlang_a'; got {model!r}")
    if normalised == "erlang_c":
        if patience_seconds is not None:
            raise ValueError("patience_seconds is only used by model='erlang_a'")
        return normalised, None
    if patience_seconds is None:
        raise ValueError("patience_seconds is required when model='erlang_a'")
    patience = as_float_array("patience_seconds", patience_seconds, allow_inf=True)
    check_range("patience_seconds", patience, low=0.0, low_open=True)
    return normalised, patience
