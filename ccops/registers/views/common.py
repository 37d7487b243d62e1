"""What the registers' pages share: POST actions that call a service and come back."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from ccops.core.generic import get_restricted_or_404
from ccops.core.permissions import check_model_perm


def form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


def post_action(model, *, perm: str = "view", row_action: str = "view", form=None, form_user=False):
    """Decorate ``fn(request, obj, data)``: a POST to a row's action. The model permission
    ``perm`` (403) and the row's scope (404) are checked; ``form`` validates the POST;
    refused input or a service's ValidationError shows as a message; back to the row (or
    wherever ``fn`` returns)."""

    def decorate(fn):
        @require_POST
        @wraps(fn)
        def view(request, pk):
            check_model_perm(request.user, model, perm)
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
