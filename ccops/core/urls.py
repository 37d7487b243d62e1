from django.urls import path

from ccops.core import links, views
from ccops.core.generic import crud_urls
from ccops.core.models import CalendarPeriod, Queue, Site

app_name = "core"

urlpatterns = [
    *crud_urls(
        Site,
        list=views.SiteListView,
        detail=views.SiteDetailView,
        form=views.SiteFormView,
        archive=views.SiteArchiveView,
    ),
    *crud_urls(
        Queue,
        list=views.QueueListView,
        detail=views.QueueDetailView,
        form=views.QueueFormView,
        archive=views.QueueArchiveView,
    ),
    *crud_urls(
        CalendarPeriod,
        prefix="calendar",
        list=views.CalendarPeriodListView,
        detail=views.CalendarPeriodDetailView,
        form=views.CalendarPeriodFormView,
        archive=views.CalendarPeriodArchiveView,
    ),
    path("audit/", views.AuditEntryListView.as_view(), name="auditentry_list"),
    path("audit/<int:pk>/", views.AuditEntryDetailView.as_view(), name="auditentry_detail"),
    path("tasks/", views.JobListView.as_view(), name="job_list"),
    path("tasks/<int:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("tasks/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("tasks/<int:pk>/download/", views.job_download, name="job_download"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("account/", views.account, name="account"),
    path("record-options/", links.record_options, name="record_options"),
    path("account/tokens/<int:pk>/revoke/", views.api_token_revoke, name="apitoken_revoke"),
]
