"""Models of the registers app (one module per register)."""

from ccops.registers.models.areas import (
    AreaAccess,
    AreaAccessReview,
    AreaAuthorization,
    RestrictedArea,
)
from ccops.registers.models.custody import (
    ConfidentialDocument,
    CustodyCheck,
    CustodyHandover,
    CustodyHandoverItem,
    DisciplineLink,
    LeakReport,
)
from ccops.registers.models.disclosure import (
    DisclosureDocument,
    DisclosureRelease,
    DisclosureRequest,
)
from ccops.registers.models.restroom import REST_ROOM_MIN_MINUTES, CleaningDuty, RestRoom
from ccops.registers.models.visitors import Visit

__all__ = [
    "REST_ROOM_MIN_MINUTES",
    "AreaAccess",
    "AreaAccessReview",
    "AreaAuthorization",
    "CleaningDuty",
    "ConfidentialDocument",
    "CustodyCheck",
    "CustodyHandover",
    "CustodyHandoverItem",
    "DisciplineLink",
    "DisclosureDocument",
    "DisclosureRelease",
    "DisclosureRequest",
    "LeakReport",
    "RestRoom",
    "RestrictedArea",
    "Visit",
]
