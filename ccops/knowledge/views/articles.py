"""Pages of the knowledge base: search, articles, their revisions (edit, submit, review,
diff), re-verification, archive, links to other records, questions for the bank."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from ccops.core import formats
from ccops.core.generic import (
    ModelPermissionMixin,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
)
from ccops.core.permissions import all_rows, can, check_model_perm, missing_permission, not_found
from ccops.knowledge import forms, search
from ccops.knowledge.choices import ArticleState, RevisionStatus
from ccops.knowledge.filters import ArticleFilter
from ccops.knowledge.models import Article, ArticleLink, ArticleRevision
from ccops.knowledge.services import articles
from ccops.knowledge.views.cases import refused


def _article(request, pk) -> Article:
    check_model_perm(request.user, Article, "view")
    article = articles.articles_for(request.user).filter(pk=pk).first()
    if article is None:
        raise Http404(not_found(Article._meta.verbose_name, pk))
    return article


# --- search ----------------------------------------------------------------------------------


def search_page(request):
    """The search of the knowledge base (the top bar's box lands here)."""
    check_model_perm(request.user, Article, "view")
    form = forms.SearchForm(request.GET or None)
    states = articles.readable_states(request.user)
    if not (articles.is_editor(request.user) or articles.is_reviewer(request.user)):
        form.fields.pop("state")
    page = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        chosen = data.get("state")
        category = data.get("category")
        page = search.search(
            data["q"],
            states=(chosen,) if chosen and chosen in states else (ArticleState.PUBLISHED,),
            category_ids=[category.pk] if category else None,
            visibility=data.get("visibility") or None,
            page=data.get("page") or 1,
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "knowledge/search.html",
        {
            "form": form,
            "result": page,
            "query_string": query.urlencode(),
            "title": _("Search"),
            "link_target": _link_target(request),
        },
    )


def _record(label: str, pk) -> object | None:
    """The record ``label`` (``app_label.model_name``) ``pk``, or None."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    if not str(pk).isdigit():
        return None
    return all_rows(model).filter(pk=pk).first()


def _link_target(request):
    """The record the search is finding an article for (``?link_type=&link_id=``)."""
    label, pk = request.GET.get("link_type"), request.GET.get("link_id")
    if not (label and pk) or not request.user.has_perm("knowledge.add_articlelink"):
        return None
    target = _record(label, pk)
    if target is None or not can(request.user, target, "view"):
        return None
    return {"object": target, "type": label, "id": target.pk}


# --- articles --------------------------------------------------------------------------------


class ArticleListView(ObjectListView):
    model = Article
    filterset_class = ArticleFilter
    template_name = "knowledge/article_list.html"
    paginate_by = 30

    def get_queryset(self):
        rows = articles.articles_for(self.request.user).select_related("category", "owner")
        if self.request.GET.get("state") != ArticleState.ARCHIVED:
            rows = rows.exclude(state=ArticleState.ARCHIVED)
        return rows

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        if not (articles.is_editor(self.request.user) or articles.is_reviewer(self.request.user)):
            filterset.form.fields.pop("state", None)
            filterset.form.fields.pop("review_due", None)
        return filterset


class ArticleDetailView(ObjectDetailView):
    model = Article
    template_name = "knowledge/article_detail.html"
    fields = [
        "category",
        "state",
        "visibility",
        "owner",
        "verified_on",
        "next_review_on",
        "review_interval_days",
    ]

    def get_queryset(self):
        return articles.articles_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article, user = self.object, self.request.user
        editor, reviewer = articles.is_editor(user), articles.is_reviewer(user)
        shown = search.indexed_revision(article) if (editor or reviewer) else article.live_revision
        pending = articles.open_revision(article)
        context.update(
            revision=shown,
            pending=pending,
            revisions=article.revisions.select_related("author", "reviewed_by")
            if (editor or reviewer)
            else None,
            editor=editor,
            reviewer=reviewer,
            can_verify=article.state == ArticleState.PUBLISHED
            and (reviewer or article.owner.user_id == user.pk),
            can_question=article.state == ArticleState.PUBLISHED
            and user.has_perm("shiftops.add_handoverquestion"),
            linked=[link for link in article.links.select_related("target_type") if link.target],
            source_cases=article.source_cases.all(),
            verify_form=forms.VerifyForm(),
            archived=article.state == ArticleState.ARCHIVED,
        )
        context["can_change"] = editor and article.state != ArticleState.ARCHIVED
        context["can_archive"] = False  # the article's own archive button (a service)
        return context


class ArticleFormView(ObjectFormView):
    model = Article

    def get_form_class(self):
        return forms.ArticleMetaForm if self.object else forms.ArticleForm

    def save(self, form):
        data = dict(form.cleaned_data)
        if self.object is None:
            return articles.article_create(actor=self.request.user, **data)
        changed = {name: data[name] for name in form.changed_data}
        return articles.article_update(article=self.object, actor=self.request.user, **changed)


@require_POST
def article_archive(request, pk):
    check_model_perm(request.user, Article, "delete")
    article = _article(request, pk)
    try:
        articles.article_archive(article=article, actor=request.user)
        messages.success(request, _("Archived: %(obj)s") % {"obj": article})
    except ValidationError as exc:
        refused(request, exc)
    return redirect(article.get_absolute_url())


@require_POST
def article_restore(request, pk):
    check_model_perm(request.user, Article, "delete")
    article = _article(request, pk)
    try:
        articles.article_restore(article=article, actor=request.user)
        messages.success(request, _("Restored: %(obj)s") % {"obj": article})
    except ValidationError as exc:
        refused(request, exc)
    return redirect(article.get_absolute_url())


@require_POST
def article_verify(request, pk):
    article = _article(request, pk)
    form = forms.VerifyForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        verified = articles.article_verify(article=article, note=note, actor=request.user)
        messages.success(
            request,
            _("Verified: the next review is due %(date)s.")
            % {"date": formats.format_date(verified.next_review_on)},
        )
    except ValidationError as exc:
        refused(request, exc)
    return redirect(article.get_absolute_url())


@require_POST
def revision_start(request, pk):
    check_model_perm(request.user, ArticleRevision, "add")
    article = _article(request, pk)
    try:
        revision = articles.revision_start(article=article, actor=request.user)
    except ValidationError as exc:
        refused(request, exc)
        return redirect(article.get_absolute_url())
    return redirect(reverse("knowledge:articlerevision_edit", args=[revision.pk]))


def article_question(request, pk):
    """A trainer turns an article into a question of the handover question bank."""
    article = _article(request, pk)
    if not request.user.has_perm("shiftops.add_handoverquestion"):
        raise PermissionDenied(missing_permission("shiftops.add_handoverquestion"))
    revision = article.live_revision
    form = forms.QuestionForm(
        request.POST or None,
        initial={
            "question": article.title,
            "expected_answer": revision.body[:1500] if revision else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            question = articles.article_to_question(
                article=article, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Added to the question bank: %(q)s") % {"q": question})
            return redirect(article.get_absolute_url())
    return render(
        request,
        "knowledge/article_question.html",
        {"form": form, "object": article, "title": _("Question for the bank")},
    )


# --- revisions -------------------------------------------------------------------------------


class ArticleRevisionDetailView(ObjectDetailView):
    model = ArticleRevision
    template_name = "knowledge/articlerevision_detail.html"
    fields = [
        "article",
        "number",
        "status",
        "author",
        "change_note",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_note",
    ]

    def get_queryset(self):
        return ArticleRevision.objects.restrict(self.request.user, "view").select_related(
            "article", "author"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        revision, user = self.object, self.request.user
        article = revision.article
        against_pk = self.request.GET.get("against")
        against = None
        if against_pk and against_pk.isdigit():
            against = article.revisions.filter(pk=against_pk).first()
        if against is None:
            against = (
                article.revisions.filter(number__lt=revision.number).order_by("-number").first()
            )
        reviewable = (
            revision.status == RevisionStatus.IN_REVIEW
            and articles.is_reviewer(user)
            and revision.author_id != user.pk
            and article.state != ArticleState.ARCHIVED
        )
        editable = revision.status == RevisionStatus.DRAFT and user.has_perm(
            "knowledge.change_articlerevision"
        )
        context.update(
            against=against,
            diff=articles.revision_diff(against, revision),
            others=article.revisions.exclude(pk=revision.pk),
            can_review=reviewable,
            can_edit=editable and article.state != ArticleState.ARCHIVED,
            review_form=forms.ReviewForm(),
        )
        context["can_change"] = False
        return context


class RevisionEditView(ModelPermissionMixin, FormView):
    model = ArticleRevision
    permission_action = "change"
    form_class = forms.RevisionForm
    template_name = "knowledge/articlerevision_form.html"

    def dispatch(self, request, *args, **kwargs):
        check_model_perm(request.user, ArticleRevision, "change")
        self.revision = get_object_or_404(
            ArticleRevision.objects.restrict(request.user, "change"), pk=kwargs["pk"]
        )
        if self.revision.status != RevisionStatus.DRAFT:
            messages.error(request, _("Only a draft revision is edited."))
            return redirect(self.revision.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        r = self.revision
        return {"title": r.title, "body": r.body, "tags": r.tags, "change_note": r.change_note}

    def form_valid(self, form):
        try:
            articles.revision_update(
                revision=self.revision, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        if self.request.POST.get("submit"):
            try:
                articles.revision_submit(revision=self.revision, actor=self.request.user)
                messages.success(self.request, _("Sent to the QA group for review."))
            except ValidationError as exc:
                refused(self.request, exc)
        else:
            messages.success(self.request, _("Draft saved."))
        return redirect(self.revision.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.revision, title=_("Edit %(obj)s") % {"obj": self.revision})
        return context


@require_POST
def revision_submit(request, pk):
    check_model_perm(request.user, ArticleRevision, "change")
    revision = get_object_or_404(ArticleRevision.objects.restrict(request.user, "change"), pk=pk)
    try:
        articles.revision_submit(revision=revision, actor=request.user)
        messages.success(request, _("Sent to the QA group for review."))
    except ValidationError as exc:
        refused(request, exc)
    return redirect(revision.get_absolute_url())


@require_POST
def revision_review(request, pk):
    check_model_perm(request.user, ArticleRevision, "view")
    if not articles.is_reviewer(request.user):
        raise PermissionDenied(missing_permission("knowledge.review_article"))
    revision = get_object_or_404(ArticleRevision.objects.restrict(request.user, "view"), pk=pk)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Approve or send back the revision."))
        return redirect(revision.get_absolute_url())
    note = form.cleaned_data["note"]
    try:
        if form.cleaned_data["decision"] == "approve":
            articles.revision_approve(revision=revision, note=note, actor=request.user)
            messages.success(request, _("Published: %(obj)s") % {"obj": revision})
            return redirect(revision.article.get_absolute_url())
        articles.revision_reject(revision=revision, note=note, actor=request.user)
        messages.success(request, _("Sent back to the author."))
    except ValidationError as exc:
        refused(request, exc)
    return redirect(revision.get_absolute_url())


# --- links ------------------------------------------------------------------------------------


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
def link_add(request):
    """Link an article to a record (the form on a case, handover or incident page)."""
    check_model_perm(request.user, ArticleLink, "add")
    form = forms.LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number of the article to link."))
        return redirect(_safe_next(request, reverse("knowledge:search")))
    data = form.cleaned_data
    target = _record(data["target_type"], data["target_id"])
    if target is None or not can(request.user, target, "view"):
        raise Http404(not_found(data["target_type"], data["target_id"]))
    back = _safe_next(request, target.get_absolute_url())
    article = articles.articles_for(request.user).filter(pk=data["article"]).first()
    if article is None:
        messages.error(
            request, _("There is no article #%(n)s you can read.") % {"n": data["article"]}
        )
        return redirect(back)
    try:
        articles.article_link(article=article, target=target, actor=request.user)
        messages.success(request, _("Linked: %(obj)s") % {"obj": article})
    except ValidationError as exc:
        refused(request, exc)
    return redirect(back)


@require_POST
def link_remove(request, pk):
    check_model_perm(request.user, ArticleLink, "delete")
    link = get_object_or_404(ArticleLink.objects.restrict(request.user, "delete"), pk=pk)
    back = _safe_next(request, link.article.get_absolute_url())
    articles.article_unlink(link=link, actor=request.user)
    messages.success(request, _("Link removed."))
    return redirect(back)
