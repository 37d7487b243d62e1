from django.urls import path

from ccops.core.generic import crud_urls
from ccops.incidents import views
from ccops.incidents.models import Playbook

app_name = "incidents"

urlpatterns = [
    *crud_urls(
        Playbook,
        list=views.PlaybookListView,
        detail=views.PlaybookDetailView,
        prefix="playbooks",
    ),
    path("playbooks/<int:pk>/edit/", views.PlaybookFormView.as_view(), name="playbook_edit"),
    path("", views.IncidentListView.as_view(), name="incident_list"),
    path("declare/", views.IncidentDeclareView.as_view(), name="incident_add"),
    path("<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("<int:pk>/update/", views.incident_update, name="incident_update"),
    path("<int:pk>/assign/", views.incident_assign, name="incident_assign"),
    path("<int:pk>/recover/", views.incident_recover, name="incident_recover"),
    path("<int:pk>/meeting/", views.incident_meeting, name="incident_meeting"),
    path("<int:pk>/records/", views.incident_records, name="incident_records"),
    path("<int:pk>/account/", views.incident_account, name="incident_account"),
    path("<int:pk>/fault/", views.incident_fault, name="incident_fault"),
    path("<int:pk>/follow-up/", views.incident_followup, name="incident_followup"),
    path("<int:pk>/close/", views.incident_close, name="incident_close"),
    path("<int:pk>/acknowledge/", views.incident_acknowledge, name="incident_acknowledge"),
    path("<int:pk>/surge/", views.incident_surge, name="incident_surge"),
    path("steps/<int:pk>/tick/", views.step_tick, name="incidentstep_tick"),
    path("archive/", views.FaultRecordListView.as_view(), name="faultrecord_list"),
    path("archive/report/", views.FaultReportView.as_view(), name="fault_report"),
    path(
        "acknowledgements/",
        views.AcknowledgementListView.as_view(),
        name="acknowledgement_list",
    ),
    path(
        "acknowledgements/<int:pk>/record/",
        views.acknowledgement_record,
        name="acknowledgement_record",
    ),
    path("surges/<int:pk>/", views.SurgePlanDetailView.as_view(), name="surgeplan_detail"),
    path("surges/<int:pk>/freeze-leave/", views.surge_freeze, name="surgeplan_freeze"),
    path("surges/<int:pk>/move/", views.surge_move, name="surgeplan_move"),
    path("surges/<int:pk>/call-in/", views.surge_callin, name="surgeplan_callin"),
    path("call-in/", views.CallInOfferListView.as_view(), name="callinoffer_list"),
    path("call-in/<int:pk>/respond/", views.callin_respond, name="callinoffer_respond"),
]
