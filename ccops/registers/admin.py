from django.contrib import admin

from ccops.core.admin import AuditedAdmin
from ccops.registers.models import (
    AreaAccess,
    AreaAccessReview,
    AreaAuthorization,
    CleaningDuty,
    ConfidentialDocument,
    CustodyCheck,
    CustodyHandover,
    CustodyHandoverItem,
    DisciplineLink,
    DisclosureDocument,
    DisclosureRelease,
    DisclosureRequest,
    LeakReport,
    RestrictedArea,
    RestRoom,
    Visit,
)

for _model in (
    Visit,
    RestrictedArea,
    AreaAuthorization,
    AreaAccess,
    AreaAccessReview,
    ConfidentialDocument,
    CustodyCheck,
    CustodyHandover,
    CustodyHandoverItem,
    LeakReport,
    DisciplineLink,
    RestRoom,
    CleaningDuty,
):
    admin.site.register(_model, AuditedAdmin)


class DisclosureAdmin(AuditedAdmin):
    """The disclosure register is read in its pages (every read audited), not here: the
    admin shows nothing of it to change."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        return False


for _model in (DisclosureRequest, DisclosureRelease, DisclosureDocument):
    admin.site.register(_model, DisclosureAdmin)
