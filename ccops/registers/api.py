"""REST API of the registers: visits, restricted areas (access list, log, reviews),
disclosure requests (every read audited), confidential documents (checks, custody
handovers, leak reports) and the rest room (rota, sign-off). The same services and
permission checks as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, ModelSchema, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ccops.core.apitools import (
    Pagination,
    apply_filterset,
    get_or_404,
    register_crud,
    require_perm,
    resolve_pk,
    resolve_pks,
)
from ccops.core.models import Site
from ccops.core.permissions import missing_permission, not_found
from ccops.people.models import Employee
from ccops.registers.filters import (
    AreaAccessFilter,
    AreaAccessReviewFilter,
    AreaAuthorizationFilter,
    CleaningDutyFilter,
    ConfidentialDocumentFilter,
    CustodyHandoverFilter,
    DisclosureRequestFilter,
    LeakReportFilter,
    RestrictedAreaFilter,
    RestRoomFilter,
    VisitFilter,
)
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
from ccops.registers.services import areas, custody, disclosure, restroom, visitors

router = Router(tags=["registers"])


def _employee(actor, pk, field):
    return resolve_pk(Employee, pk, field, Employee.objects.restrict(actor, "view"))


def _site(pk):
    return resolve_pk(Site, pk, "site")


class NoteIn(Schema):
    note: str = ""


class DecideIn(Schema):
    approve: bool
    note: str = ""


# --- visits -------------------------------------------------------------------------------


class VisitOut(ModelSchema):
    overdue_sign_out: bool

    class Meta:
        model = Visit
        fields = [
            "id",
            "site",
            "kind",
            "status",
            "visitor_name",
            "organisation",
            "visitor_phone",
            "id_document",
            "party_size",
            "host",
            "reason",
            "expected_at",
            "expected_until",
            "authorizer",
            "decided_at",
            "decision_note",
            "arrived_at",
            "badge_number",
            "escort",
            "checked_in_by",
            "left_at",
            "checked_out_by",
            "handling",
        ]

    @staticmethod
    def resolve_overdue_sign_out(obj):
        return Visit.objects.filter(pk=obj.pk).filter(visitors.overdue_q()).exists()


class VisitIn(Schema):
    site: int
    host: int
    visitor_name: str
    reason: str
    expected_at: datetime
    expected_until: datetime | None = None
    organisation: str = ""
    visitor_phone: str = ""
    id_document: str = ""
    party_size: int = 1


class WalkInIn(Schema):
    site: int
    host: int
    visitor_name: str
    reason: str
    organisation: str = ""
    visitor_phone: str = ""
    id_document: str = ""
    party_size: int = 1


class VisitPatch(Schema):
    visitor_name: str | None = None
    organisation: str | None = None
    visitor_phone: str | None = None
    id_document: str | None = None
    party_size: int | None = None
    reason: str | None = None
    expected_at: datetime | None = None
    expected_until: datetime | None = None
    handling: str | None = None


class CheckInIn(Schema):
    badge_number: str
    escort: int | None = None
    id_document: str | None = None


class CheckOutIn(Schema):
    handling: str = ""


def _visit_announce(*, actor, site, host, **data):
    return visitors.visit_announce(
        site=_site(site), host=_employee(actor, host, "host"), actor=actor, **data
    )


register_crud(
    router,
    Visit,
    path="visits",
    out_schema=VisitOut,
    in_schema=VisitIn,
    patch_schema=VisitPatch,
    filterset=VisitFilter,
    create=_visit_announce,
    update=lambda *, instance, actor, **data: visitors.visit_update(
        visit=instance, actor=actor, **data
    ),
    archive=False,
)


@router.get(
    "/visits/on-site",
    response=list[VisitOut],
    operation_id="registers_visit_on_site",
    summary="Visitors on site now (the door)",
)
def visits_on_site(request):
    require_perm(request, Visit, "view")
    if not visitors.works_the_door(request.user):
        raise HttpError(403, _("Only the door staff see everyone on site."))
    return list(visitors.on_site(Visit.objects.restrict(request.user, "view")))


@router.post(
    "/visits/walk-in",
    response={201: VisitOut},
    operation_id="registers_visit_walk_in",
    summary="Register a walk-in visitor waiting at the door",
)
def visit_walk_in(request, payload: WalkInIn):
    require_perm(request, Visit, "add")
    data = payload.dict()
    visit = visitors.visit_register_walk_in(
        site=_site(data.pop("site")),
        host=_employee(request.user, data.pop("host"), "host"),
        actor=request.user,
        **data,
    )
    return Status(201, visit)


@router.post(
    "/visits/{int:pk}/decide",
    response=VisitOut,
    operation_id="registers_visit_decide",
    summary="Authorize or refuse a visit",
)
def visit_decide(request, pk: int, payload: DecideIn):
    require_perm(request, Visit, "view")
    return visitors.visit_decide(
        visit=get_or_404(request, Visit, pk),
        approve=payload.approve,
        note=payload.note,
        actor=request.user,
    )


@router.post(
    "/visits/{int:pk}/check-in",
    response=VisitOut,
    operation_id="registers_visit_check_in",
    summary="Receive an approved visitor (badge, escort)",
)
def visit_check_in(request, pk: int, payload: CheckInIn):
    require_perm(request, Visit, "view")
    return visitors.visit_check_in(
        visit=get_or_404(request, Visit, pk),
        badge_number=payload.badge_number,
        escort=_employee(request.user, payload.escort, "escort"),
        id_document=payload.id_document,
        actor=request.user,
    )


@router.post(
    "/visits/{int:pk}/check-out",
    response=VisitOut,
    operation_id="registers_visit_check_out",
    summary="Sign a visitor out",
)
def visit_check_out(request, pk: int, payload: CheckOutIn):
    require_perm(request, Visit, "view")
    return visitors.visit_check_out(
        visit=get_or_404(request, Visit, pk), handling=payload.handling, actor=request.user
    )


@router.post(
    "/visits/{int:pk}/cancel",
    response=VisitOut,
    operation_id="registers_visit_cancel",
    summary="Cancel a visit that has not started",
)
def visit_cancel(request, pk: int, payload: NoteIn):
    require_perm(request, Visit, "view")
    return visitors.visit_cancel(
        visit=get_or_404(request, Visit, pk), note=payload.note, actor=request.user
    )


# --- restricted areas ---------------------------------------------------------------------


class AreaOut(ModelSchema):
    class Meta:
        model = RestrictedArea
        fields = ["id", "site", "code", "name", "kind", "location", "rules", "archived_at"]


class AreaIn(Schema):
    site: int
    code: str
    name: str
    kind: str = "machine_room"
    location: str = ""
    rules: str = ""


class AreaPatch(Schema):
    code: str | None = None
    name: str | None = None
    kind: str | None = None
    location: str | None = None
    rules: str | None = None


register_crud(
    router,
    RestrictedArea,
    path="areas",
    out_schema=AreaOut,
    in_schema=AreaIn,
    patch_schema=AreaPatch,
    filterset=RestrictedAreaFilter,
)


class AuthorizationOut(ModelSchema):
    class Meta:
        model = AreaAuthorization
        fields = [
            "id",
            "area",
            "employee",
            "valid_from",
            "valid_until",
            "reason",
            "granted_by",
            "revoked_at",
            "revoked_by",
            "revoke_reason",
        ]


class AuthorizationIn(Schema):
    area: int
    employee: int
    valid_from: date
    valid_until: date | None = None
    reason: str


class ReasonIn(Schema):
    reason: str


register_crud(
    router,
    AreaAuthorization,
    path="authorizations",
    out_schema=AuthorizationOut,
    filterset=AreaAuthorizationFilter,
    archive=False,
)


@router.post(
    "/authorizations/",
    response={201: AuthorizationOut},
    operation_id="registers_areaauthorization_create",
    summary="Put an employee on an area's access list",
)
def authorization_create(request, payload: AuthorizationIn):
    require_perm(request, AreaAuthorization, "add")
    row = areas.area_authorize(
        area=resolve_pk(
            RestrictedArea,
            payload.area,
            "area",
            RestrictedArea.objects.restrict(request.user, "view"),
        ),
        employee=_employee(request.user, payload.employee, "employee"),
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        reason=payload.reason,
        actor=request.user,
    )
    return Status(201, row)


@router.post(
    "/authorizations/{int:pk}/revoke",
    response=AuthorizationOut,
    operation_id="registers_areaauthorization_revoke",
    summary="Revoke an authorisation",
)
def authorization_revoke(request, pk: int, payload: ReasonIn):
    require_perm(request, AreaAuthorization, "change")
    return areas.area_authorization_revoke(
        authorization=get_or_404(request, AreaAuthorization, pk, "change"),
        reason=payload.reason,
        actor=request.user,
    )


class AccessOut(ModelSchema):
    entrant: str

    class Meta:
        model = AreaAccess
        fields = [
            "id",
            "area",
            "employee",
            "visit",
            "status",
            "purpose",
            "escort",
            "authorised",
            "approved_by",
            "approved_at",
            "approval_note",
            "entered_at",
            "exited_at",
            "recorded_by",
        ]

    @staticmethod
    def resolve_entrant(obj):
        return obj.entrant_name()


class EntryIn(Schema):
    area: int
    purpose: str
    employee: int | None = None
    visit: int | None = None
    escort: int | None = None
    approval_note: str = ""


register_crud(
    router,
    AreaAccess,
    path="area-log",
    out_schema=AccessOut,
    filterset=AreaAccessFilter,
    archive=False,
)


@router.post(
    "/area-log/",
    response={201: AccessOut},
    operation_id="registers_areaaccess_create",
    summary="Record an entry into a restricted area",
)
def area_entry(request, payload: EntryIn):
    require_perm(request, AreaAccess, "add")
    row = areas.area_entry_record(
        area=resolve_pk(
            RestrictedArea,
            payload.area,
            "area",
            RestrictedArea.objects.restrict(request.user, "view"),
        ),
        purpose=payload.purpose,
        employee=_employee(request.user, payload.employee, "employee"),
        visit=resolve_pk(
            Visit, payload.visit, "visit", Visit.objects.restrict(request.user, "view")
        ),
        escort=_employee(request.user, payload.escort, "escort"),
        approval_note=payload.approval_note,
        actor=request.user,
    )
    return Status(201, row)


@router.post(
    "/area-log/{int:pk}/decide",
    response=AccessOut,
    operation_id="registers_areaaccess_decide",
    summary="Approve or refuse an entry by someone not on the access list",
)
def area_entry_decide(request, pk: int, payload: DecideIn):
    require_perm(request, AreaAccess, "view")
    return areas.area_entry_decide(
        access=get_or_404(request, AreaAccess, pk),
        approve=payload.approve,
        note=payload.note,
        actor=request.user,
    )


@router.post(
    "/area-log/{int:pk}/exit",
    response=AccessOut,
    operation_id="registers_areaaccess_exit",
    summary="Record the exit",
)
def area_exit(request, pk: int):
    require_perm(request, AreaAccess, "add")
    return areas.area_exit_record(access=get_or_404(request, AreaAccess, pk), actor=request.user)


class ReviewOut(ModelSchema):
    class Meta:
        model = AreaAccessReview
        fields = [
            "id",
            "area",
            "month",
            "reviewer",
            "findings",
            "actions",
            "summary",
            "signed_at",
            "signed_by",
            "amends",
        ]


class ReviewIn(Schema):
    area: int
    month: date


class ReviewSignIn(Schema):
    findings: str
    actions: str = ""


register_crud(
    router,
    AreaAccessReview,
    path="area-reviews",
    out_schema=ReviewOut,
    filterset=AreaAccessReviewFilter,
    archive=False,
)


@router.post(
    "/area-reviews/",
    response={201: ReviewOut},
    operation_id="registers_areaaccessreview_create",
    summary="Open the monthly review of an area",
)
def review_open(request, payload: ReviewIn):
    require_perm(request, AreaAccessReview, "add")
    review = areas.area_review_open(
        area=resolve_pk(
            RestrictedArea,
            payload.area,
            "area",
            RestrictedArea.objects.restrict(request.user, "view"),
        ),
        month=payload.month,
        actor=request.user,
    )
    return Status(201, review)


@router.post(
    "/area-reviews/{int:pk}/sign",
    response=ReviewOut,
    operation_id="registers_areaaccessreview_sign",
    summary="Write the findings and sign the review",
)
def review_sign(request, pk: int, payload: ReviewSignIn):
    require_perm(request, AreaAccessReview, "view")
    return areas.area_review_sign(
        review=get_or_404(request, AreaAccessReview, pk), actor=request.user, **payload.dict()
    )


@router.post(
    "/area-reviews/{int:pk}/amend",
    response={201: ReviewOut},
    operation_id="registers_areaaccessreview_amend",
    summary="Amend a signed review",
)
def review_amend(request, pk: int, payload: ReviewSignIn):
    require_perm(request, AreaAccessReview, "change")
    amendment = areas.area_review_amend(
        review=get_or_404(request, AreaAccessReview, pk), actor=request.user, **payload.dict()
    )
    return Status(201, amendment)


# --- disclosure -----------------------------------------------------------------------------


class ReleaseOut(ModelSchema):
    class Meta:
        model = DisclosureRelease
        fields = [
            "id",
            "record_type",
            "record_reference",
            "fields_released",
            "recipient_name",
            "recipient_organisation",
            "channel",
            "released_at",
            "released_by",
            "note",
        ]


class DocumentOut(ModelSchema):
    class Meta:
        model = DisclosureDocument
        fields = [
            "id",
            "kind",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "created_at",
        ]


class DisclosureOut(ModelSchema):
    releases: list[ReleaseOut]
    documents: list[DocumentOut]

    class Meta:
        model = DisclosureRequest
        fields = [
            "id",
            "site",
            "reference",
            "status",
            "received_at",
            "received_by",
            "requester_name",
            "requester_organisation",
            "requester_position",
            "requester_id_number",
            "requester_contact",
            "basis",
            "authority_type",
            "document_type",
            "document_number",
            "issuing_authority",
            "document_date",
            "special_reason",
            "customer_reference",
            "records_requested",
            "callback_number",
            "callback_source",
            "callback_contact",
            "callback_note",
            "verified_by",
            "verified_at",
            "outcome",
            "decided_by",
            "decided_at",
            "decision_note",
            "signed_at",
            "signed_by",
            "closed_at",
            "closed_by",
            "closing_note",
        ]

    @staticmethod
    def resolve_releases(obj):
        return list(obj.releases.all())

    @staticmethod
    def resolve_documents(obj):
        return list(obj.documents.filter(archived_at__isnull=True))


class DisclosureIn(Schema):
    site: int
    requester_name: str
    requester_organisation: str
    requester_contact: str
    basis: str
    customer_reference: str
    records_requested: str
    received_at: datetime | None = None
    requester_position: str = ""
    requester_id_number: str = ""
    authority_type: str = ""
    document_type: str = ""
    document_number: str = ""
    issuing_authority: str = ""
    document_date: date | None = None
    special_reason: str = ""


class DisclosurePatch(Schema):
    requester_name: str | None = None
    requester_organisation: str | None = None
    requester_contact: str | None = None
    requester_position: str | None = None
    requester_id_number: str | None = None
    basis: str | None = None
    customer_reference: str | None = None
    records_requested: str | None = None
    received_at: datetime | None = None
    authority_type: str | None = None
    document_type: str | None = None
    document_number: str | None = None
    issuing_authority: str | None = None
    document_date: date | None = None
    special_reason: str | None = None


class VerifyIn(Schema):
    callback_number: str
    callback_source: str
    callback_contact: str
    note: str = ""


class ReleaseIn(Schema):
    record_type: str
    record_reference: str
    fields_released: str
    recipient_name: str
    recipient_organisation: str
    channel: str
    released_at: datetime | None = None
    note: str = ""


def _disclosure(request, pk, action="view"):
    row = get_or_404(request, DisclosureRequest, pk, action)
    return row


@router.get(
    "/disclosures/",
    response=list[DisclosureOut],
    operation_id="registers_disclosurerequest_list",
    summary="List disclosure requests (the read is audited)",
)
@paginate(Pagination)
def disclosure_list(request, **kwargs):
    require_perm(request, DisclosureRequest, "view")
    rows = apply_filterset(
        request, DisclosureRequestFilter, DisclosureRequest.objects.restrict(request.user, "view")
    )
    return _AuditedPage(rows, request.user)


class _AuditedPage:
    """A queryset whose page, once sliced for the answer, is written to the audit log."""

    def __init__(self, rows, user):
        self.rows, self.user = rows, user

    def count(self):
        return self.rows.count()

    def __getitem__(self, index):
        page = list(self.rows[index])
        disclosure.log_register_read(page, user=self.user, where="api list")
        return page


@router.get(
    "/disclosures/{int:pk}",
    response=DisclosureOut,
    operation_id="registers_disclosurerequest_get",
    summary="Get a disclosure request (the read is audited)",
)
def disclosure_get(request, pk: int):
    require_perm(request, DisclosureRequest, "view")
    row = _disclosure(request, pk)
    disclosure.log_register_read([row], user=request.user, where="api")
    return row


@router.post(
    "/disclosures/",
    response={201: DisclosureOut},
    operation_id="registers_disclosurerequest_create",
    summary="Register a disclosure request as received",
)
def disclosure_create(request, payload: DisclosureIn):
    require_perm(request, DisclosureRequest, "add")
    data = payload.dict()
    if data.get("received_at") is None:
        data.pop("received_at")
    row = disclosure.disclosure_receive(site=_site(data.pop("site")), actor=request.user, **data)
    return Status(201, row)


@router.patch(
    "/disclosures/{int:pk}",
    response=DisclosureOut,
    operation_id="registers_disclosurerequest_update",
    summary="Correct a request before it is verified",
)
def disclosure_update(request, pk: int, payload: DisclosurePatch):
    require_perm(request, DisclosureRequest, "change")
    return disclosure.disclosure_update(
        request=_disclosure(request, pk, "change"),
        actor=request.user,
        **payload.dict(exclude_unset=True),
    )


@router.post(
    "/disclosures/{int:pk}/documents",
    response={201: DocumentOut},
    operation_id="registers_disclosuredocument_create",
    summary="File a scanned document (PDF, JPEG, PNG or TIFF, at most 10 MB)",
)
def disclosure_upload(request, pk: int, kind: Form[str], file: File[UploadedFile]):
    require_perm(request, DisclosureRequest, "change")
    document = disclosure.disclosure_document_upload(
        request=_disclosure(request, pk, "change"), kind=kind, upload=file, actor=request.user
    )
    return Status(201, document)


@router.post(
    "/disclosures/{int:pk}/verify",
    response=DisclosureOut,
    operation_id="registers_disclosurerequest_verify",
    summary="Record the call back that verified the request",
)
def disclosure_verify(request, pk: int, payload: VerifyIn):
    require_perm(request, DisclosureRequest, "change")
    return disclosure.disclosure_verify(
        request=_disclosure(request, pk, "change"), actor=request.user, **payload.dict()
    )


@router.post(
    "/disclosures/{int:pk}/decide",
    response=DisclosureOut,
    operation_id="registers_disclosurerequest_decide",
    summary="Approve or refuse a request",
)
def disclosure_decide(request, pk: int, payload: DecideIn):
    require_perm(request, DisclosureRequest, "view")
    return disclosure.disclosure_decide(
        request=_disclosure(request, pk),
        approve=payload.approve,
        note=payload.note,
        actor=request.user,
    )


@router.post(
    "/disclosures/{int:pk}/releases",
    response={201: ReleaseOut},
    operation_id="registers_disclosurerelease_create",
    summary="Record what was released, to whom and how (approved requests only)",
)
def disclosure_release(request, pk: int, payload: ReleaseIn):
    require_perm(request, DisclosureRequest, "change")
    release = disclosure.disclosure_release_record(
        request=_disclosure(request, pk, "change"), actor=request.user, **payload.dict()
    )
    return Status(201, release)


@router.post(
    "/disclosures/{int:pk}/fulfil",
    response=DisclosureOut,
    operation_id="registers_disclosurerequest_fulfil",
    summary="Mark the request fulfilled and sign it",
)
def disclosure_fulfil(request, pk: int):
    require_perm(request, DisclosureRequest, "change")
    return disclosure.disclosure_fulfil(
        request=_disclosure(request, pk, "change"), actor=request.user
    )


@router.post(
    "/disclosures/{int:pk}/close",
    response=DisclosureOut,
    operation_id="registers_disclosurerequest_close",
    summary="Close a fulfilled or refused request",
)
def disclosure_close(request, pk: int, payload: NoteIn):
    require_perm(request, DisclosureRequest, "change")
    return disclosure.disclosure_close(
        request=_disclosure(request, pk, "change"), note=payload.note, actor=request.user
    )


class ReportOut(Schema):
    start: date
    end: date
    count: int
    released: int
    refused: int
    open: int
    releases: int
    by_basis: dict[str, int]
    by_authority: dict[str, int]
    by_status: dict[str, int]
    mean_days_to_decide: float | None
    mean_days_to_fulfil: float | None
    requests: list[DisclosureOut]


@router.get(
    "/disclosures/report",
    response=ReportOut,
    operation_id="registers_disclosure_report",
    summary="The auditors' report of a period (the read is audited)",
)
def disclosure_report(request, start: date, end: date):
    if not request.user.has_perm("registers.view_disclosurereport"):
        raise HttpError(403, missing_permission("registers.view_disclosurereport"))
    report = disclosure.disclosure_report(
        start=start,
        end=end,
        queryset=DisclosureRequest.all_objects.all(),
        zone=timezone.get_current_timezone(),
    )
    disclosure.log_register_read(report["rows"], user=request.user, where="api report")
    counts = {
        key: {str(k): v for k, v in report[key]}
        for key in ("by_basis", "by_authority", "by_status")
    }
    return {**report, **counts, "requests": report["rows"]}


# --- confidential documents -----------------------------------------------------------------


class DocumentRegisterOut(ModelSchema):
    next_check_due: date

    class Meta:
        model = ConfidentialDocument
        fields = [
            "id",
            "site",
            "reference",
            "title",
            "category",
            "classification",
            "copies",
            "keeper",
            "scope_of_use",
            "location",
            "check_interval_days",
            "last_checked_at",
            "archived_at",
        ]

    @staticmethod
    def resolve_next_check_due(obj):
        return obj.next_check_due


class DocumentRegisterIn(Schema):
    site: int
    keeper: int
    reference: str
    title: str
    category: str
    classification: str = "confidential"
    copies: int = 1
    scope_of_use: str
    location: str
    check_interval_days: int = 90


class DocumentRegisterPatch(Schema):
    reference: str | None = None
    title: str | None = None
    category: str | None = None
    classification: str | None = None
    copies: int | None = None
    scope_of_use: str | None = None
    location: str | None = None
    check_interval_days: int | None = None


class CheckIn(Schema):
    copies_found: int
    note: str = ""


class CheckOut(Schema):
    id: int
    checked_at: datetime
    copies_found: int
    result: str
    note: str
    signed_by: int | None = None

    @staticmethod
    def resolve_signed_by(obj):
        return obj.signed_by_id


def _document_register(*, actor, site, keeper, **data):
    return custody.document_register(
        site=_site(site), keeper=_employee(actor, keeper, "keeper"), actor=actor, **data
    )


register_crud(
    router,
    ConfidentialDocument,
    path="documents",
    out_schema=DocumentRegisterOut,
    in_schema=DocumentRegisterIn,
    patch_schema=DocumentRegisterPatch,
    filterset=ConfidentialDocumentFilter,
    create=_document_register,
    update=lambda *, instance, actor, **data: custody.document_update(
        document=instance, actor=actor, **data
    ),
)


@router.post(
    "/documents/{int:pk}/check",
    response={201: CheckOut},
    operation_id="registers_custodycheck_create",
    summary="Record (and sign) a periodic check of a document",
)
def document_check(request, pk: int, payload: CheckIn):
    require_perm(request, ConfidentialDocument, "view")
    require_perm(request, CustodyCheck, "add")
    check = custody.document_check_record(
        document=get_or_404(request, ConfidentialDocument, pk), actor=request.user, **payload.dict()
    )
    return Status(201, check)


class ItemOut(ModelSchema):
    class Meta:
        model = CustodyHandoverItem
        fields = ["id", "document", "copies_expected", "copies_counted", "condition", "note"]


class HandoverOut(ModelSchema):
    items: list[ItemOut]
    state: str

    class Meta:
        model = CustodyHandover
        fields = [
            "id",
            "site",
            "from_keeper",
            "to_keeper",
            "handover_at",
            "notes",
            "outgoing_signed_at",
            "outgoing_signed_by",
            "incoming_signed_at",
            "incoming_signed_by",
            "signed_at",
            "amends",
        ]

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.all())

    @staticmethod
    def resolve_state(obj):
        return str(obj.state())


class HandoverIn(Schema):
    site: int
    from_keeper: int
    to_keeper: int
    handover_at: datetime
    documents: list[int] | None = None
    notes: str = ""


class CountIn(Schema):
    copies_counted: int
    note: str = ""


class SignIn(Schema):
    side: str


class AmendIn(Schema):
    notes: str


register_crud(
    router,
    CustodyHandover,
    path="custody-handovers",
    out_schema=HandoverOut,
    filterset=CustodyHandoverFilter,
    archive=False,
)


@router.post(
    "/custody-handovers/",
    response={201: HandoverOut},
    operation_id="registers_custodyhandover_create",
    summary="Open a custody handover between two keepers",
)
def handover_open(request, payload: HandoverIn):
    require_perm(request, CustodyHandover, "add")
    documents = (
        resolve_pks(
            ConfidentialDocument.objects.restrict(request.user, "view"),
            payload.documents,
            "documents",
        )
        if payload.documents
        else None
    )
    handover = custody.custody_handover_open(
        site=_site(payload.site),
        from_keeper=_employee(request.user, payload.from_keeper, "from_keeper"),
        to_keeper=_employee(request.user, payload.to_keeper, "to_keeper"),
        handover_at=payload.handover_at,
        documents=documents,
        notes=payload.notes,
        actor=request.user,
    )
    return Status(201, handover)


@router.post(
    "/custody-items/{int:pk}/count",
    response=ItemOut,
    operation_id="registers_custodyhandoveritem_count",
    summary="Record the count of one inventory item",
)
def item_count(request, pk: int, payload: CountIn):
    require_perm(request, CustodyHandover, "view")
    item = CustodyHandoverItem.objects.filter(pk=pk).first()
    if item is None:
        raise HttpError(404, not_found(CustodyHandoverItem._meta.verbose_name, pk))
    get_or_404(request, CustodyHandover, item.handover_id)
    return custody.custody_item_count(item=item, actor=request.user, **payload.dict())


@router.post(
    "/custody-handovers/{int:pk}/sign",
    response=HandoverOut,
    operation_id="registers_custodyhandover_sign",
    summary="Sign one side of a custody handover, as yourself",
)
def handover_sign(request, pk: int, payload: SignIn):
    require_perm(request, CustodyHandover, "view")
    return custody.custody_handover_sign(
        handover=get_or_404(request, CustodyHandover, pk), side=payload.side, actor=request.user
    )


@router.post(
    "/custody-handovers/{int:pk}/amend",
    response={201: HandoverOut},
    operation_id="registers_custodyhandover_amend",
    summary="Amend a signed custody handover",
)
def handover_amend(request, pk: int, payload: AmendIn):
    require_perm(request, CustodyHandover, "change")
    amendment = custody.custody_handover_amend(
        handover=get_or_404(request, CustodyHandover, pk), notes=payload.notes, actor=request.user
    )
    return Status(201, amendment)


class LinkOut(ModelSchema):
    class Meta:
        model = DisciplineLink
        fields = [
            "id",
            "content_type",
            "object_id",
            "object_repr",
            "note",
            "linked_by",
            "created_at",
        ]


class LeakOut(ModelSchema):
    people_involved: list[int]
    links: list[LinkOut]

    class Meta:
        model = LeakReport
        fields = [
            "id",
            "site",
            "kind",
            "document",
            "occurred_at",
            "reported_by",
            "description",
            "status",
            "handling",
            "handled_by",
            "signed_at",
        ]

    @staticmethod
    def resolve_people_involved(obj):
        return list(obj.people_involved.values_list("pk", flat=True))

    @staticmethod
    def resolve_links(obj):
        return list(obj.links.all())


class LeakIn(Schema):
    site: int
    kind: str
    occurred_at: datetime
    description: str
    document: int | None = None
    people_involved: list[int] = []


class HandlingIn(Schema):
    handling: str
    close: bool = False


class LinkIn(Schema):
    content_type: str
    object_id: int
    note: str = ""


register_crud(
    router, LeakReport, path="leaks", out_schema=LeakOut, filterset=LeakReportFilter, archive=False
)


@router.post(
    "/leaks/",
    response={201: LeakOut},
    operation_id="registers_leakreport_create",
    summary="Report a leak, or material taken out or lost",
)
def leak_file(request, payload: LeakIn):
    require_perm(request, LeakReport, "add")
    report = custody.leak_report_file(
        site=_site(payload.site),
        kind=payload.kind,
        occurred_at=payload.occurred_at,
        description=payload.description,
        document=resolve_pk(
            ConfidentialDocument,
            payload.document,
            "document",
            ConfidentialDocument.objects.restrict(request.user, "view"),
        ),
        people_involved=resolve_pks(
            Employee.objects.restrict(request.user, "view"),
            payload.people_involved,
            "people_involved",
        ),
        actor=request.user,
    )
    return Status(201, report)


@router.post(
    "/leaks/{int:pk}/handle",
    response=LeakOut,
    operation_id="registers_leakreport_handle",
    summary="Record the handling of a leak report (and close it, signed)",
)
def leak_handle(request, pk: int, payload: HandlingIn):
    require_perm(request, LeakReport, "change")
    report = get_or_404(request, LeakReport, pk, "change")
    if payload.close:
        return custody.leak_report_close(
            report=report, handling=payload.handling, actor=request.user
        )
    return custody.leak_report_handle(report=report, handling=payload.handling, actor=request.user)


@router.post(
    "/leaks/{int:pk}/links",
    response={201: LinkOut},
    operation_id="registers_disciplinelink_create",
    summary="Link a leak report to a discipline record (content_type: app.model)",
)
def leak_link(request, pk: int, payload: LinkIn):
    require_perm(request, LeakReport, "change")
    link = custody.leak_report_link(
        report=get_or_404(request, LeakReport, pk, "change"), actor=request.user, **payload.dict()
    )
    return Status(201, link)


# --- rest room -------------------------------------------------------------------------------


class RestRoomOut(ModelSchema):
    class Meta:
        model = RestRoom
        fields = [
            "id",
            "site",
            "name",
            "location",
            "capacity",
            "weekly_cleaning_day",
            "rules",
            "archived_at",
        ]


class RestRoomIn(Schema):
    site: int
    name: str
    location: str
    capacity: int = 6
    weekly_cleaning_day: int = 4
    rules: str = ""


class RestRoomPatch(Schema):
    name: str | None = None
    location: str | None = None
    capacity: int | None = None
    weekly_cleaning_day: int | None = None
    rules: str | None = None


register_crud(
    router,
    RestRoom,
    path="rest-rooms",
    out_schema=RestRoomOut,
    in_schema=RestRoomIn,
    patch_schema=RestRoomPatch,
    filterset=RestRoomFilter,
)


class DutyOut(ModelSchema):
    state: str

    class Meta:
        model = CleaningDuty
        fields = ["id", "room", "kind", "due_date", "assignee", "note", "signed_at", "signed_by"]

    @staticmethod
    def resolve_state(obj):
        return str(obj.state())


class RotaIn(Schema):
    start: date
    days: int
    assignees: list[int]


class RotaOut(Schema):
    added: int


class ReassignIn(Schema):
    assignee: int


register_crud(
    router,
    CleaningDuty,
    path="cleaning",
    out_schema=DutyOut,
    filterset=CleaningDutyFilter,
    archive=False,
)


@router.post(
    "/rest-rooms/{int:pk}/rota",
    response=RotaOut,
    operation_id="registers_restroom_rota",
    summary="Plan the cleaning rota of a rest room",
)
def rota(request, pk: int, payload: RotaIn):
    require_perm(request, CleaningDuty, "add")
    added = restroom.cleaning_rota_generate(
        room=get_or_404(request, RestRoom, pk),
        start=payload.start,
        days=payload.days,
        assignees=resolve_pks(
            Employee.objects.restrict(request.user, "view"), payload.assignees, "assignees"
        ),
        actor=request.user,
    )
    return {"added": added}


@router.post(
    "/cleaning/{int:pk}/sign-off",
    response=DutyOut,
    operation_id="registers_cleaningduty_sign_off",
    summary="Sign your cleaning off as done",
)
def duty_sign_off(request, pk: int, payload: NoteIn):
    require_perm(request, CleaningDuty, "view")
    return restroom.cleaning_duty_sign_off(
        duty=get_or_404(request, CleaningDuty, pk), note=payload.note, actor=request.user
    )


@router.post(
    "/cleaning/{int:pk}/reassign",
    response=DutyOut,
    operation_id="registers_cleaningduty_reassign",
    summary="Give a cleaning to someone else",
)
def duty_reassign(request, pk: int, payload: ReassignIn):
    require_perm(request, CleaningDuty, "change")
    return restroom.cleaning_duty_reassign(
        duty=get_or_404(request, CleaningDuty, pk, "change"),
        assignee=_employee(request.user, payload.assignee, "assignee"),
        actor=request.user,
    )
