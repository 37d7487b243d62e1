from django.urls import path

from ccops.core.generic import crud_urls
from ccops.registers.models import (
    ConfidentialDocument,
    DisclosureRequest,
    RestrictedArea,
    RestRoom,
    Visit,
)
from ccops.registers.views import areas, custody, disclosure, restroom, visitors

app_name = "registers"

urlpatterns = [
    # visitors
    path("visits/on-site/", visitors.visit_on_site, name="visit_on_site"),
    path("visits/walk-in/", visitors.VisitWalkInView.as_view(), name="visit_walk_in"),
    *crud_urls(
        Visit,
        list=visitors.VisitListView,
        detail=visitors.VisitDetailView,
        form=visitors.VisitFormView,
    ),
    path("visits/<int:pk>/decide/", visitors.visit_decide, name="visit_decide"),
    path("visits/<int:pk>/check-in/", visitors.visit_check_in, name="visit_check_in"),
    path("visits/<int:pk>/check-out/", visitors.visit_check_out, name="visit_check_out"),
    path("visits/<int:pk>/cancel/", visitors.visit_cancel, name="visit_cancel"),
    # restricted areas
    *crud_urls(
        RestrictedArea,
        prefix="areas",
        list=areas.RestrictedAreaListView,
        detail=areas.RestrictedAreaDetailView,
        form=areas.RestrictedAreaFormView,
        archive=areas.RestrictedAreaArchiveView,
    ),
    path(
        "authorizations/",
        areas.AreaAuthorizationListView.as_view(),
        name="areaauthorization_list",
    ),
    path(
        "authorizations/add/",
        areas.AreaAuthorizationFormView.as_view(),
        name="areaauthorization_add",
    ),
    path(
        "authorizations/<int:pk>/",
        areas.AreaAuthorizationDetailView.as_view(),
        name="areaauthorization_detail",
    ),
    path(
        "authorizations/<int:pk>/revoke/",
        areas.authorization_revoke,
        name="areaauthorization_revoke",
    ),
    path("area-log/", areas.AreaAccessListView.as_view(), name="areaaccess_list"),
    path("area-log/add/", areas.AreaEntryFormView.as_view(), name="areaaccess_add"),
    path("area-log/<int:pk>/", areas.AreaAccessDetailView.as_view(), name="areaaccess_detail"),
    path("area-log/<int:pk>/decide/", areas.area_entry_decide, name="areaaccess_decide"),
    path("area-log/<int:pk>/exit/", areas.area_exit, name="areaaccess_exit"),
    path("area-reviews/", areas.AreaAccessReviewListView.as_view(), name="areaaccessreview_list"),
    path("area-reviews/add/", areas.review_open, name="areaaccessreview_add"),
    path(
        "area-reviews/<int:pk>/",
        areas.AreaAccessReviewDetailView.as_view(),
        name="areaaccessreview_detail",
    ),
    path("area-reviews/<int:pk>/sign/", areas.review_sign, name="areaaccessreview_sign"),
    path("area-reviews/<int:pk>/amend/", areas.review_amend, name="areaaccessreview_amend"),
    # customer-data disclosure
    path("disclosures/report/", disclosure.disclosure_report, name="disclosure_report"),
    *crud_urls(
        DisclosureRequest,
        prefix="disclosures",
        list=disclosure.DisclosureListView,
        detail=disclosure.DisclosureDetailView,
        form=disclosure.DisclosureFormView,
    ),
    path(
        "disclosures/<int:pk>/upload/",
        disclosure.disclosure_upload,
        name="disclosurerequest_upload",
    ),
    path(
        "disclosures/<int:pk>/verify/",
        disclosure.disclosure_verify,
        name="disclosurerequest_verify",
    ),
    path(
        "disclosures/<int:pk>/decide/",
        disclosure.disclosure_decide,
        name="disclosurerequest_decide",
    ),
    path(
        "disclosures/<int:pk>/release/",
        disclosure.disclosure_release,
        name="disclosurerequest_release",
    ),
    path(
        "disclosures/<int:pk>/fulfil/",
        disclosure.disclosure_fulfil,
        name="disclosurerequest_fulfil",
    ),
    path(
        "disclosures/<int:pk>/close/", disclosure.disclosure_close, name="disclosurerequest_close"
    ),
    path(
        "disclosures/documents/<int:pk>/",
        disclosure.disclosure_document,
        name="disclosuredocument_download",
    ),
    # confidential documents
    *crud_urls(
        ConfidentialDocument,
        prefix="documents",
        list=custody.ConfidentialDocumentListView,
        detail=custody.ConfidentialDocumentDetailView,
        form=custody.ConfidentialDocumentFormView,
        archive=custody.ConfidentialDocumentArchiveView,
    ),
    path("documents/<int:pk>/check/", custody.document_check, name="confidentialdocument_check"),
    path(
        "custody-handovers/",
        custody.CustodyHandoverListView.as_view(),
        name="custodyhandover_list",
    ),
    path(
        "custody-handovers/add/",
        custody.CustodyHandoverFormView.as_view(),
        name="custodyhandover_add",
    ),
    path(
        "custody-handovers/<int:pk>/",
        custody.CustodyHandoverDetailView.as_view(),
        name="custodyhandover_detail",
    ),
    path("custody-handovers/<int:pk>/sign/", custody.custody_sign, name="custodyhandover_sign"),
    path("custody-handovers/<int:pk>/amend/", custody.custody_amend, name="custodyhandover_amend"),
    path(
        "custody-items/<int:pk>/count/",
        custody.custody_item_count,
        name="custodyhandoveritem_count",
    ),
    path("leaks/", custody.LeakReportListView.as_view(), name="leakreport_list"),
    path("leaks/add/", custody.LeakReportFormView.as_view(), name="leakreport_add"),
    path("leaks/<int:pk>/", custody.LeakReportDetailView.as_view(), name="leakreport_detail"),
    path("leaks/<int:pk>/handle/", custody.leak_handle, name="leakreport_handle"),
    path("leaks/<int:pk>/link/", custody.leak_link, name="leakreport_link"),
    # rest room
    *crud_urls(
        RestRoom,
        prefix="rest-rooms",
        list=restroom.RestRoomListView,
        detail=restroom.RestRoomDetailView,
        form=restroom.RestRoomFormView,
        archive=restroom.RestRoomArchiveView,
    ),
    path("rest-rooms/<int:pk>/rota/", restroom.rota_generate, name="restroom_rota"),
    path("cleaning/", restroom.CleaningDutyListView.as_view(), name="cleaningduty_list"),
    path(
        "cleaning/<int:pk>/", restroom.CleaningDutyDetailView.as_view(), name="cleaningduty_detail"
    ),
    path("cleaning/<int:pk>/sign-off/", restroom.cleaning_sign_off, name="cleaningduty_sign_off"),
    path("cleaning/<int:pk>/reassign/", restroom.cleaning_reassign, name="cleaningduty_reassign"),
]
