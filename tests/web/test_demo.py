"""`ccops demo --no-serve` builds the demo center, prints one login per role, and is
idempotent."""

from __future__ import annotations

import re

from ccops.cli import main
from ccops.core.models import CalendarPeriod, Queue, Site
from ccops.core.roles import ROLES
from ccops.people.demo import DEMO_PASSWORD
from ccops.people.models import Employee, EmployeeSkill


def counts():
    return (
        Site.objects.count(),
        Queue.objects.count(),
        CalendarPeriod.objects.count(),
        Employee.objects.count(),
        EmployeeSkill.objects.count(),
    )


def test_demo_builds_the_center_twice_without_duplicates(client, db, settings, tmp_path, capsys):
    settings.DATA_DIR = tmp_path
    assert main(["demo", "--no-serve", "--weeks", "2"]) == 0
    out = capsys.readouterr().out
    first = counts()
    sites, queues, periods, employees, skills = first
    assert (sites, queues) == (1, 4)
    assert periods >= 3 and 35 <= employees <= 60 and skills >= employees - len(ROLES)
    for slug in ROLES:
        assert f"{slug} " in out
    assert DEMO_PASSWORD in out
    # Built in Chinese by default: the site, teams, titles and people read in Chinese.
    site = Site.objects.get()
    assert site.name == "上海呼叫中心"
    cjk = re.compile(r"[\u4e00-\u9fff]")
    names = list(Employee.objects.values_list("full_name", flat=True))
    assert all(cjk.search(name) for name in names), names
    assert Employee.objects.get(user__username="agent").full_name == "徐静"
    assert all(cjk.search(q.name) for q in Queue.objects.all())
    from ccops.shiftops.models import ChecklistItemTemplate, HandoverQuestion

    texts = [
        *ChecklistItemTemplate.objects.values_list("text", flat=True),
        *HandoverQuestion.objects.values_list("text", flat=True),
        *CalendarPeriod.objects.values_list("name", flat=True),
    ]
    assert texts and all(cjk.search(text) for text in texts), texts
    assert (tmp_path / "demo" / "calls.csv").stat().st_size > 0
    assert (tmp_path / "demo" / "history.csv").stat().st_size > 0

    assert main(["demo", "--no-serve", "--weeks", "2"]) == 0
    assert counts() == first

    # Every demo login works and lands on its home page.
    for slug in ("agent", "group_manager", "center_director"):
        response = client.post(
            "/accounts/login/", {"username": slug, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.status_code == 200 and response.context["user"].username == slug
        assert response.context["panels"], slug
        client.logout()


def test_demo_refuses_a_bad_port(capsys, db):
    assert main(["demo", "--no-serve", "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err
