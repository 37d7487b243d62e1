"""Interval forecasts of call volume and handle time, special days, backtests.

Public API (NumPy arrays in, frozen dataclasses out, no file I/O except the
calendar reader):

- :func:`forecast_series` - one queue; :func:`forecast_frame` - many queues
  from a history DataFrame;
- :func:`backtest` - rolling-origin accuracy against baselines;
- :class:`SpecialDays`, :func:`read_calendar_csv` - the special-day calendar;
- :mod:`~ccops.engine.forecast.metrics` - WAPE, MASE, bias.

See ``docs/forecasting.md`` for the method and its measured accuracy.
"""

from ccops.engine.forecast.api import Forecast, forecast_series
from ccops.engine.forecast.backtest import BacktestReport, MethodScore, backtest
from ccops.engine.forecast.calendar import KINDS, SpecialDays, read_calendar_csv
from ccops.engine.forecast.frame import FORECAST_COLUMNS, forecast_frame
from ccops.engine.forecast.model import ModelOptions

__all__ = [
    "FORECAST_COLUMNS",
    "KINDS",
    "BacktestReport",
    "Forecast",
    "MethodScore",
    "ModelOptions",
    "SpecialDays",
    "backtest",
    "forecast_frame",
    "forecast_series",
    "read_calendar_csv",
]
