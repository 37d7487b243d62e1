"""``ccops manage api_token USERNAME --name NAME [--days N]``: create a personal API token."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ccops.core import audit
from ccops.core.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for")
        parser.add_argument("--days", type=int, default=None, help="expire after N days")

    def handle(self, *args, username, name, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        if days is not None and days <= 0:
            raise CommandError(f"--days must be positive, got {days}")
        expires = timezone.now() + timedelta(days=days) if days else None
        with audit.acting_as(None, via=audit.VIA_CLI):
            _token, raw = api_token_create(user=user, name=name, expires_at=expires, actor=None)
        self.stdout.write(raw)
