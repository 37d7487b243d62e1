"""1999's per-agent monthly statistics derived from the real Anonymous Bank records (the
``server`` column names the serving agent), with the engine function the web app uses,
checked against an independent pandas reading of the raw files and the data README."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccops.engine.agentstats import agent_month_stats
from ccops.engine.io.calls import ANSWERED, read_anonymous_bank

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def records(anonymous_bank_dir):
    return read_anonymous_bank(sorted(anonymous_bank_dir.glob("anonymous_bank_1999-*.csv.gz")))


@pytest.fixture(scope="module")
def raw(anonymous_bank_dir):
    frames = [
        pd.read_csv(f, dtype=str, keep_default_na=False)
        for f in sorted(anonymous_bank_dir.glob("anonymous_bank_1999-*.csv.gz"))
    ]
    df = pd.concat(frames, ignore_index=True)
    served = df[(df["outcome"] == "AGENT") & (df["server"] != "NO_SERVER")].copy()
    clock = lambda s: pd.to_timedelta(s.str.zfill(8)).dt.total_seconds()  # noqa: E731
    entry, leave = clock(served["vru_entry"]), clock(served["vru_exit"])
    leave = leave + np.where(leave < entry - 43200, 86400, 0)
    day = pd.to_datetime("19" + served["date"], format="%Y%m%d")
    served["month"] = (day + pd.to_timedelta(leave, unit="s")).dt.to_period("M")
    served["ser_time"] = served["ser_time"].astype(int)
    return served


def _stats(records, **kw):
    answered = records.outcome == ANSWERED
    return agent_month_stats(
        agent=records.agent,
        start=records.arrival,
        handled=answered,
        handle_seconds=records.handle_seconds,
        **kw,
    )


def test_per_agent_months_match_an_independent_reading(records, raw):
    stats = _stats(records)
    got = (
        pd.DataFrame(
            {
                "server": stats.agent,
                "month": pd.PeriodIndex(stats.month.astype("datetime64[s]"), freq="M"),
                "calls": stats.calls_handled,
                "aht": stats.aht_seconds,
                "known": stats.handle_known,
            }
        )
        .set_index(["server", "month"])
        .sort_index()
    )
    known = raw[(raw["ser_time"] > 0) & (raw["ser_time"] <= 7200)]
    want = (
        pd.DataFrame(
            {
                "calls": raw.groupby(["server", "month"]).size(),
                "aht": known.groupby(["server", "month"])["ser_time"].mean(),
                "known": known.groupby(["server", "month"]).size(),
            }
        )
        .fillna({"known": 0})
        .sort_index()
    )
    assert got.index.equals(want.index)
    assert (got["calls"] == want["calls"]).all()
    assert (got["known"] == want["known"].astype(int)).all()
    np.testing.assert_allclose(got["aht"].to_numpy(), want["aht"].to_numpy(), rtol=1e-12)
    # The data README: 254,287 AGENT rows of which 4,119 name no server.
    assert int(stats.calls_handled.sum()) == 254_287 - 4_119
    per_month = got.groupby(level="month")["calls"].agg(["size", "sum"])
    assert list(per_month.index.astype(str)) == [
        "1999-01",
        "1999-02",
        "1999-03",
        "1999-04",
        "1999-05",
        "1999-06",
        "1999-07",
        "1999-09",
        "1999-10",
    ]
    assert per_month["size"].between(10, 45).all()  # agents serving calls each month
    assert (stats.days_with_calls >= 1).all() and (stats.days_with_calls <= 31).all()


def test_readme_mean_service_time_of_named_servers(anonymous_bank_dir):
    """README: AGENT ser_time with a named server, mean 191.4 s (all rows kept)."""
    records = read_anonymous_bank(
        sorted(anonymous_bank_dir.glob("anonymous_bank_1999-*.csv.gz")),
        keep_suspect_handle=True,
        max_handle_seconds=1e9,
    )
    stats = _stats(records)
    overall = stats.handle_total_seconds.sum() / stats.calls_handled.sum()
    assert overall == pytest.approx(191.4, abs=0.05)
