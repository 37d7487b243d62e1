"""``ccops manage sync_roles``: set the role groups' permissions to the declared grants."""

from django.core.management.base import BaseCommand

from ccops.core.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Create the role groups and set their permissions to every app's ROLE_GRANTS."

    def handle(self, *args, **options):
        counts = sync_roles(strict=True)
        for slug, count in counts.items():
            self.stdout.write(f"{slug:<24} {ROLES[slug].name!s:<24} {count} permissions")
