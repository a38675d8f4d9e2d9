"""Days an administrator closed or opened on top of the engine's national calendar.

The engine (`lms.kip`) knows weekends, national holidays and cuti bersama from the
pinned `holidays` package. What it cannot know is stored here: a voting day set by a
late Keppres, a regional closure, an isbat shift of Idul Fitri/Adha, a government date
correction that makes a listed holiday a working day again. Writes go through
`services.py` (which clears the cached copy); reads through `selectors.py`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lms.kip import FIRST_YEAR, LAST_YEAR

# Closures for the next few years may be stored before the engine's holiday data
# reaches them (they take effect once it does); further out is a typing mistake.
YEARS_AHEAD = 5


class CalendarOverride(models.Model):
    class Kind(models.TextChoices):
        CLOSED = "closed", _("Closed (not a working day)")
        OPEN = "open", _("Open (a working day)")

    # One override per day, whatever its kind: a day both closed and opened is a
    # contradiction the engine rejects (KipError), so the database refuses it first.
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    reason = models.CharField(
        _("reason"),
        max_length=200,
        help_text=_(
            "Why the day changes, with its source: e.g. “Keppres 10/2024: "
            "voting day” or “SKB 3 Menteri: Idul Fitri moved after the isbat”."
        ),
        error_messages={
            "blank": _(
                "Give the reason and its source, e.g. the Keppres or SKB number."
            )
        },
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar closure or opening")
        verbose_name_plural = _("calendar closures and openings")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date.isoformat()} {self.get_kind_display()}: {self.reason}"

    def clean(self):
        super().clean()
        if self.date and not FIRST_YEAR <= self.date.year <= LAST_YEAR + YEARS_AHEAD:
            raise ValidationError(
                {
                    "date": gettext(
                        "Choose a date from %(first)s to %(last)s: the working "
                        "calendar starts with UU 14/2008 in 2010 and its holiday "
                        "data ends in %(known)s."
                    )
                    % {
                        "first": FIRST_YEAR,
                        "last": LAST_YEAR + YEARS_AHEAD,
                        "known": LAST_YEAR,
                    }
                }
            )
