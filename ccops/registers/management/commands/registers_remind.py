"""``ccops manage registers_remind``: remind the hosts and escorts of visitors still signed
in hours after arrival (run it from cron, e.g. every 30 minutes)."""

from django.core.management.base import BaseCommand

from ccops.core import audit
from ccops.registers.services.visitors import visit_remind_sign_out


class Command(BaseCommand):
    help = "Notify the hosts, escorts and door staff of visitors still signed in hours later."

    def handle(self, *args, **options):
        with audit.acting_as(None, via=audit.VIA_CLI):
            count = visit_remind_sign_out()
        self.stdout.write(f"{count} visits reminded")
