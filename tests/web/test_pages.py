"""Both languages render; no template loads assets from the internet; the API schema builds."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from ccops.core.testing import build_world, make_user

REPO = Path(__file__).resolve().parents[2]


def test_home_in_english_and_chinese(client, db):
    w = build_world()
    client.force_login(w.users["group_manager"])
    english = client.get(reverse("home"), headers={"accept-language": "en"})
    assert english.status_code == 200
    assert "My team" in english.text and "Log out" in english.text
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    chinese = client.get(reverse("home"))
    assert "我的班组" in chinese.text and "退出登录" in chinese.text
    assert '<html lang="zh-hans">' in chinese.text


def test_home_panels_follow_the_role(client, db):
    w = build_world()
    client.force_login(w.users["agent"])
    page = client.get(reverse("home")).text
    assert w.employees["agent"].employee_number in page  # my profile
    assert "panel-peopleteam_roster" not in page and "panel-corerecent_audit" not in page
    client.force_login(w.users["center_director"])
    page = client.get(reverse("home")).text
    assert "panel-peoplecenter_overview" in page and "panel-corerecent_audit" in page
    client.force_login(w.users["group_manager"])
    page = client.get(reverse("home")).text
    assert w.employees["agent"].full_name in page  # the roster of the manager's group
    assert w.other_employee.full_name not in page


def test_no_template_or_stylesheet_loads_from_the_internet():
    offenders = []
    pattern = re.compile(r"""(src|href)\s*=\s*["']\s*(https?:)?//""", re.I)
    css_pattern = re.compile(r"""url\(\s*["']?(https?:)?//|@import\s+["']?(https?:)?//""", re.I)
    for path in (REPO / "ccops").rglob("*"):
        if path.suffix == ".html" and pattern.search(path.read_text()):
            offenders.append(str(path.relative_to(REPO)))
        if path.suffix == ".css" and css_pattern.search(path.read_text()):
            offenders.append(str(path.relative_to(REPO)))
    assert not offenders, offenders


def test_openapi_schema_lists_every_operation(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operations = {op["operationId"] for ops in schema["paths"].values() for op in ops.values()}
    assert {"core_site_list", "people_employee_create", "core_me"} <= operations
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200


def test_times_are_shown_in_the_time_zone_of_the_users_site(client, db):
    w = build_world()
    w.site.time_zone = "Europe/Berlin"
    w.site.save()
    client.force_login(w.users["agent"])
    assert "Europe/Berlin" in client.get(reverse("home")).text
    client.force_login(w.other_agent)  # a fresh session; same site
    assert "Europe/Berlin" in client.get(reverse("home")).text
    client.force_login(make_user("editor"))  # no employee record: the default zone
    assert "Asia/Shanghai" in client.get(reverse("home")).text
