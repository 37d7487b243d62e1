"""People, not logins: the name shown for a user everywhere (pages, notifications, audit).

``person_name(user)`` is the employee's full name when the user has an employee record
(``user.employee``), else the user's own first/last name, else the login name.
``number=True`` adds the employee number where two people could share a name (lists of
decisions, signatures, exports): ``Li Hua (E0042)``. Templates use ``{{ user|person }}``
and ``{{ user|person_number }}`` (``{% load ccops %}``).
"""

from __future__ import annotations


def employee_of(user):
    """The employee record of ``user`` or ``None`` (no query when it is cached)."""
    if user is None:
        return None
    try:
        return getattr(user, "employee", None)
    except Exception:  # RelatedObjectDoesNotExist for users without an employee record
        return None


def person_name(user, *, number: bool = False) -> str:
    """``Li Hua`` (``number``: ``Li Hua (E0042)``) for a user or an employee; ``""`` for None."""
    if user is None:
        return ""
    if hasattr(user, "full_name") and hasattr(user, "employee_number"):
        employee = user
    else:
        employee = employee_of(user)
    if employee is not None and employee.full_name:
        if number and employee.employee_number:
            return f"{employee.full_name} ({employee.employee_number})"
        return employee.full_name
    full = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()
