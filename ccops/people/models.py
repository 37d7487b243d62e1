"""Employees, teams (areas and groups) and skills."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccops.core.limits import BoundedTextField
from ccops.core.models import ArchivableModel, Queue, Site
from ccops.people.choices import (
    EmploymentStatus,
    LeaveAdjustmentKind,
    LeaveCategory,
    SkillLevel,
    TeamKind,
)


class Team(ArchivableModel):
    """An area (区域) or a group (班组) of a site; groups belong to an area."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="teams"
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=5, choices=TeamKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"kind": TeamKind.AREA},
    )
    leader = models.ForeignKey(
        "Employee",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_teams",
    )

    restrict_team_field = "pk"
    restrict_owner_field = "members__user"

    class Meta:
        ordering = ["site__code", "kind", "code"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "code"],
                condition=Q(archived_at__isnull=True),
                name="people_team_site_code_active",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:team_detail", args=[self.pk])

    def clean(self) -> None:
        if self.parent_id and self.kind != TeamKind.GROUP:
            raise ValidationError({"parent": _("Only a group belongs to an area.")})
        if self.parent_id and self.parent.site_id != self.site_id:
            raise ValidationError({"parent": _("The area is on another site.")})


class Employee(ArchivableModel):
    """A person who works at the center; ``user`` is their login (optional)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employee",
    )
    employee_number = models.CharField(_("employee number"), max_length=20)
    full_name = models.CharField(_("full name"), max_length=100)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="employees"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    work_start_date = models.DateField(
        _("started working"),
        null=True,
        blank=True,
        help_text=_(
            "The first day of work at any employer. Annual leave counts the years of work "
            "since then, earlier employers included; empty: the years since the hire date."
        ),
    )
    weekly_hours = models.DecimalField(
        _("contracted hours per week"),
        max_digits=4,
        decimal_places=1,
        default=40,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.ACTIVE,
    )
    acd_login = models.CharField(
        _("ACD agent login"),
        max_length=60,
        blank=True,
        help_text=_(
            "The agent id or name the telephone system (ACD) records on the calls this "
            "employee serves; imported call records are matched to the employee by it."
        ),
    )

    restrict_owner_field = "user"
    restrict_team_field = "team"

    class Meta:
        ordering = ["employee_number"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        constraints = [
            models.UniqueConstraint(
                fields=["employee_number"],
                condition=Q(archived_at__isnull=True),
                name="people_employee_number_active",
            ),
            models.UniqueConstraint(
                fields=["site", "acd_login"],
                condition=Q(archived_at__isnull=True) & ~Q(acd_login=""),
                name="people_employee_acd_login_active",
                violation_error_message=_("Another employee of the site has this ACD login."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.employee_number})"

    def get_absolute_url(self) -> str:
        return reverse("people:employee_detail", args=[self.pk])

    def clean(self) -> None:
        if self.team_id and self.site_id and self.team.site_id != self.site_id:
            raise ValidationError({"team": _("The team is on another site.")})


class Skill(ArchivableModel):
    """A skill an agent needs to take a queue's contacts (a language, a product line)."""

    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("queue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="skills",
        help_text=_("The queue this skill lets an agent answer, if any."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(archived_at__isnull=True), name="people_skill_code"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:skill_detail", args=[self.pk])


class EmployeeSkill(ArchivableModel):
    """An employee holds a skill at a level, certified by a trainer on a date."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="skills"
    )
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="holders"
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=SkillLevel.choices, default=SkillLevel.CAPABLE
    )
    certified_on = models.DateField(_("certified on"), null=True, blank=True)

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"

    class Meta:
        ordering = ["employee__employee_number", "skill__code"]
        verbose_name = _("employee skill")
        verbose_name_plural = _("employee skills")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "skill"],
                condition=Q(archived_at__isnull=True),
                name="people_employeeskill_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee.full_name}: {self.skill.name} ({self.level})"

    def get_absolute_url(self) -> str:
        return reverse("people:employeeskill_detail", args=[self.pk])


class LeaveType(ArchivableModel):
    """A kind of leave a site grants (annual, sick, marriage ...). Only a type that
    ``counts_against_balance`` has yearly entitlements and a balance; the others are
    recorded and approved without one."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="leave_types"
    )
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty to show the category's name in the reader's language."),
    )
    category = models.CharField(
        _("category"), max_length=20, choices=LeaveCategory.choices, default=LeaveCategory.OTHER
    )
    counts_against_balance = models.BooleanField(
        _("counts against a balance"),
        default=False,
        help_text=_(
            "Requests of this type use up a yearly entitlement; one that exceeds the balance "
            "is refused."
        ),
    )
    paid = models.BooleanField(_("paid"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["site__code", "sort_order", "code"]
        verbose_name = _("leave type")
        verbose_name_plural = _("leave types")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "code"],
                condition=Q(archived_at__isnull=True),
                name="people_leavetype_site_code_active",
                violation_error_message=_("The site already has a leave type with this code."),
            )
        ]

    def __str__(self) -> str:
        return self.title()

    def title(self) -> str:
        return self.name or str(self.get_category_display())

    title.short_description = _("leave type")

    def get_absolute_url(self) -> str:
        return reverse("people:leavetype_detail", args=[self.pk])


class LeaveEntitlementRule(ArchivableModel):
    """One step of a leave type's yearly entitlement: from ``min_years`` completed years
    of service on, ``days`` working days a year (the step with the largest ``min_years``
    reached applies; the year an employee reaches a step is prorated by calendar days)."""

    leave_type = models.ForeignKey(
        LeaveType,
        verbose_name=_("leave type"),
        on_delete=models.PROTECT,
        related_name="rules",
    )
    min_years = models.PositiveSmallIntegerField(
        _("from years of service"), validators=[MaxValueValidator(60)]
    )
    days = models.DecimalField(
        _("days per year"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(366)],
    )

    class Meta:
        ordering = ["leave_type", "min_years"]
        verbose_name = _("entitlement rule")
        verbose_name_plural = _("entitlement rules")
        constraints = [
            models.UniqueConstraint(
                fields=["leave_type", "min_years"],
                condition=Q(archived_at__isnull=True),
                name="people_leaverule_step_once",
                violation_error_message=_("This leave type already has a step for these years."),
            )
        ]

    def __str__(self) -> str:
        return _("%(type)s: from %(years)s years, %(days)s days") % {
            "type": self.leave_type,
            "years": self.min_years,
            "days": self.days,
        }

    def get_absolute_url(self) -> str:
        return reverse("people:leavetype_detail", args=[self.leave_type_id])


class LeaveAdjustment(ArchivableModel):
    """A manual change of one employee's balance of a leave type for a year (days carried
    over, an advance, a correction), with its reason. Never edited: a correction is
    another adjustment."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="leave_adjustments",
    )
    leave_type = models.ForeignKey(
        LeaveType, verbose_name=_("leave type"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=LeaveAdjustmentKind.choices,
        default=LeaveAdjustmentKind.ADJUSTMENT,
    )
    days = models.DecimalField(
        _("days"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(-366), MaxValueValidator(366)],
        help_text=_("Negative to take days off the balance."),
    )
    reason = BoundedTextField(_("reason"), max_length=500)

    restrict_owner_field = "employee__user"
    restrict_team_field = "employee__team"

    class Meta:
        ordering = ["-year", "employee__employee_number", "-created_at"]
        verbose_name = _("leave adjustment")
        verbose_name_plural = _("leave adjustments")

    def __str__(self) -> str:
        return f"{self.employee.full_name}: {self.leave_type} {self.year} {self.days:+}"

    def get_absolute_url(self) -> str:
        return reverse("people:leaveadjustment_detail", args=[self.pk])
