"""Pages of the knowledge base's reference data: categories, synonym sets, departments."""

from __future__ import annotations

from ccops.core.generic import ObjectArchiveView, ObjectDetailView, ObjectFormView, ObjectListView
from ccops.knowledge import forms
from ccops.knowledge.filters import CategoryFilter, DepartmentFilter, SynonymFilter
from ccops.knowledge.models import Category, Department, Synonym
from ccops.knowledge.services import articles


class CategoryListView(ObjectListView):
    model = Category
    filterset_class = CategoryFilter
    template_name = "knowledge/category_list.html"
    paginate_by = 200

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(Category.objects.all())
        children: dict = {}
        for row in rows:
            children.setdefault(row.parent_id, []).append(row)
        counts = {}
        for article in articles.articles_for(self.request.user).exclude(state="archived"):
            counts[article.category_id] = counts.get(article.category_id, 0) + 1

        def walk(parent, depth):
            for row in children.get(parent, []):
                yield row, depth, counts.get(row.pk, 0)
                yield from walk(row.pk, depth + 1)

        context["tree"] = list(walk(None, 0))
        return context


class CategoryDetailView(ObjectDetailView):
    model = Category
    template_name = "knowledge/category_detail.html"
    fields = ["name", "parent", "order", "description"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["children"] = self.object.children.all()
        context["articles"] = (
            articles.articles_for(self.request.user)
            .filter(category=self.object)
            .exclude(state="archived")
        )
        return context


class CategoryFormView(ObjectFormView):
    model = Category
    form_class = forms.CategoryForm

    def save(self, form):
        if self.object is None:
            return articles.category_save(actor=self.request.user, **form.cleaned_data)
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        return articles.category_save(category=self.object, actor=self.request.user, **changed)


class CategoryArchiveView(ObjectArchiveView):
    model = Category


class SynonymListView(ObjectListView):
    model = Synonym
    filterset_class = SynonymFilter
    columns = ["terms", "note"]


class SynonymDetailView(ObjectDetailView):
    model = Synonym
    fields = ["terms", "note"]


class SynonymFormView(ObjectFormView):
    model = Synonym
    form_class = forms.SynonymForm


class SynonymArchiveView(ObjectArchiveView):
    model = Synonym


class DepartmentListView(ObjectListView):
    model = Department
    filterset_class = DepartmentFilter
    columns = ["name", "contact", "answer_hours"]


class DepartmentDetailView(ObjectDetailView):
    model = Department
    fields = ["name", "contact", "answer_hours"]


class DepartmentFormView(ObjectFormView):
    model = Department
    form_class = forms.DepartmentForm


class DepartmentArchiveView(ObjectArchiveView):
    model = Department
