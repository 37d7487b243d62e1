"""The password policy beyond Django's validators: letters and digits, no obvious repeats."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """A password needs at least one letter and one digit, and not one character repeated."""

    def validate(self, password: str, user=None) -> None:
        errors = []
        if not any(ch.isalpha() for ch in password):
            errors.append(ValidationError(_("The password must contain a letter."), "no_letter"))
        if not any(ch.isdigit() for ch in password):
            errors.append(ValidationError(_("The password must contain a digit."), "no_digit"))
        if password and len(set(password)) < 4:
            errors.append(
                ValidationError(
                    _("The password must use at least four different characters."), "repeats"
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return _(
            "Your password must contain a letter and a digit and use at least four different "
            "characters."
        )
