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


# look-alike characters people put in place of letters ("@lice2026" for "alice")
_LOOKALIKES = str.maketrans(
    {
        "@": "a",
        "4": "a",
        "0": "o",
        "1": "l",
        "!": "i",
        "3": "e",
        "$": "s",
        "5": "s",
        "7": "t",
        "+": "t",
        "9": "g",
        "8": "b",
    }
)


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


class UsernameValidator:
    """Refuse a password close to the user name: the name (or its reverse) inside the
    password, also written with look-alike characters or separators ("Alice-2026",
    "ecila99", "@lice_2O26"), or a password that is mostly the name.

    Django's ``UserAttributeSimilarityValidator`` only refuses passwords about as long as
    the name; this one catches the name with a few characters added.
    """

    min_name_length = 3

    def validate(self, password: str, user=None) -> None:
        username = getattr(user, "username", "") or ""
        if self.is_close(password, username):
            raise ValidationError(
                _("The password is too close to the user name."), code="password_like_username"
            )

    def is_close(self, password: str, username: str) -> bool:
        import difflib

        name = _letters(username)
        if len(name) < self.min_name_length or not password:
            return False
        plain = _letters(password)
        looks = _letters(password.lower().translate(_LOOKALIKES))
        # compare the name written the same way (a "1" in the name stays comparable)
        name_looks = _letters(username.lower().translate(_LOOKALIKES))
        for candidate, target in ((plain, name), (looks, name_looks)):
            if target in candidate or target[::-1] in candidate:
                return True
            letters_only = "".join(ch for ch in candidate if ch.isalpha())
            if letters_only and difflib.SequenceMatcher(None, letters_only, target).ratio() >= 0.8:
                return True
        return False

    def get_help_text(self) -> str:
        return _("Your password must not contain or resemble your user name.")
