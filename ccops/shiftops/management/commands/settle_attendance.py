"""``ccops manage settle_attendance``: record absences of ended published shifts (cron)."""

from django.core.management.base import BaseCommand

from ccops.core import audit
from ccops.core.models import Site
from ccops.shiftops.attendance import attendance_settle


class Command(BaseCommand):
    help = "Record an absence for every ended published shift without a clock-in."

    def handle(self, *args, **options):
        with audit.acting_as(None, via=audit.VIA_CLI):
            count = attendance_settle(actor=None, sites=Site.objects.all())
        self.stdout.write(f"{count} absences recorded")
