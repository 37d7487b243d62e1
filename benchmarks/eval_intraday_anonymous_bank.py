"""Intraday re-forecast on the Anonymous Bank 1999 calls (issue 17, point 5).

Every Sunday from 7 February to 25 July 1999 the ccops forecast (with the
holiday calendar) forecasts the next 7 days from the history before it: the
*morning forecast* of each day. At 10:00, 12:00 and 14:00 of each day the rest
of the day is re-forecast from the calls offered so far, three ways:

- ``morning``: the morning forecast unchanged;
- ``ratio``: the morning forecast times calls so far / forecast so far, kept
  within 0.5..2 (what the intraday page did before);
- ``engine``: :func:`ccops.engine.forecast.intraday.update_rest_of_day`, the
  gamma-Poisson update with its default prior strength ``c`` (calls), and with
  ``c`` measured by :func:`prior_strength_calls`.

WAPE of the rest of the day (intervals starting at or after the update time)
over the days scored: not on the holiday calendar and not below 0.3 x their
morning forecast (an outage). The default ``c`` was chosen on the design
months (February-April: the grid below, WAPE summed over the three times,
printed) and the measured ``c`` comes from the design months' day totals; both
are then scored on May-July, which played no part in the choice.

    python -m benchmarks.eval_intraday_anonymous_bank [--json]
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from benchmarks.eval_forecast_anonymous_bank import CALENDAR, DATA, load_history
from ccops.engine.forecast import forecast_series, read_calendar_csv
from ccops.engine.forecast.intraday import (
    DEFAULT_PRIOR_CALLS,
    prior_strength_calls,
    update_rest_of_day,
)

UPDATE_HOURS = (10, 12, 14)
GRID = (0.0, 10.0, 25.0, 50.0, 100.0, 150.0, 200.0, 300.0, 500.0, 1000.0, 3000.0)
DESIGN = ("1999-02", "1999-03", "1999-04")
EVALUATION = ("1999-05", "1999-06", "1999-07")


def morning_forecasts(data_dir):
    """(days, forecast (n, K), actual (n, K)) for every forecast day of the weekly origins."""
    ts, calls, _aht = load_history(data_dir, None)
    cal = read_calendar_csv(CALENDAR)
    days_all = ts.astype("datetime64[D]")
    k = 48
    origins = np.arange(np.datetime64("1999-02-07"), np.datetime64("1999-07-26"), 7)
    out_days, out_fc, out_act = [], [], []
    for origin in origins:
        train = days_all < origin
        f = forecast_series(ts[train], calls[train], horizon_days=7, calendar=cal)
        fc = f.calls.reshape(7, k)
        for j in range(7):
            day = origin + j
            sel = days_all == day
            if sel.sum() != k:
                continue
            out_days.append(day)
            out_fc.append(fc[j])
            out_act.append(calls[sel])
    days = np.array(out_days)
    fc, act = np.array(out_fc), np.array(out_act)
    holiday = np.isin(days, cal.date)
    outage = np.nansum(act, axis=1) < 0.3 * fc.sum(axis=1)
    keep = ~holiday & ~outage & ~np.isnan(act).any(axis=1)
    return days[keep], fc[keep], act[keep]


def rest_of_day_wape(fc, act, hour, prior):
    """WAPE of the rest of the day after ``hour`` (None: the morning forecast)."""
    cut = 2 * hour
    err = tot = 0.0
    for f, a in zip(fc, act, strict=True):
        elapsed = np.arange(f.size) < cut
        if prior is None:
            rest = f
        else:
            rest = update_rest_of_day(
                f, np.where(elapsed, a, np.nan), elapsed, prior_calls=prior
            ).calls
        err += float(np.abs(rest[cut:] - a[cut:]).sum())
        tot += float(a[cut:].sum())
    return err / tot


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    from pathlib import Path

    if not Path(args.data).exists():
        print(f"data not found: {args.data}", file=sys.stderr)
        return 2
    days, fc, act = morning_forecasts(Path(args.data))
    month = days.astype("datetime64[M]").astype(str)
    design = np.isin(month, DESIGN)
    evaluation = np.isin(month, EVALUATION)
    scores = {c: sum(rest_of_day_wape(fc[design], act[design], h, c) for h in UPDATE_HOURS)
              for c in GRID}  # fmt: skip
    chosen = min(scores, key=scores.get)
    measured = prior_strength_calls(fc[design].sum(axis=1), act[design].sum(axis=1))
    table = []
    for label, sel in (("design (Feb-Apr)", design), ("evaluation (May-Jul)", evaluation)):
        for h in UPDATE_HOURS:
            table.append(
                {
                    "months": label,
                    "update": f"{h:02d}:00",
                    "days": int(sel.sum()),
                    "morning": rest_of_day_wape(fc[sel], act[sel], h, None),
                    "ratio": rest_of_day_wape(fc[sel], act[sel], h, 0.0),
                    "engine": rest_of_day_wape(fc[sel], act[sel], h, DEFAULT_PRIOR_CALLS),
                    "engine_measured": rest_of_day_wape(fc[sel], act[sel], h, measured),
                }
            )
    if args.json:
        print(json.dumps({"chosen_prior_calls": chosen, "measured_prior_calls": measured,
                          "design_grid": scores, "table": table}, indent=2))  # fmt: skip
        return 0
    print(
        f"Anonymous Bank 1999, all queues, half-hours; {int(design.sum())} design days, "
        f"{int(evaluation.sum())} evaluation days; default prior strength c = "
        f"{DEFAULT_PRIOR_CALLS:g} calls (design-month optimum of the grid: {chosen:g}); "
        f"measured from the design months' day totals c = {measured:.0f}"
    )
    print(
        "design months, WAPE summed over the three update times, by c: "
        + ", ".join(f"{c:g}: {v:.4f}" for c, v in scores.items())
    )
    print()
    print(
        "| months | update | days | morning forecast | ratio (calls so far) "
        f"| engine, c = {DEFAULT_PRIOR_CALLS:g} | engine, measured c = {measured:.0f} |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for r in table:
        print(
            f"| {r['months']} | {r['update']} | {r['days']} | {r['morning']:.3f} | "
            f"{r['ratio']:.3f} | {r['engine']:.3f} | {r['engine_measured']:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
