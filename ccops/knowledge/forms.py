"""Forms of the knowledge pages; choice lists limited to what the user may see."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ccops.core.forms import ScopedFormMixin
from ccops.core.limits import MAX_SHORT_TEXT, MAX_TEXT
from ccops.core.models import Queue
from ccops.knowledge.choices import ArticleState, Visibility
from ccops.knowledge.models import (
    Article,
    Category,
    Department,
    DifficultCase,
    ManualEdition,
    Synonym,
)
from ccops.people.models import Employee


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class CaseForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = DifficultCase
        fields = ["question", "told_customer", "queue", "call_reference", "occurred_at"]
        widgets = {
            "occurred_at": DateTimeInput(),
            "question": forms.Textarea(attrs={"rows": 4}),
            "told_customer": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if site is not None:
            self.fields["queue"].queryset = Queue.objects.filter(site=site)
        self.fields["question"].help_text = _("As the customer asked it, in their words.")


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )


class EscalateForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=_("Named expert"), queryset=Employee.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("or department"), queryset=Department.objects.all(), required=False
    )
    due_at = forms.DateTimeField(
        label=_("Answer due"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty for the level's usual time."),
    )
    note = forms.CharField(label=_("Note"), max_length=MAX_SHORT_TEXT, required=False)

    def __init__(self, *args, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if experts is not None:
            self.fields["expert"].queryset = experts

    def clean(self):
        data = super().clean()
        if bool(data.get("expert")) == bool(data.get("department")):
            raise forms.ValidationError(_("Escalate to a named expert or to a department."))
        return data


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label=_("Follow-up question"),
        max_length=MAX_SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label=_("Merge into case number"),
        min_value=1,
        help_text=_("The case this one duplicates."),
    )


class FromCaseForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())


class ArticleForm(ScopedFormMixin, forms.ModelForm):
    """A new article with the text of its first revision."""

    body = forms.CharField(
        label=_("Text"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 14})
    )
    tags = forms.CharField(
        label=_("Tags"), max_length=300, required=False, help_text=_("Separated by commas.")
    )

    class Meta:
        model = Article
        fields = ["category", "title", "body", "tags", "visibility", "review_interval_days"]


class ArticleMetaForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Article
        fields = ["category", "owner", "visibility", "review_interval_days"]


class RevisionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 16})
    )
    tags = forms.CharField(
        label=_("Tags"), max_length=300, required=False, help_text=_("Separated by commas.")
    )
    change_note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("approve and publish")), ("reject", _("send back"))],
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Question"), max_length=MAX_SHORT_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_answer = forms.CharField(
        label=_("Expected answer"),
        max_length=MAX_SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LinkForm(forms.Form):
    article = forms.IntegerField(label=_("Article number"), min_value=1)
    target_type = forms.CharField(max_length=100, widget=forms.HiddenInput)
    target_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    next = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", "---------"), *ArticleState.choices], required=False
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=[("", "---------"), *Visibility.choices], required=False
    )
    page = forms.IntegerField(min_value=1, max_value=1000, required=False)


class CategoryForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "parent", "order", "description"]


class SynonymForm(forms.ModelForm):
    class Meta:
        model = Synonym
        fields = ["terms", "note"]


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "contact", "answer_hours"]


class EditionForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = ManualEdition
        fields = ["site", "version", "title", "foreword"]
        widgets = {"foreword": forms.Textarea(attrs={"rows": 4})}
