"""What ``StaffingResult.explain`` returns: the search for one interval, for people."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccops.engine.queueing._targets import names
from ccops.engine.queueing.erlang import evaluate


@dataclass(frozen=True)
class Candidate:
    """One agent count considered for an interval, with its figures."""

    agents: int
    service_level: float
    asa_seconds: float
    abandon_rate: float
    occupancy: float
    missed: tuple[str, ...]
    tried: bool  # False: ruled out by a proven bound without evaluation


@dataclass(frozen=True)
class Explanation:
    """How the staffing of one interval was found (see ``str()`` for a report)."""

    index: int
    model: str
    calls: float
    aht_seconds: float
    interval_seconds: float
    offered_load: float
    patience_seconds: float | None
    targets: tuple[tuple[str, str], ...]
    bound: str
    candidates: tuple[Candidate, ...]
    agents: int
    binding: tuple[str, ...]

    def __str__(self) -> str:
        model = "Erlang C" if self.model == "erlang_c" else "Erlang A"
        head = (
            f"interval {self.index}: {self.calls:g} calls x {self.aht_seconds:g} s AHT "
            f"/ {self.interval_seconds:g} s = offered load {self.offered_load:.4f} Erlangs"
        )
        if self.patience_seconds is not None:
            model += f", mean patience {self.patience_seconds:g} s"
        lines = [head, f"model: {model}", "targets: " + "; ".join(t for _, t in self.targets)]
        lines.append(f"search: {self.bound}")
        columns = ("agents", "service_level", "asa_s", "abandon", "occupancy")
        widths = (7, 13, 9, 8, 9)
        lines.append(
            " ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)) + "  result"
        )
        shown = list(self.candidates)
        if len(shown) > 14:
            shown = [*shown[:4], None, *shown[-8:]]
        for row in shown:
            if row is None:
                lines.append(f"{'...':>7}")
                continue
            if row.missed:
                verdict = "misses " + ", ".join(row.missed)
                if not row.tried:
                    verdict += " (ruled out by the bound)"
            else:
                verdict = "meets every target"
            if row.agents == self.agents:
                verdict += "  <= answer"
            lines.append(
                f"{row.agents:>7d} {row.service_level:>13.6f} {row.asa_seconds:>9.2f} "
                f"{row.abandon_rate:>8.4f} {row.occupancy:>9.4f}  {verdict}"
            )
        binding = ", ".join(self.binding) if self.binding else "none (no calls)"
        lines.append(f"answer: {self.agents} agents; binding target: {binding}")
        return "\n".join(lines)


def explain_search(result, index: int) -> Explanation:
    """Build the :class:`Explanation` of interval ``index`` from a ``StaffingResult``."""
    s = result._search
    size = result.agents.size
    if not -size <= index < size:
        raise ValueError(f"index must lie in [0, {size}); got {index}")
    index %= size
    model, targets = s["model"], s["targets"].take(np.array([index]))
    a = float(s["load"][index])
    pat = None if s["patience"] is None else float(s["patience"][index])
    answer = int(result.agents.ravel()[index])
    target_text = [
        (
            "service_level",
            f"service level >= {np.ravel(targets.service_level)[0]:.6g} within "
            f"{np.ravel(targets.answer_within_seconds)[0]:g} s",
        ),
        ("occupancy", f"occupancy <= {np.ravel(targets.max_occupancy)[0]:.4g}"),
    ]
    if targets.max_abandon_rate is not None:
        target_text.append(
            ("abandon_rate", f"abandon rate <= {np.ravel(targets.max_abandon_rate)[0]:.4g}")
        )
    if targets.max_asa_seconds is not None:
        target_text.append(("asa", f"ASA <= {np.ravel(targets.max_asa_seconds)[0]:g} s"))
    tried: list[int] = []
    untried: list[int] = []
    if a == 0:
        bound = "no calls offered, so no agents are needed"
        tried = [0]
    elif model == "erlang_c":
        start = int(s["start"][index])
        occ = float(np.ravel(targets.max_occupancy)[0])
        bound = (
            f"counts <= floor(load) = {int(np.floor(a))} are unstable (every call waits) and "
            f"counts < load / max_occupancy = {a / occ:.4f} exceed the occupancy cap, "
            f"so every count from {start} up was tried in turn"
        )
        tried = list(range(start, answer + 1))
        if start > 0:
            untried = [start - 1]
    else:
        bound = (
            "with abandonment fewer agents than the offered load can meet the targets, "
            "so every count from 1 up is a candidate; the search galloped from the Erlang C "
            "answer and bisected (every target improves with more agents)"
        )
        for idx, probe in s["trace"]:
            hit = np.flatnonzero(idx == index)
            tried.extend(int(probe[h]) for h in hit)
        if answer - 1 not in tried:
            untried = [answer - 1]  # n = 0: no agent answers anything
    counts = sorted(set(tried) | set(untried))
    n = np.array(counts, dtype=np.float64)
    ones = np.ones(n.size)
    pat_arr = None if pat is None else pat * ones
    aht = float(s["aht"][index])
    t = float(np.ravel(targets.answer_within_seconds)[0])
    _pw, sl, asa, ab, oc = evaluate(n, a * ones, aht * ones, t * ones, pat_arr)
    flags = targets.take(np.zeros(n.size, dtype=np.int64)).missed(sl, asa, ab, oc)
    rows = tuple(
        Candidate(
            int(c),
            float(sl[i]),
            float(asa[i]),
            float(ab[i]),
            float(oc[i]),
            names(int(flags[i])),
            c not in untried or c in tried,
        )
        for i, c in enumerate(counts)
    )
    below = [r for r in rows if r.agents == answer - 1]
    binding = below[0].missed if below else ()
    return Explanation(
        index=index,
        model=model,
        calls=float(s["calls"][index]),
        aht_seconds=aht,
        interval_seconds=float(s["interval"][index]),
        offered_load=a,
        patience_seconds=pat,
        targets=tuple(target_text),
        bound=bound,
        candidates=rows,
        agents=answer,
        binding=binding,
    )
