"""The surge after an outage (issue 15, point 5): validation of
:mod:`ccops.engine.forecast.surge` on simulated outages of the synthetic center, and a look
for real outages in the Anonymous Bank 1999 records.

Synthetic center (``generate_center(weeks=10, queues=1, seed=s)``, seeds 1-3): on every
weekday of weeks 5-10 the queue is taken down from 10:00 to 11:30. The callers of the
window are lost; each calls back at all with probability 0.7, then retries every
Exp(25 min); a retry that lands in the outage fails and the caller tries again with
probability 0.8 (so early callers give up more often: not the engine's model, whose
share is one number). The retries after recovery are added to the day's calls. The
forecast is the mean of the same weekday's intervals over the 4 weeks before.

For each outage:

- ``fit``: :func:`estimate_retrial` on the outage's own 4 hours after recovery, against
  the effective share (callers who came back within 4 hours / lost) of the simulation;
- ``next``: the re-forecast of the next 4 hours by :func:`surge_after_recovery` with the
  share and delay measured on the *previous* outage (what ``ccops`` does: the queue's last
  past outage), ``default`` with the defaults 0.5 / 20 min, ``none`` the plain forecast;
  WAPE against the calls offered, and the error of the total retrials.

Anonymous Bank: weekday intervals from 08:00 to 18:00 with no call offered, between
intervals with calls, on days with more than 300 calls; for each the same fit against the
same-weekday mean of the 4 weeks before.

    python -m benchmarks.eval_surge [--json]
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from ccops.engine.forecast.surge import (
    DEFAULT_RETRIAL_DELAY_MINUTES,
    DEFAULT_RETRIAL_SHARE,
    estimate_retrial,
    surge_after_recovery,
)
from ccops.engine.synthetic import generate_center

K = 48  # half-hour intervals a day
DOWN, UP = 20, 23  # 10:00 to 11:30
AFTER = 8  # 4 hours
#: Per seed: probability a lost caller calls back at all, of trying again after a failed
#: retry, and the mean retry interval (minutes); the defaults 0.5 / 20 min fit none of them.
TRUTH = {1: (0.7, 0.8, 25.0), 2: (0.95, 0.9, 12.0), 3: (0.45, 0.7, 45.0)}


def simulate_retrials(rng, lost_times, recovery, horizon, truth):
    """Minutes after recovery of the first successful retry of each lost caller (those
    who give up or come back after ``horizon`` are dropped)."""
    call_back, again, delay = truth
    out = []
    for t in lost_times:
        if rng.random() > call_back:
            continue
        while True:
            t = t + rng.exponential(delay)
            if t >= recovery:
                if t - recovery < horizon:
                    out.append(t - recovery)
                break
            if rng.random() > again:
                break
    return np.array(out)


def synthetic(seeds=(1, 2, 3)):
    rows = []
    for seed in seeds:
        center = generate_center(weeks=10, queues=1, seed=seed)
        calls = center.history["calls"].to_numpy(dtype=float).reshape(-1, K)
        special = {(d - center.start).days for d in center.calendar["date"]}
        rng = np.random.default_rng(seed)
        previous = None
        for day in range(28, calls.shape[0]):
            if day % 7 >= 5 or day in special:  # weekends (from a Monday), special days
                continue
            past = [day - 7 * w for w in range(1, 9) if day - 7 * w >= 0]
            past = [d for d in past if d not in special][:4]
            forecast = calls[past].mean(axis=0)
            actual = calls[day].copy()
            lost = float(actual[DOWN:UP].sum())
            lost_times = np.sort(rng.uniform(DOWN * 30, UP * 30, int(lost)))
            back = simulate_retrials(rng, lost_times, UP * 30, AFTER * 30, TRUTH[seed])
            extra = np.histogram(back, bins=np.arange(AFTER + 1) * 30)[0]
            observed = actual[UP : UP + AFTER] + extra
            base = forecast[UP : UP + AFTER]
            fit = estimate_retrial(base, observed, lost, interval_minutes=30)
            row = {
                "seed": seed,
                "day": day,
                "lost": lost,
                "true_share": len(back) / lost,
                "fit_share": fit.share,
                "fit_delay": fit.delay_minutes,
                "delay_error": abs(fit.delay_minutes - TRUTH[seed][2]),
                "true_retrials": float(extra.sum()),
            }
            variants = {"none": (0.0, DEFAULT_RETRIAL_DELAY_MINUTES)}
            variants["default"] = (DEFAULT_RETRIAL_SHARE, DEFAULT_RETRIAL_DELAY_MINUTES)
            if previous is not None:
                variants["next"] = (previous.share, previous.delay_minutes)
            for name, (share, delay) in variants.items():
                s = surge_after_recovery(
                    base, lost, interval_minutes=30, share=share, delay_minutes=delay
                )
                row[f"wape_{name}"] = float(np.abs(s.calls - observed).sum() / observed.sum())
                row[f"first_hour_{name}"] = float(
                    np.abs(s.calls[:2] - observed[:2]).sum() / observed[:2].sum()
                )
                row[f"retrials_{name}"] = s.total_retrials
            rows.append(row)
            previous = fit
    return rows


def anonymous_bank():
    from benchmarks.eval_forecast_anonymous_bank import DATA, load_history

    if not DATA.exists():
        return None
    ts, calls, _aht = load_history(DATA, None)
    days = ts.astype("datetime64[D]")
    index = ((ts - days).astype(int) // 30).astype(int)
    grid: dict = {}
    for d in np.unique(days):
        row = np.zeros(K)
        m = days == d
        row[index[m]] = calls[m]
        grid[d] = row
    found = []
    for d, row in grid.items():
        weekday = int((d.astype("int64") - 4) % 7)  # 0 = Monday
        if row.sum() < 300 or weekday >= 5:
            continue
        i = 16
        while i < 36:
            if row[i] == 0 and row[i - 1] > 5:
                j = i
                while j < 36 and row[j] == 0:
                    j += 1
                if j < K - AFTER and row[j] > 5:
                    past = [grid.get(d - 7 * w) for w in (1, 2, 3, 4)]
                    past = [p for p in past if p is not None and p.sum() > 300]
                    if len(past) >= 2:
                        fc = np.mean(past, axis=0)
                        lost = float(fc[i:j].sum())
                        fit = estimate_retrial(
                            fc[j : j + AFTER], row[j : j + AFTER], lost, interval_minutes=30
                        )
                        found.append(
                            {
                                "day": str(d),
                                "from": f"{i // 2:02d}:{(i % 2) * 30:02d}",
                                "hours": (j - i) / 2,
                                "lost": round(lost, 1),
                                "after_offered": float(row[j : j + AFTER].sum()),
                                "after_forecast": round(float(fc[j : j + AFTER].sum()), 1),
                                "fit_share": round(fit.share, 2),
                                "fit_delay": fit.delay_minutes,
                            }
                        )
                i = j
            i += 1
    return found


def summary(rows):
    def mean(key):
        values = [r[key] for r in rows if key in r]
        return float(np.mean(values)), float(np.std(values))

    out = {
        "outages": len(rows),
        "lost_calls_mean": mean("lost")[0],
        "true_share": mean("true_share"),
        "fit_share": mean("fit_share"),
        "fit_share_abs_error": float(
            np.mean([abs(r["fit_share"] - r["true_share"]) for r in rows])
        ),
        "fit_delay_abs_error": mean("delay_error")[0],
        "by_seed": {
            seed: {
                "truth": TRUTH[seed],
                "true_share": float(np.mean([r["true_share"] for r in rows if r["seed"] == seed])),
                "fit_share": float(np.mean([r["fit_share"] for r in rows if r["seed"] == seed])),
                "fit_delay": float(np.mean([r["fit_delay"] for r in rows if r["seed"] == seed])),
            }
            for seed in sorted({r["seed"] for r in rows})
        },
    }
    for name in ("none", "default", "next"):
        out[f"wape_{name}"] = mean(f"wape_{name}")[0]
        out[f"first_hour_wape_{name}"] = mean(f"first_hour_{name}")[0]
        err = [
            abs(r[f"retrials_{name}"] - r["true_retrials"]) / r["lost"]
            for r in rows
            if f"retrials_{name}" in r
        ]
        out[f"retrials_error_per_lost_{name}"] = float(np.mean(err))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = {"synthetic": summary(synthetic()), "anonymous_bank": anonymous_bank()}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    s = result["synthetic"]
    print(
        f"Synthetic center: {s['outages']} simulated outages 10:00-11:30, "
        f"{s['lost_calls_mean']:.0f} calls lost on average"
    )
    for seed, b in s["by_seed"].items():
        call_back, again, delay = b["truth"]
        print(
            f"  seed {seed} (calls back {call_back}, again {again}, every {delay:.0f} min): "
            f"share {b['true_share']:.3f} simulated, {b['fit_share']:.3f} fitted; "
            f"delay {b['fit_delay']:.1f} min fitted"
        )
    print(
        f"  mean abs. error per outage: share {s['fit_share_abs_error']:.3f}, "
        f"delay {s['fit_delay_abs_error']:.1f} min"
    )
    print("  next 4 h re-forecast  WAPE   first-hour WAPE   |retrials error| / lost")
    for name, label in (
        ("none", "forecast only"),
        ("default", "defaults 0.5/20"),
        ("next", "measured on the last outage"),
    ):
        print(
            f"  {label:<28} {s[f'wape_{name}']:.3f}  {s[f'first_hour_wape_{name}']:.3f}"
            f"             {s[f'retrials_error_per_lost_{name}']:.3f}"
        )
    bank = result["anonymous_bank"]
    if bank is None:
        print("Anonymous Bank: data not found")
    else:
        print(f"Anonymous Bank: {len(bank)} weekday gaps with no call between busy intervals")
        for r in bank:
            print(
                f"  {r['day']} from {r['from']} for {r['hours']} h: {r['lost']} calls expected "
                f"in the gap; next 4 h {r['after_offered']:.0f} offered vs "
                f"{r['after_forecast']:.0f} forecast; fit share {r['fit_share']}, "
                f"delay {r['fit_delay']:.0f} min"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
