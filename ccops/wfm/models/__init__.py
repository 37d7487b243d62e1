"""Models of workforce management: imported interval statistics, forecasts, staffing
plans, shift templates, schedules, time-off and swap requests, intraday adjustments."""

from ccops.wfm.models.plans import (
    IntradayAdjustment,
    Schedule,
    ScheduledShift,
    ScheduleFeedback,
    ShiftActivity,
    ShiftTemplateSet,
    SimulatedFigures,
    StaffingPlan,
    Unavailability,
)
from ccops.wfm.models.requests import (
    CalendarFeedToken,
    ShiftSwapRequest,
    TimeOffRequest,
)
from ccops.wfm.models.stats import (
    CallRecord,
    Forecast,
    ForecastInterval,
    ImportBatch,
    IntervalStat,
)

__all__ = [
    "CalendarFeedToken",
    "CallRecord",
    "Forecast",
    "ForecastInterval",
    "ImportBatch",
    "IntervalStat",
    "IntradayAdjustment",
    "Schedule",
    "ScheduleFeedback",
    "ScheduledShift",
    "ShiftActivity",
    "ShiftSwapRequest",
    "ShiftTemplateSet",
    "SimulatedFigures",
    "StaffingPlan",
    "TimeOffRequest",
    "Unavailability",
]
