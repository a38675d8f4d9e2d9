"""The custom user (logs in with e-mail, belongs to one office) and staff imports."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_nip


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


# What an erased account keeps instead of a name and an address (docs/privacy.md).
# ".invalid" is reserved (RFC 2606): the placeholder can never receive mail.
ERASED_NAME = "Pengguna dihapus"
ERASED_EMAIL_DOMAIN = "akun-dihapus.invalid"


class User(AbstractUser):
    class EmploymentType(models.TextChoices):
        PNS = "pns", "PNS"
        PPPK = "pppk", "PPPK"
        PPNPN = "ppnpn", "PPNPN"
        MAGANG = "magang", _("Magang (intern)")
        PKL = "pkl", _("PKL (vocational intern)")

    INTERN_TYPES = (EmploymentType.MAGANG, EmploymentType.PKL)

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=160)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[validate_nip],
        help_text=_("18 digits; leave empty if you have none (interns, PPNPN)."),
    )
    employment_type = models.CharField(
        _("employment type"),
        max_length=8,
        choices=EmploymentType.choices,
        default=EmploymentType.PNS,
    )
    intern_start = models.DateField(_("internship start"), null=True, blank=True)
    intern_end = models.DateField(_("internship end"), null=True, blank=True)
    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("Preferred interface language."),
    )
    invited_by = models.ForeignKey(
        "self",
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set by the invitation task once the e-mail has gone out; a second run of
    # the task, or a second import of the same file, sends nothing.
    invited_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["nip"], condition=~models.Q(nip=""), name="unique_nip_when_set"
            )
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_intern(self) -> bool:
        return self.employment_type in self.INTERN_TYPES

    @property
    def is_erased(self) -> bool:
        """Anonymised on request (lms.accounts.services.account_erase)."""
        return self.email.endswith("@" + ERASED_EMAIL_DOMAIN)

    def clean(self):
        super().clean()
        self.email = (self.email or "").lower()
        if (
            self.intern_start
            and self.intern_end
            and self.intern_end < self.intern_start
        ):
            raise ValidationError(
                {"intern_end": _("The internship cannot end before it starts.")}
            )


class StaffImport(models.Model):
    """An uploaded staff CSV between preview and confirmation.

    The parsed rows are kept here, not in the session, so the preview survives a
    new tab or a second server; confirming checks every row again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        DONE = "done", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")

    owner = models.ForeignKey(
        User,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="staff_imports",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    rows = models.JSONField(_("rows"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff import")
        verbose_name_plural = _("staff imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name
