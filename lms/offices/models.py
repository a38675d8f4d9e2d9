"""Offices and coordinator scopes.

The tree has at most three levels (national, province, regency/city), so "an
office and everything under it" is a two-hop parent lookup, no tree library needed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OfficeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def subtree(self, office: "Office"):
        """The office itself and every office below it."""
        return self.filter(
            Q(pk=office.pk) | Q(parent=office) | Q(parent__parent=office)
        )

    def subtrees(self, offices):
        """The union of several subtrees, as one query.

        `offices` is a list of offices or a queryset of primary keys (used as a
        subquery, so the scopes are not fetched first).
        """
        ids = (
            offices if isinstance(offices, models.QuerySet) else [o.pk for o in offices]
        )
        return self.filter(
            Q(pk__in=ids) | Q(parent__in=ids) | Q(parent__parent__in=ids)
        )


class Office(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency")
        CITY = "city", _("City")

    code = models.CharField(
        _("region code"),
        max_length=16,
        unique=True,
        help_text=_("Kemendagri region code, e.g. 51.03 for Badung; 00 for KPU RI."),
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region_name = models.CharField(_("region name"), max_length=120)
    name = models.CharField(_("office name"), max_length=160)
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    head_name = models.CharField(
        _("head of office"),
        max_length=160,
        blank=True,
        help_text=_("Signs this office's certificates."),
    )
    head_title = models.CharField(_("head's title"), max_length=160, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self):
        return self.name

    # The level an office's parent must have: the tree is never deeper than three,
    # which is what OfficeQuerySet.subtree relies on.
    PARENT_LEVEL = {
        Level.NATIONAL: None,
        Level.PROVINCE: Level.NATIONAL,
        Level.REGENCY: Level.PROVINCE,
        Level.CITY: Level.PROVINCE,
    }

    def clean(self):
        super().clean()
        wanted = self.PARENT_LEVEL.get(self.level)
        parent = self.parent if self.parent_id else None
        if wanted is None and parent is not None:
            raise ValidationError(
                {"parent": _("The national office has no parent office.")}
            )
        if wanted is not None and (parent is None or parent.level != wanted):
            raise ValidationError(
                {
                    "parent": _("A %(level)s office belongs under a %(parent)s office.")
                    % {
                        "level": self.get_level_display().lower(),
                        "parent": self.Level(wanted).label.lower(),
                    }
                }
            )

    @property
    def province(self) -> "Office | None":
        if self.level == self.Level.PROVINCE:
            return self
        if self.level in (self.Level.REGENCY, self.Level.CITY):
            return self.parent
        return None


class CoordinatorScope(models.Model):
    """Makes a user coordinator of an office and everything under it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinator_scopes",
        verbose_name=_("user"),
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        related_name="coordinator_scopes",
        verbose_name=_("office"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coordinator scope")
        verbose_name_plural = _("coordinator scopes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "office"], name="unique_coordinator_scope"
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.office}"
