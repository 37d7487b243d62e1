from django.urls import path

from ccops.core.generic import crud_urls
from ccops.processes import views
from ccops.processes.models import Process

app_name = "processes"

urlpatterns = [
    *crud_urls(
        Process,
        prefix="register",
        list=views.ProcessListView,
        detail=views.ProcessDetailView,
        form=views.ProcessFormView,
        archive=views.ProcessArchiveView,
    ),
    path("register/<int:pk>/versions/add/", views.version_add, name="processversion_add"),
    path(
        "versions/<int:pk>/", views.ProcessVersionDetailView.as_view(), name="processversion_detail"
    ),
    path(
        "versions/<int:pk>/edit/",
        views.ProcessVersionFormView.as_view(),
        name="processversion_edit",
    ),
    path("versions/<int:pk>/submit/", views.version_submit, name="processversion_submit"),
    path("versions/<int:pk>/review/", views.version_review, name="processversion_review"),
    path("projects/board/", views.project_board, name="improvementproject_board"),
    path("projects/", views.ImprovementProjectListView.as_view(), name="improvementproject_list"),
    path(
        "projects/add/", views.ImprovementProjectFormView.as_view(), name="improvementproject_add"
    ),
    path(
        "projects/<int:pk>/",
        views.ImprovementProjectDetailView.as_view(),
        name="improvementproject_detail",
    ),
    path(
        "projects/<int:pk>/archive/",
        views.ImprovementProjectArchiveView.as_view(),
        name="improvementproject_archive",
    ),
    path("projects/<int:pk>/step/", views.project_step_save, name="improvementproject_step"),
    path("projects/<int:pk>/measure/", views.project_measure, name="improvementproject_measure"),
    path("projects/<int:pk>/evidence/", views.project_evidence_record, name="evidence_add"),
    path(
        "projects/<int:pk>/evidence/statistics/",
        views.project_evidence_stats,
        name="evidence_add_statistics",
    ),
    path(
        "projects/<int:pk>/countermeasures/",
        views.project_countermeasure,
        name="countermeasure_add",
    ),
    path("projects/<int:pk>/standardise/", views.project_standardise, name="standardisation_add"),
    path(
        "projects/<int:pk>/standardise/version/",
        views.project_standardise_version,
        name="standardisation_add_version",
    ),
    path("projects/<int:pk>/advance/", views.project_advance, name="improvementproject_advance"),
    path("projects/<int:pk>/cancel/", views.project_cancel, name="improvementproject_cancel"),
]
