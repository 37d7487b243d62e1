from django.urls import path

from ccops.core.generic import crud_urls
from ccops.knowledge.models import Category, Department, Synonym
from ccops.knowledge.views import articles as a
from ccops.knowledge.views import cases as c
from ccops.knowledge.views import manual as m
from ccops.knowledge.views import reference as r

app_name = "knowledge"

urlpatterns = [
    path("search/", a.search_page, name="search"),
    # difficult cases
    path("cases/", c.DifficultCaseListView.as_view(), name="difficultcase_list"),
    path("cases/add/", c.DifficultCaseFormView.as_view(), name="difficultcase_add"),
    path("cases/<int:pk>/", c.DifficultCaseDetailView.as_view(), name="difficultcase_detail"),
    path("cases/<int:pk>/answer/", c.case_answer, name="difficultcase_answer"),
    path("cases/<int:pk>/escalate/", c.case_escalate, name="difficultcase_escalate"),
    path("cases/<int:pk>/follow-up/", c.case_follow_up, name="difficultcase_follow_up"),
    path("cases/<int:pk>/close/", c.case_close, name="difficultcase_close"),
    path("cases/<int:pk>/merge/", c.case_merge, name="difficultcase_merge"),
    path("cases/<int:pk>/article/", c.case_to_article, name="difficultcase_article"),
    # articles and revisions
    path("articles/", a.ArticleListView.as_view(), name="article_list"),
    path("articles/add/", a.ArticleFormView.as_view(), name="article_add"),
    path("articles/<int:pk>/", a.ArticleDetailView.as_view(), name="article_detail"),
    path("articles/<int:pk>/edit/", a.ArticleFormView.as_view(), name="article_edit"),
    path("articles/<int:pk>/archive/", a.article_archive, name="article_archive"),
    path("articles/<int:pk>/restore/", a.article_restore, name="article_restore"),
    path("articles/<int:pk>/verify/", a.article_verify, name="article_verify"),
    path("articles/<int:pk>/revise/", a.revision_start, name="article_revise"),
    path("articles/<int:pk>/question/", a.article_question, name="article_question"),
    path(
        "revisions/<int:pk>/",
        a.ArticleRevisionDetailView.as_view(),
        name="articlerevision_detail",
    ),
    path("revisions/<int:pk>/edit/", a.RevisionEditView.as_view(), name="articlerevision_edit"),
    path("revisions/<int:pk>/submit/", a.revision_submit, name="articlerevision_submit"),
    path("revisions/<int:pk>/review/", a.revision_review, name="articlerevision_review"),
    path("links/add/", a.link_add, name="articlelink_add"),
    path("links/<int:pk>/remove/", a.link_remove, name="articlelink_remove"),
    # the service manual
    path("manual/", m.ManualEditionListView.as_view(), name="manualedition_list"),
    path("manual/add/", m.ManualEditionFormView.as_view(), name="manualedition_add"),
    path("manual/<int:pk>/", m.ManualEditionDetailView.as_view(), name="manualedition_detail"),
    path("manual/<int:pk>/pdf/", m.edition_pdf, name="manualedition_pdf"),
    path("manual/<int:pk>/publish/", m.edition_publish, name="manualedition_publish"),
    path("manual/<int:pk>/acknowledge/", m.edition_acknowledge, name="manualedition_acknowledge"),
    path(
        "manual/<int:pk>/archive/",
        m.ManualEditionArchiveView.as_view(),
        name="manualedition_archive",
    ),
    # reference data
    *crud_urls(
        Category,
        prefix="categories",
        list=r.CategoryListView,
        detail=r.CategoryDetailView,
        form=r.CategoryFormView,
        archive=r.CategoryArchiveView,
    ),
    *crud_urls(
        Synonym,
        prefix="synonyms",
        list=r.SynonymListView,
        detail=r.SynonymDetailView,
        form=r.SynonymFormView,
        archive=r.SynonymArchiveView,
    ),
    *crud_urls(
        Department,
        prefix="departments",
        list=r.DepartmentListView,
        detail=r.DepartmentDetailView,
        form=r.DepartmentFormView,
        archive=r.DepartmentArchiveView,
    ),
]
