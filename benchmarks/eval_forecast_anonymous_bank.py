"""Forecast accuracy on the Anonymous Bank 1999 call center (issue 3, point 6).

History: half-hour calls offered to agents (ANSWERED + ABANDONED: calls that
left the IVR asking for an agent), January-July 1999 (the contiguous months;
August is missing from the data). Rolling origin: ``--folds`` weekly origins
(Sundays), the last on 25 July, each forecasting 7 days. Methods, all scored
on the same intervals in the same run:

- ``ccops`` (with the 1999 Israeli holiday calendar in ``benchmarks/``),
- seasonal naive and the mean of the last 4 same weekdays (plain, and
  ``_clean``: skipping past holidays and near-zero days),
- statsforecast ``MSTL(season_length=[48, 336])`` with its default trend
  model (AutoETS, non-seasonal); missing days are filled with the same
  interval one week earlier for it, as it cannot take gaps; ``_clean`` also
  replaces the holiday-calendar days of its training data that way.

Not scored (for every method): days on the holiday calendar, days without
data, and days below half the median of the four previous same weekdays.

    python -m benchmarks.eval_forecast_anonymous_bank [--folds 12] [--queue all|PS] [--no-library]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from ccops.engine.forecast import backtest, read_calendar_csv
from ccops.engine.forecast.series import DayMatrix

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = REPO.parent / "shared" / "data" / "anonymous-bank-1999"
CALENDAR = HERE / "israel_holidays_1999.csv"
MONTHS = range(1, 8)


def load_history(data_dir: Path, service_type: str | None, interval_minutes: int = 30):
    """Half-hour calls offered to agents, Jan-Jul 1999: (interval_start, calls, aht_seconds)."""
    from ccops.engine.io.calls import ABANDONED, ANSWERED, read_anonymous_bank
    from ccops.engine.io.history import aggregate_calls

    files = [data_dir / f"anonymous_bank_1999-{m:02d}.csv.gz" for m in MONTHS]
    records = read_anonymous_bank(files)
    keep = np.isin(records.outcome, [ANSWERED, ABANDONED])
    if service_type:
        keep &= records.queue == service_type
    hist = aggregate_calls(
        records.select(keep), interval_minutes=interval_minutes, by_queue=False, queue_name="all"
    )
    ts = hist["interval_start"].to_numpy().astype("datetime64[m]")
    return ts, hist["calls"].to_numpy(dtype=float), hist["aht_seconds"].to_numpy(dtype=float)


def mstl_method(season_lengths=(48, 336), fill_days=None):
    """statsforecast MSTL with its default trend forecaster, as a backtest method.

    Unknown intervals (days without data) are filled with the same interval one
    week earlier, as MSTL cannot take gaps; ``fill_days`` (``datetime64[D]``)
    are filled the same way (the "clean" variant: holidays replaced).
    Returns the mean and the 80 % interval.
    """
    from statsforecast.models import MSTL

    def run(train: DayMatrix, h: int):
        y = train.values.copy()
        k = train.intervals_per_day
        fill = np.isnan(y).any(axis=1)
        if fill_days is not None:
            fill |= np.isin(train.days(), fill_days)
        for i in np.flatnonzero(fill):
            src = y[i - 7] if i >= 7 else np.zeros(k)
            y[i] = np.where(np.isnan(y[i]) | fill[i], src, y[i])
        y = np.nan_to_num(y).reshape(-1)
        model = MSTL(season_length=list(season_lengths))
        out = model.forecast(y=y, h=h * k, level=[80])
        return (
            np.maximum(out["mean"], 0.0),
            np.maximum(out["lo-80"], 0.0),
            np.maximum(out["hi-80"], 0.0),
        )

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--folds", type=int, default=12)
    ap.add_argument("--queue", default="all", help="'all' (every service type) or a type, e.g. PS")
    ap.add_argument("--no-library", action="store_true", help="skip statsforecast")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"data not found: {args.data}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    ts, calls, aht = load_history(args.data, None if args.queue == "all" else args.queue)
    load_s = time.perf_counter() - t0
    cal = read_calendar_csv(CALENDAR)
    extra = {}
    if not args.no_library:
        extra["statsforecast_mstl"] = mstl_method()
        extra["statsforecast_mstl_clean"] = mstl_method(fill_days=cal.date)
    report = backtest(
        ts,
        calls,
        horizon_days=7,
        folds=args.folds,
        calendar=cal,
        extra_methods=extra,
        exclude_kinds=("holiday",),
        aht_seconds=aht,
    )
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, default=float))
        return 0
    base = min(
        report.score(m).wape
        for m in (
            "seasonal_naive",
            "mean_4_weekdays",
            "seasonal_naive_clean",
            "mean_4_weekdays_clean",
        )
    )
    ours = report.score("ccops").wape
    print(
        f"Anonymous Bank 1999, queue {args.queue}, half-hour calls offered to agents, "
        f"7 days ahead, {len(report.origins)} weekly origins "
        f"{report.origins[0]} .. {report.origins[-1]} (load {load_s:.1f} s)\n"
    )
    print(report.to_markdown())
    print()
    print(
        "wall time per method (all folds): "
        + ", ".join(f"{m} {s:.1f} s" for m, s in report.seconds.items())
    )
    print("not scored: " + "; ".join(f"{d} ({r})" for d, r in report.unscored_days))
    print(f"\nccops interval WAPE {ours:.3f} = {ours / base:.3f} x the best baseline ({base:.3f})")
    if "statsforecast_mstl" in extra:
        sf = min(report.score(m).wape for m in extra)
        print(f"ccops vs the better statsforecast MSTL: {ours:.3f} vs {sf:.3f} ({ours / sf:.3f} x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
