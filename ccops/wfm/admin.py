from django.contrib import admin

from ccops.core.admin import AuditedAdmin
from ccops.wfm import models

for _model in (
    models.ImportBatch,
    models.Forecast,
    models.StaffingPlan,
    models.ShiftTemplateSet,
    models.Schedule,
    models.ScheduledShift,
    models.TimeOffRequest,
    models.ShiftSwapRequest,
    models.IntradayAdjustment,
    models.CalendarFeedToken,
):
    admin.site.register(_model, AuditedAdmin)
