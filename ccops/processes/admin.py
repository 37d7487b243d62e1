from django.contrib import admin

from ccops.core.admin import AuditedAdmin
from ccops.processes.models import (
    Countermeasure,
    Evidence,
    ImprovementProject,
    Process,
    ProcessVersion,
    Standardisation,
    StepRecord,
)

for _model in (
    Process,
    ProcessVersion,
    ImprovementProject,
    StepRecord,
    Evidence,
    Countermeasure,
    Standardisation,
):
    admin.site.register(_model, AuditedAdmin)
