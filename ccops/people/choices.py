from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamKind(models.TextChoices):
    AREA = "area", _("area")
    GROUP = "group", _("group")


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    ON_LEAVE = "on_leave", _("on long leave")
    LEFT = "left", _("left")


class SkillLevel(models.IntegerChoices):
    TRAINEE = 1, _("1 – in training")
    BASIC = 2, _("2 – basic")
    CAPABLE = 3, _("3 – capable")
    SENIOR = 4, _("4 – senior")
    EXPERT = 5, _("5 – expert / coach")


class LeaveCategory(models.TextChoices):
    """What a leave type is (the slugs time-off requests carry as their ``kind``)."""

    ANNUAL = "annual", _("annual leave")
    SICK = "sick", _("sick leave")
    PERSONAL = "personal", _("personal leave")
    MARRIAGE = "marriage", _("marriage leave")
    BEREAVEMENT = "bereavement", _("bereavement leave")
    MATERNITY = "maternity", _("maternity leave")
    PATERNITY = "paternity", _("paternity leave")
    COMPENSATORY = "compensatory", _("compensatory time off")
    OTHER = "other", _("other")


class LeaveAdjustmentKind(models.TextChoices):
    CARRY_OVER = "carry_over", _("carried over from last year")
    ADJUSTMENT = "adjustment", _("adjustment")
