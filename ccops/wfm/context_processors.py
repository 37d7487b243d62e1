"""Template context of every page: the user's unread notifications (counted only when a
template shows them)."""

from __future__ import annotations


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"wfm_unread": 0}

    def unread() -> int:
        from ccops.wfm.models import Notification

        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    return {"wfm_unread": unread}
