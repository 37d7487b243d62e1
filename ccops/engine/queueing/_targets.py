"""Staffing targets: the checked target arrays and the flags of missed targets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccops.engine.queueing._args import as_float_array, check_range

TARGETS = ("service_level", "occupancy", "abandon_rate", "asa")
BIT = {name: 1 << i for i, name in enumerate(TARGETS)}


@dataclass(frozen=True)
class Targets:
    """Checked targets: flat arrays, or 0-d arrays when one value serves every interval."""

    service_level: np.ndarray
    answer_within_seconds: np.ndarray
    max_occupancy: np.ndarray
    max_abandon_rate: np.ndarray | None
    max_asa_seconds: np.ndarray | None

    def take(self, idx):
        def pick(x):
            return x if x is None or x.ndim == 0 else x[idx]

        return Targets(*(pick(getattr(self, f)) for f in self.__dataclass_fields__))

    def missed(self, sl, asa, abandon, occupancy) -> np.ndarray:
        """Bit flags of the targets missed (0 = every target met)."""
        flags = np.where(sl < self.service_level, BIT["service_level"], 0)
        flags |= np.where(occupancy > self.max_occupancy, BIT["occupancy"], 0)
        if self.max_abandon_rate is not None:
            flags |= np.where(abandon > self.max_abandon_rate, BIT["abandon_rate"], 0)
        if self.max_asa_seconds is not None:
            flags |= np.where(asa > self.max_asa_seconds, BIT["asa"], 0)
        return flags


def names(flags: int) -> tuple[str, ...]:
    return tuple(name for name in TARGETS if flags & BIT[name])


# The first missed target of every flag combination, for a vectorised lookup.
FIRST_MISSED = np.array(
    [(names(f) or ("none",))[0] for f in range(1 << len(TARGETS))], dtype=object
)


def check_targets(shape, service_level, answer_within_seconds, max_occupancy, abandon, asa):
    sl = check_range(
        "service_level",
        as_float_array("service_level", service_level),
        low=0.0,
        high=1.0,
        low_open=True,
        high_open=True,
    )
    t = check_range(
        "answer_within_seconds",
        as_float_array("answer_within_seconds", answer_within_seconds),
        low=0.0,
    )
    occ = check_range(
        "max_occupancy",
        as_float_array("max_occupancy", max_occupancy),
        low=0.0,
        high=1.0,
        low_open=True,
    )
    if abandon is not None:
        abandon = check_range(
            "max_abandon_rate",
            as_float_array("max_abandon_rate", abandon),
            low=0.0,
            high=1.0,
            low_open=True,
        )
    if asa is not None:
        asa = check_range(
            "max_asa_seconds", as_float_array("max_asa_seconds", asa), low=0.0, low_open=True
        )

    def flat(x):
        # Scalars stay 0-d (they broadcast in comparisons); arrays are flattened.
        if x is None or x.ndim == 0:
            return x
        return np.broadcast_to(x, shape).ravel().astype(np.float64)

    return Targets(flat(sl), flat(t), flat(occ), flat(abandon), flat(asa))
