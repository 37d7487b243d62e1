"""Background tasks of workforce management (imports, forecasts, schedule generation)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from ccops.core.jobs import job_run
from ccops.engine.io.errors import InputError
from ccops.wfm.choices import ImportStatus
from ccops.wfm.models import ImportBatch


@task()
def import_run(job_id: int, batch_id: int) -> None:
    """Read, check and write one uploaded file (nothing is written on any error)."""
    from ccops.wfm.services import imports

    with job_run(job_id) as run:
        batch = ImportBatch.objects.select_related("site", "created_by").get(pk=batch_id)
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
        report: dict = {}
        try:
            df, report = imports.read_batch(batch, run.progress)
            run.progress(0.6, _("Writing %(n)d intervals") % {"n": len(df)})
            written = imports.write_batch(batch, df, report)
        except (InputError, ValueError) as exc:
            imports.import_fail(batch, str(exc), report)
            raise
        run.succeed({"intervals": written, "import": batch.pk})


@task()
def forecast_run(job_id: int, forecast_id: int) -> None:
    """Compute one forecast version with the engine."""
    from ccops.wfm.choices import ForecastStatus
    from ccops.wfm.models import Forecast
    from ccops.wfm.services import forecasts

    with job_run(job_id) as run:
        forecast = Forecast.objects.select_related("site", "queue", "created_by").get(
            pk=forecast_id
        )
        Forecast.objects.filter(pk=forecast.pk).update(status=ForecastStatus.RUNNING)
        try:
            n = forecasts.compute_forecast(forecast, run.progress)
        except (InputError, ValueError) as exc:
            forecasts.forecast_fail(forecast, str(exc))
            raise
        run.succeed({"intervals": n, "forecast": forecast.pk})


@task()
def schedule_run(job_id: int, schedule_id: int, time_limit: float = 20.0) -> None:
    """Generate one version of a site's week for every planned queue (cover, roster,
    rule check)."""
    from django.core.exceptions import ValidationError

    from ccops.core.services import record_update
    from ccops.wfm.choices import ScheduleStatus
    from ccops.wfm.models import Schedule
    from ccops.wfm.services import generate

    with job_run(job_id) as run:
        schedule = Schedule.objects.select_related("site", "template_set", "created_by").get(
            pk=schedule_id
        )
        try:
            summary = generate.generate(schedule, time_limit=time_limit, progress=run.progress)
        except (ValidationError, InputError, ValueError) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            record_update(
                schedule,
                data={"status": ScheduleStatus.FAILED, "summary": {"error": text}},
                actor=schedule.created_by,
                verb="schedule_fail",
            )
            raise
        run.succeed(
            {"shifts": summary["shifts"], "assigned": summary["assigned_shifts"]},
        )
