"""Background tasks of workforce management (imports, forecasts, schedule generation)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from ccops.core.jobs import job_run, on_abandoned, plain_error
from ccops.wfm.choices import ImportStatus
from ccops.wfm.models import ImportBatch


@task()
def import_run(job_id: int, batch_id: int) -> None:
    """Read, check and write one uploaded file (nothing is written on any error). An
    import that would change earlier values stops "awaiting confirmation" unless the
    importer has confirmed it (``options.confirmed``)."""
    from ccops.wfm.services import imports

    with job_run(job_id) as run:
        batch = ImportBatch.objects.select_related("site", "created_by").get(pk=batch_id)
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
        batch.status = ImportStatus.RUNNING
        report: dict = {}
        try:
            result = imports.read_batch(batch, run.progress)
            report = result.report
            options = batch.options or {}
            run.progress(0.5, _("Comparing with the intervals imported before"))
            plan = imports.plan_batch(batch, result)
            if plan["needs_confirmation"] and not options.get("confirmed"):
                imports.import_review(batch, result, plan)
                run.progress(
                    1.0, _("Checked: it would replace earlier values and waits for confirmation")
                )
                run.succeed({"import": batch.pk})
                return
            run.progress(0.6, _("Writing %(n)d intervals") % {"n": len(result.history)})
            written = imports.write_batch(
                batch,
                result.history,
                result.report,
                covered=result.covered,
                records=result.records,
                keep_earlier=bool(options.get("keep_earlier")),
            )
        except Exception as exc:  # a bad file, or the database refusing the rows
            imports.import_fail(batch, exc, report)
            raise
        run.succeed({"intervals": written, "import": batch.pk})


@on_abandoned(import_run)
def _import_abandoned(*, job, kwargs, message) -> None:
    """The worker died mid-import: nothing was written (one transaction); say so."""
    from ccops.wfm.services import imports

    batch = ImportBatch.objects.filter(pk=kwargs.get("batch_id")).first()
    if batch is not None and batch.status in {ImportStatus.QUEUED, ImportStatus.RUNNING}:
        imports.import_fail(batch, message, dict(batch.report or {}))


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
        except Exception as exc:
            forecasts.forecast_fail(forecast, plain_error(exc))
            raise
        run.succeed({"intervals": n, "forecast": forecast.pk})


@on_abandoned(forecast_run)
def _forecast_abandoned(*, job, kwargs, message) -> None:
    from ccops.wfm.choices import ForecastStatus
    from ccops.wfm.models import Forecast
    from ccops.wfm.services import forecasts

    forecast = Forecast.objects.filter(pk=kwargs.get("forecast_id")).first()
    if forecast is not None and forecast.status in {ForecastStatus.QUEUED, ForecastStatus.RUNNING}:
        forecasts.forecast_fail(forecast, message)


@task()
def schedule_run(job_id: int, schedule_id: int, time_limit: float = 20.0) -> None:
    """Generate one version of a site's week for every planned queue (cover, roster,
    rule check)."""

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
        except Exception as exc:
            text = plain_error(exc)
            record_update(
                schedule,
                data={"status": ScheduleStatus.FAILED, "summary": {"error": text}},
                actor=schedule.created_by,
                verb="schedule_fail",
            )
            raise
        if schedule.plans.filter(model="simulation").exists():
            # the pages read the simulated projection: compute it with the version
            from ccops.wfm.services.coverage import coverage

            run.progress(0.95, _("Simulating the projected service level"))
            coverage(schedule, simulate=True)
        run.succeed(
            {"shifts": summary["shifts"], "assigned": summary["assigned_shifts"]},
        )


@on_abandoned(schedule_run)
def _schedule_abandoned(*, job, kwargs, message) -> None:
    from ccops.core.services import record_update
    from ccops.wfm.choices import ScheduleStatus
    from ccops.wfm.models import Schedule

    schedule = Schedule.objects.filter(pk=kwargs.get("schedule_id")).first()
    if schedule is not None and schedule.status == ScheduleStatus.QUEUED:
        record_update(
            schedule,
            data={"status": ScheduleStatus.FAILED, "summary": {"error": message}},
            actor=schedule.created_by,
            verb="schedule_fail",
        )


@task()
def schedule_project(schedule_id: int) -> None:
    """Simulate the projected service level of a schedule's queue-days whose staffing plan
    names the simulation and whose figures are not kept yet (see
    ``services.coverage.request_projection``); the schedule's pages read them."""
    from ccops.wfm.models import Schedule
    from ccops.wfm.services.coverage import coverage

    schedule = Schedule.all_objects.select_related("site").filter(pk=schedule_id).first()
    if schedule is not None:
        coverage(schedule, simulate=True)
