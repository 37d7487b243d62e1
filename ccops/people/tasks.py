"""Background tasks of the people app."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django_tasks import task

from ccops.core.exports import safe_row
from ccops.core.jobs import job_run
from ccops.core.models import Job
from ccops.people.models import Employee, EmployeeSkill

COLUMNS = [
    "employee_number",
    "full_name",
    "site",
    "team",
    "job_title",
    "status",
    "weekly_hours",
    "skills",
]


@task()
def roster_export(job_id: int) -> None:
    """Write the employees the job's owner may see, with their skills, as CSV."""
    with job_run(job_id) as run:
        owner = Job.objects.get(pk=job_id).owner or AnonymousUser()
        employees = list(Employee.objects.restrict(owner, "view").select_related("site", "team"))
        skills: dict[int, list[str]] = {}
        for held in EmployeeSkill.objects.restrict(owner, "view").select_related("skill"):
            skills.setdefault(held.employee_id, []).append(f"{held.skill.code}:{held.level}")
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        total = max(1, len(employees))
        for number, employee in enumerate(employees, 1):
            writer.writerow(
                safe_row(
                    [
                        employee.employee_number,
                        employee.full_name,
                        employee.site.code,
                        employee.team.code if employee.team else "",
                        employee.job_title,
                        employee.status,
                        employee.weekly_hours,
                        " ".join(sorted(skills.get(employee.pk, []))),
                    ]
                )
            )
            if number % 10 == 0 or number == total:
                run.progress(
                    number / total,
                    _("%(n)d of %(total)d employees")
                    % {
                        "n": number,
                        "total": total,
                    },
                )
        run.succeed({"employees": len(employees)}, text=out.getvalue(), filename="roster.csv")
