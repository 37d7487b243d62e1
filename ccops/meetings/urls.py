from django.urls import path

from ccops.core.generic import crud_urls
from ccops.meetings import views
from ccops.meetings.models import ActionItem, ExperienceExchange, Meeting

app_name = "meetings"

urlpatterns = [
    *crud_urls(
        Meeting,
        list=views.MeetingListView,
        detail=views.MeetingDetailView,
        form=views.MeetingFormView,
        archive=views.MeetingArchiveView,
    ),
    *crud_urls(
        ActionItem,
        prefix="actions",
        list=views.ActionItemListView,
        detail=views.ActionItemDetailView,
        form=views.ActionItemFormView,
        archive=views.ActionItemArchiveView,
    ),
    path("actions/<int:pk>/progress/", views.action_item_progress, name="actionitem_progress"),
    path("actions/<int:pk>/close/", views.action_item_close, name="actionitem_close"),
    path(
        "emergency-requests/",
        views.EmergencyMeetingRequestListView.as_view(),
        name="emergencymeetingrequest_list",
    ),
    path(
        "emergency-requests/add/",
        views.EmergencyMeetingRequestFormView.as_view(),
        name="emergencymeetingrequest_add",
    ),
    path(
        "emergency-requests/<int:pk>/",
        views.EmergencyMeetingRequestDetailView.as_view(),
        name="emergencymeetingrequest_detail",
    ),
    path(
        "emergency-requests/<int:pk>/decide/",
        views.emergency_request_decide,
        name="emergencymeetingrequest_decide",
    ),
    *crud_urls(
        ExperienceExchange,
        prefix="exchanges",
        list=views.ExperienceExchangeListView,
        detail=views.ExperienceExchangeDetailView,
        form=views.ExperienceExchangeFormView,
        archive=views.ExperienceExchangeArchiveView,
    ),
    path("exchanges/<int:pk>/lessons/", views.experience_lesson_add, name="experiencelesson_add"),
]
