"""Generic, permission-checked views every app reuses (NetBox-style).

Declare the model, filter, form and columns; the views check the model permission (403),
go through ``restrict()`` (404 outside the user's scope) and write through services::

    class QueueListView(ObjectListView):
        model = Queue
        filterset_class = QueueFilter
        columns = ["code", "name", "site", "channel"]

URL names follow ``<app>:<model>_list|_detail|_add|_edit|_archive``; :func:`crud_urls`
builds them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from ccops.core import services
from ccops.core.forms import ScopedFormMixin
from ccops.core.models import AuditEntry
from ccops.core.names import person_name
from ccops.core.permissions import all_rows, check_model_perm, has_model_perm, not_found


def url_name(model, suffix: str, namespace: bool = True) -> str:
    name = f"{model._meta.model_name}_{suffix}"
    return f"{model._meta.app_label}:{name}" if namespace else name


class ModelPermissionMixin:
    """Check the model permission for ``permission_action`` before anything else (403)."""

    model: type[models.Model]
    permission_action = "view"

    def dispatch(self, request, *args, **kwargs):
        check_model_perm(request.user, self.model, self.permission_action)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        model = self.model
        context.update(
            model_meta=model._meta,
            can_add=has_model_perm(user, model, "add"),
            can_change=has_model_perm(user, model, "change"),
            can_archive=has_model_perm(user, model, "delete") and hasattr(model, "archived_at"),
            add_url=_reverse_or_none(url_name(model, "add")),
            list_url=_reverse_or_none(url_name(model, "list")),
        )
        return context


def _reverse_or_none(name: str, *args):
    from django.urls import NoReverseMatch

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class ObjectListView(ModelPermissionMixin, FilterView):
    """A filtered, paginated list of the rows the user may see."""

    template_name = "core/object_list.html"
    paginate_by = 50
    columns: list[str] = []
    title = None

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, "view")

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        user_model = get_user_model()
        user = self.request.user
        for field in filterset.form.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            # a drop-down lists only the rows the reader may see (an agent: not all employees)
            if hasattr(queryset, "restrict"):
                queryset = field.queryset = queryset.restrict(user, "view")
            if queryset.model is user_model:  # people by name in user drop-downs
                field.queryset = queryset.select_related("employee")
                field.label_from_instance = person_name
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = [(c, _column_label(self.model, c)) for c in self.columns]
        context["title"] = self.title or self.model._meta.verbose_name_plural
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context["query_string"] = query.urlencode()
        context["exportable"] = self.exportable
        return context

    #: ``?export=csv`` / ``?export=xlsx``: the filtered rows (every page) as a file.
    exportable = True

    def render_to_response(self, context, **kwargs):
        fmt = self.request.GET.get("export")
        if self.exportable and fmt in ("csv", "xlsx"):
            from ccops.core.exports import list_export

            return list_export(
                self.object_list,
                context["columns"],
                fmt=fmt,
                filename=self.model._meta.model_name,
            )
        return super().render_to_response(context, **kwargs)


def _column_label(model, column: str):
    head = column.split("__")[0]
    labels = getattr(model, "column_labels", None) or {}
    if head in labels:  # a display-only value (``Model.column_labels``)
        return labels[head]
    try:
        return model._meta.get_field(head).verbose_name
    except Exception:
        attr = getattr(model, head, None)
        attr = getattr(attr, "fget", attr)  # a property's label is on its getter
        return getattr(attr, "short_description", head.replace("_", " "))


class ObjectDetailView(ModelPermissionMixin, DetailView):
    """One row (404 outside the user's scope) with its audit history."""

    template_name = "core/object_detail.html"
    fields: list[str] | None = None
    history = True

    def get_queryset(self):
        return all_rows(self.model).restrict(self.request.user, "view")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        names = self.fields or [
            f.name
            for f in obj._meta.concrete_fields
            if not f.primary_key and f.name not in {"archived_by", "updated_at"}
        ]
        context["field_rows"] = [(_column_label(self.model, n), n) for n in names]
        user = self.request.user
        context["can_change"] = (
            context["can_change"]
            and all_rows(self.model).filter(pk=obj.pk).restrict(user, "change").exists()
        )
        if getattr(obj, "is_locked", False):  # signed, or closed by a signed record
            context["can_change"] = context["can_archive"] = False
        context["edit_url"] = _reverse_or_none(url_name(self.model, "edit"), obj.pk)
        context["archive_url"] = _reverse_or_none(url_name(self.model, "archive"), obj.pk)
        if self.history and has_model_perm(user, AuditEntry, "view"):
            context["history"] = AuditEntry.objects.for_object(obj).select_related("actor")[:50]
        return context


class ObjectFormView(ModelPermissionMixin, FormView):
    """Create (no ``pk``) or edit a row through a service.

    Override :meth:`save` to call the app's named service; the default calls
    :func:`ccops.core.services.record_create` / ``record_update``.
    """

    template_name = "core/object_form.html"
    form_class = None
    object = None

    def dispatch(self, request, *args, **kwargs):
        self.permission_action = "change" if "pk" in kwargs else "add"
        check_model_perm(request.user, self.model, self.permission_action)
        if "pk" in kwargs:
            self.object = get_object_or_404(
                self.model.objects.restrict(request.user, "change"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        if issubclass(self.get_form_class(), ScopedFormMixin):
            kwargs["user"] = self.request.user
        return kwargs

    def save(self, form):
        data = {name: form.cleaned_data[name] for name in form.changed_data or form.fields}
        if self.object is None:
            return services.record_create(
                self.model, data=form.cleaned_data, actor=self.request.user
            )
        return services.record_update(self.object, data=data, actor=self.request.user)

    def form_valid(self, form):
        try:
            obj = self.save(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        except PermissionDenied as exc:  # a rule about this row (e.g. not your team)
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Saved: %(obj)s") % {"obj": obj})
        return HttpResponseRedirect(self.get_success_url(obj))

    def get_success_url(self, obj=None):
        if obj is not None and hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return reverse(url_name(self.model, "list"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        verbose = self.model._meta.verbose_name
        context["title"] = (
            _("Edit %(obj)s") % {"obj": self.object}
            if self.object
            else _("New %(model)s") % {"model": verbose}
        )
        return context


class ObjectArchiveView(ModelPermissionMixin, DetailView):
    """Confirm (GET) and archive (POST) a row; needs the model's ``delete`` permission."""

    permission_action = "delete"
    template_name = "core/object_archive.html"

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, "delete")

    def archive(self, obj) -> None:
        """Archive ``obj`` (override to call the app's own service)."""
        services.record_archive(obj, actor=self.request.user)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            self.archive(obj)
        except ValidationError as exc:  # signed, closed by a signed record, or lost a race
            messages.error(request, " ".join(exc.messages))
            back = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
            return HttpResponseRedirect(back or reverse(url_name(self.model, "list")))
        messages.success(request, _("Archived: %(obj)s") % {"obj": obj})
        return HttpResponseRedirect(reverse(url_name(self.model, "list")))


def crud_urls(model, *, list=None, detail=None, form=None, archive=None, prefix=None):
    """URL patterns ``<prefix>/``, ``<prefix>/<pk>/``, ``add/``, ``<pk>/edit/``,
    ``<pk>/archive/`` named ``<model>_list`` etc. (pass the view classes you have)."""
    prefix = prefix or f"{model._meta.model_name}s"
    name = model._meta.model_name
    patterns = []
    if list:
        patterns.append(path(f"{prefix}/", list.as_view(), name=f"{name}_list"))
    if form:
        patterns.append(path(f"{prefix}/add/", form.as_view(), name=f"{name}_add"))
    if detail:
        patterns.append(path(f"{prefix}/<int:pk>/", detail.as_view(), name=f"{name}_detail"))
    if form:
        patterns.append(path(f"{prefix}/<int:pk>/edit/", form.as_view(), name=f"{name}_edit"))
    if archive:
        patterns.append(
            path(f"{prefix}/<int:pk>/archive/", archive.as_view(), name=f"{name}_archive")
        )
    return patterns


def get_restricted_or_404(model, user, pk, action: str = "view"):
    """The row ``pk`` if ``user`` may ``action`` it, else ``Http404``."""
    obj = all_rows(model).filter(pk=pk).restrict(user, action).first()
    if obj is None:
        raise Http404(not_found(model._meta.verbose_name, pk))
    return obj


def form_errors(form) -> str:
    """A form's errors as one message: ``Label: what is wrong`` per field."""
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


def post_action(
    model,
    *,
    perm: str = "view",
    row_action: str = "view",
    form=None,
    form_user: bool = False,
    also: tuple | None = None,
):
    """Decorate ``fn(request, obj, data)``: a POST to a row's action. The model permission
    ``perm`` (and ``also``, another ``(model, action)``) gives 403, the row's scope for
    ``row_action`` 404; ``form`` validates the POST (with its files); refused input or a
    service's ValidationError shows as a message; back to the row, or to what ``fn``
    returns (a URL or a row)."""
    from functools import wraps

    from django.shortcuts import redirect
    from django.views.decorators.http import require_POST

    def decorate(fn):
        @require_POST
        @wraps(fn)
        def view(request, pk):
            check_model_perm(request.user, model, perm)
            if also is not None:
                check_model_perm(request.user, *also)
            obj = get_restricted_or_404(model, request.user, pk, row_action)
            data = {}
            if form is not None:
                kwargs = {"user": request.user} if form_user else {}
                bound = form(request.POST, request.FILES, **kwargs)
                if not bound.is_valid():
                    messages.error(request, form_errors(bound))
                    return redirect(obj.get_absolute_url())
                data = bound.cleaned_data
            try:
                result = fn(request, obj, data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect(obj.get_absolute_url())
            if isinstance(result, str):
                return redirect(result)
            target = result if hasattr(result, "get_absolute_url") else obj
            return redirect(target.get_absolute_url())

        return view

    return decorate
