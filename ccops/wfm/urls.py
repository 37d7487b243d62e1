from django.urls import path

from ccops.core.generic import crud_urls
from ccops.wfm.models import (
    Forecast,
    ImportBatch,
    IntradayAdjustment,
    Schedule,
    ScheduledShift,
    ShiftSwapRequest,
    ShiftTemplateSet,
    StaffingPlan,
    TimeOffRequest,
)
from ccops.wfm.views import exports as ex
from ccops.wfm.views import forecasts as fc
from ccops.wfm.views import imports as imp
from ccops.wfm.views import intraday as intra
from ccops.wfm.views import leave as leave_views
from ccops.wfm.views import planner as pl
from ccops.wfm.views import planning
from ccops.wfm.views import schedules as sc
from ccops.wfm.views import selfservice as ss

app_name = "wfm"

urlpatterns = [
    path("my/", ss.my_schedule, name="my_schedule"),
    path("my/feed/", ss.calendar_feed_create, name="calendar_feed_create"),
    path("my/feed/revoke/", ss.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("feed/<str:token>.ics", ss.calendar_feed, name="calendar_feed"),
    *crud_urls(ScheduledShift, prefix="shifts", list=ss.ShiftListView, detail=ss.ShiftDetailView),
    *crud_urls(
        TimeOffRequest,
        prefix="time-off",
        list=ss.TimeOffListView,
        detail=ss.TimeOffDetailView,
    ),
    path("time-off/add/", ss.TimeOffFormView.as_view(), name="timeoffrequest_add"),
    path("time-off/calendar/", leave_views.team_calendar, name="team_calendar"),
    path("time-off/balances/", leave_views.leave_balances, name="leave_balances"),
    path("time-off/carry-over/", leave_views.leave_carry_over, name="leave_carry_over"),
    path("time-off/<int:pk>/approve/", ss.time_off_approve, name="timeoffrequest_approve"),
    path("time-off/<int:pk>/reject/", ss.time_off_reject, name="timeoffrequest_reject"),
    path("time-off/<int:pk>/cancel/", ss.time_off_cancel, name="timeoffrequest_cancel"),
    *crud_urls(
        ShiftSwapRequest,
        prefix="swaps",
        list=ss.SwapListView,
        detail=ss.SwapDetailView,
    ),
    path("swaps/add/", ss.SwapFormView.as_view(), name="shiftswaprequest_add"),
    path("swaps/<int:pk>/accept/", ss.swap_accept, name="shiftswaprequest_accept"),
    path("swaps/<int:pk>/approve/", ss.swap_approve, name="shiftswaprequest_approve"),
    path("swaps/<int:pk>/reject/", ss.swap_reject, name="shiftswaprequest_reject"),
    path("swaps/<int:pk>/cancel/", ss.swap_cancel, name="shiftswaprequest_cancel"),
    *crud_urls(
        StaffingPlan,
        prefix="plans",
        list=planning.StaffingPlanListView,
        detail=planning.StaffingPlanDetailView,
        form=planning.StaffingPlanFormView,
        archive=planning.StaffingPlanArchiveView,
    ),
    path("plans/<int:pk>/what-if/", planning.staffing_plan_whatif, name="staffingplan_whatif"),
    *crud_urls(ImportBatch, prefix="imports", list=imp.ImportListView, detail=imp.ImportDetailView),
    path("imports/add/", imp.import_add, name="importbatch_add"),
    path("imports/<int:pk>/confirm/", imp.import_confirm, name="importbatch_confirm"),
    path("imports/<int:pk>/replaced.csv", imp.import_superseded, name="importbatch_superseded"),
    path(
        "imports/<int:pk>/replaced-calls.csv",
        imp.import_replaced_calls,
        name="importbatch_replaced_calls",
    ),
    *crud_urls(
        Forecast, prefix="forecasts", list=fc.ForecastListView, detail=fc.ForecastDetailView
    ),
    path("forecasts/add/", fc.forecast_add, name="forecast_add"),
    path("forecasts/accuracy/", fc.forecast_accuracy, name="forecast_accuracy"),
    path("forecasts/compare/", fc.forecast_compare, name="forecast_compare"),
    path("forecasts/<int:pk>/adjust/", fc.forecast_adjust, name="forecast_adjust"),
    path("forecasts/<int:pk>/forecast.csv", ex.forecast_csv, name="forecast_csv"),
    *crud_urls(
        ShiftTemplateSet,
        prefix="templates",
        list=sc.TemplateSetListView,
        detail=sc.TemplateSetDetailView,
        form=sc.TemplateSetFormView,
        archive=sc.TemplateSetArchiveView,
    ),
    *crud_urls(
        Schedule, prefix="schedules", list=sc.ScheduleListView, detail=sc.ScheduleDetailView
    ),
    path("schedules/generate/", sc.schedule_generate, name="schedule_generate"),
    path("schedules/<int:pk>/publish/", sc.schedule_publish, name="schedule_publish"),
    path("schedules/<int:pk>/new-version/", sc.schedule_copy, name="schedule_copy"),
    path("schedules/<int:pk>/shifts/add/", sc.shift_add, name="schedule_shift_add"),
    path("schedules/<int:pk>/grid/", pl.schedule_grid, name="schedule_grid"),
    path("schedules/<int:pk>/day/", pl.schedule_day, name="schedule_day"),
    path("schedules/<int:pk>/compare/", pl.schedule_compare, name="schedule_compare"),
    path("schedules/<int:pk>/activities/add/", pl.activity_add, name="shiftactivity_add"),
    path("activities/<int:pk>/remove/", pl.activity_remove, name="shiftactivity_remove"),
    path("schedules/<int:pk>/feedback/", pl.feedback_add, name="schedulefeedback_add"),
    path("schedules/<int:pk>/excel/", ex.schedule_export_xlsx, name="schedule_export_xlsx"),
    path("schedules/<int:pk>/coverage.csv", ex.coverage_csv, name="schedule_coverage_csv"),
    path("shifts/<int:pk>/edit/", sc.shift_edit, name="scheduledshift_edit"),
    path("shifts/<int:pk>/remove/", sc.shift_remove, name="scheduledshift_remove"),
    path("intraday/", intra.intraday_page, name="intraday"),
    *crud_urls(
        IntradayAdjustment,
        prefix="adjustments",
        list=intra.AdjustmentListView,
        detail=intra.AdjustmentDetailView,
        form=intra.AdjustmentFormView,
    ),
]
