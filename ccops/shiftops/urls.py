from django.urls import path

from ccops.core.generic import crud_urls
from ccops.shiftops import views, views_attendance
from ccops.shiftops.models import (
    Briefing,
    ChecklistItemTemplate,
    DutyDiaryEntry,
    Handover,
    HandoverQuestion,
    HandoverTime,
)

app_name = "shiftops"

urlpatterns = [
    *crud_urls(
        Handover,
        list=views.HandoverListView,
        detail=views.HandoverDetailView,
        form=views.HandoverFormView,
        archive=views.HandoverArchiveView,
    ),
    path("handovers/<int:pk>/sign/", views.handover_sign, name="handover_sign"),
    path("handovers/<int:pk>/amend/", views.handover_amend, name="handover_amend"),
    path("handovers/<int:pk>/ask/", views.handover_question_ask, name="handover_ask"),
    path("checks/<int:pk>/", views.handover_check_set, name="handovercheck_set"),
    path("answers/<int:pk>/", views.handover_answer_record, name="handoveranswer_record"),
    *crud_urls(
        DutyDiaryEntry,
        prefix="diary",
        list=views.DutyDiaryEntryListView,
        detail=views.DutyDiaryEntryDetailView,
        form=views.DutyDiaryEntryFormView,
        archive=views.DutyDiaryEntryArchiveView,
    ),
    *crud_urls(
        Briefing,
        list=views.BriefingListView,
        detail=views.BriefingDetailView,
        form=views.BriefingFormView,
        archive=views.BriefingArchiveView,
    ),
    *crud_urls(
        HandoverTime,
        prefix="handover-times",
        list=views.HandoverTimeListView,
        detail=views.HandoverTimeDetailView,
        form=views.HandoverTimeFormView,
        archive=views.HandoverTimeArchiveView,
    ),
    *crud_urls(
        ChecklistItemTemplate,
        prefix="checklist",
        list=views.ChecklistItemTemplateListView,
        detail=views.ChecklistItemTemplateDetailView,
        form=views.ChecklistItemTemplateFormView,
        archive=views.ChecklistItemTemplateArchiveView,
    ),
    *crud_urls(
        HandoverQuestion,
        prefix="questions",
        list=views.HandoverQuestionListView,
        detail=views.HandoverQuestionDetailView,
        form=views.HandoverQuestionFormView,
        archive=views.HandoverQuestionArchiveView,
    ),
    path(
        "attendance/",
        views_attendance.AttendanceRecordListView.as_view(),
        name="attendancerecord_list",
    ),
    path(
        "attendance/<int:pk>/",
        views_attendance.AttendanceRecordDetailView.as_view(),
        name="attendancerecord_detail",
    ),
    path(
        "attendance/<int:pk>/edit/",
        views_attendance.AttendanceRecordCorrectView.as_view(),
        name="attendancerecord_edit",
    ),
    path("attendance/clock/", views_attendance.attendance_clock, name="attendance_clock"),
    path("attendance/settle/", views_attendance.attendance_settle, name="attendance_settle"),
]
