"""Certificates, their per-office layouts and numbering, bundles and signing keys.

A Certificate row is created *pending* in the transaction that records the course
completion (the outbox), then filled in and numbered by a Celery task. Everything
printed on the PDF is copied onto the row when it is issued (holder, office,
course, signatory, wording), so the document can be re-rendered byte for byte
later, whatever happens to the user, the office or the layout since.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import PreviewableMixin

from . import codes, numbering

# Placeholders an administrator may use in the layout's wording.
WORDING_PLACEHOLDERS = (
    "holder",
    "nip",
    "course",
    "hours",
    "date",
    "office",
    "score",
    "number",
    "valid_until",
)

DEFAULT_WORDING = {
    "title": "SERTIFIKAT",
    "intro": "diberikan kepada",
    "body": (
        "telah menyelesaikan pelatihan {course} ({hours} jam pelajaran) "
        "yang diselenggarakan oleh {office} melalui Akademi PPID "
        "pada tanggal {date}."
    ),
}


def validate_wording(text: str) -> None:
    import re

    for name in re.findall(r"\{([^{}]*)\}", text or ""):
        if name not in WORDING_PLACEHOLDERS:
            raise ValidationError(
                _("Unknown placeholder {%(name)s}. Available: %(available)s.")
                % {
                    "name": name,
                    "available": ", ".join(f"{{{p}}}" for p in WORDING_PLACEHOLDERS),
                }
            )


def validate_number_pattern(pattern: str) -> None:
    if not pattern:
        return
    try:
        numbering.validate_pattern(pattern)
    except numbering.PatternError as exc:
        raise ValidationError(
            _("Invalid number pattern: %(problem)s.") % {"problem": exc}
        ) from exc


class CertificateLayout(PreviewableMixin, models.Model):
    """How an office's certificates look and are numbered.

    The layout without an office is the default. An office's own layout only needs
    the fields it changes: every blank field falls back to the default layout, then
    to values derived from the office (abbreviation, place, head of office).
    """

    office = models.OneToOneField(
        "offices.Office",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificate_layout",
        help_text=_("Leave empty for the default layout used by every other office."),
    )
    title = models.CharField(_("title"), max_length=80, blank=True)
    intro = models.CharField(
        _("line before the name"),
        max_length=160,
        blank=True,
        validators=[validate_wording],
    )
    body = models.TextField(
        _("body text"),
        blank=True,
        validators=[validate_wording],
        help_text=_(
            "Placeholders: {holder}, {nip}, {course}, {hours}, {date}, {office}, "
            "{score}, {number}, {valid_until}."
        ),
    )
    place = models.CharField(
        _("place of signing"),
        max_length=80,
        blank=True,
        help_text=_("E.g. Badung. Empty: the office's regency, city or capital."),
    )
    number_pattern = models.CharField(
        _("number pattern"),
        max_length=120,
        blank=True,
        validators=[validate_number_pattern],
        help_text=_(
            "Empty: {seq:04}/PPID/{abbr}/{month_roman}/{year}. Placeholders: {seq} "
            "(or {seq:04} for four digits), {abbr}, {month_roman}, {month}, {year}, "
            "{office_code}."
        ),
    )
    office_abbreviation = models.CharField(
        _("office abbreviation"),
        max_length=60,
        blank=True,
        help_text=_("Used by {abbr}. Empty: derived from the name (KPU-Kab.Badung)."),
    )
    signatory_name = models.CharField(
        _("signatory's name"),
        max_length=160,
        blank=True,
        help_text=_("Empty: the office's head."),
    )
    signatory_title = models.CharField(
        _("signatory's title"), max_length=160, blank=True
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A scan with a transparent or white background (PNG)."),
    )
    background = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("background image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Printed under everything else, stretched to A4 landscape."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("office"),
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("intro"), FieldPanel("body")],
            heading=_("Wording"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("place"),
                FieldPanel("signatory_name"),
                FieldPanel("signatory_title"),
                FieldPanel("signature"),
            ],
            heading=_("Signature"),
        ),
        MultiFieldPanel(
            [FieldPanel("number_pattern"), FieldPanel("office_abbreviation")],
            heading=_("Numbering"),
        ),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("background")], heading=_("Images")
        ),
    ]

    class Meta:
        verbose_name = _("certificate layout")
        verbose_name_plural = _("certificate layouts")
        ordering = ["office__code"]

    def __str__(self):
        if self.office_id is None:
            return str(_("Default layout"))
        return str(self.office)

    def clean(self):
        super().clean()
        others = CertificateLayout.objects.exclude(pk=self.pk)
        if self.office_id is None and others.filter(office__isnull=True).exists():
            raise ValidationError(
                {"office": _("There is already a default layout; choose an office.")}
            )

    # --- Wagtail live preview: the PDF itself, rendered with sample data -------
    preview_modes = [("", _("PDF"))]

    def serve_preview(self, request, mode_name):
        from .views import layout_preview_response

        return layout_preview_response(self)


class CertificateCounter(models.Model):
    """The last serial used by an office in a year; locked while a number is taken."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year"], name="unique_certificate_counter"
            )
        ]

    def __str__(self):
        return f"{self.office_id}/{self.year}: {self.last_serial}"


class CertificateQuerySet(models.QuerySet):
    def issued(self):
        """Issued or revoked: every certificate that got a number."""
        return self.exclude(status=Certificate.Status.PENDING)

    def for_register(self):
        return self.issued().select_related("office").order_by("-issued_at", "-pk")

    def for_learner(self, user):
        return self.filter(user=user).order_by("-issued_at", "-pk")


class Certificate(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ISSUED = "issued", _("Issued")
        REVOKED = "revoked", _("Revoked")

    # The natural key: one certificate per completed attempt (revision 0); an
    # administrator's re-issue adds revision 1, 2… and revokes the one it replaces.
    completion = models.ForeignKey(
        "courses.CourseCompletion",
        verbose_name=_("completion"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    # Filled in when issued: a snapshot of everything the document shows.
    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    office_name = models.CharField(_("office name"), max_length=160, blank=True)
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    course_title = models.CharField(_("course title"), max_length=255, blank=True)
    holder_name = models.CharField(_("holder's name"), max_length=160, blank=True)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("serial"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=120, blank=True)
    code = models.CharField(
        _("verification code"), max_length=codes.LENGTH, null=True, blank=True
    )
    credential_id = models.UUIDField(default=uuid.uuid4, editable=False)

    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    place = models.CharField(_("place of signing"), max_length=80, blank=True)
    signatory_name = models.CharField(_("signatory's name"), max_length=160, blank=True)
    signatory_title = models.CharField(
        _("signatory's title"), max_length=160, blank=True
    )
    wording = models.JSONField(_("wording"), default=dict, blank=True)
    layout = models.ForeignKey(
        CertificateLayout,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signature = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    background = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", blank=True)

    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["completion", "revision"], name="unique_certificate_revision"
            ),
            models.UniqueConstraint(fields=["code"], name="unique_certificate_code"),
            models.UniqueConstraint(
                fields=["credential_id"], name="unique_certificate_credential"
            ),
            models.UniqueConstraint(
                fields=["office", "year", "serial"],
                condition=Q(serial__isnull=False),
                name="unique_certificate_serial",
            ),
            models.CheckConstraint(
                condition=Q(status="pending")
                | (Q(code__isnull=False) & Q(serial__isnull=False)),
                name="issued_certificate_has_code_and_number",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "last_enqueued_at"]),
            models.Index(fields=["office", "issued_on"]),
        ]

    def __str__(self):
        return self.number or f"#{self.pk} ({self.get_status_display()})"

    @property
    def display_code(self) -> str:
        return codes.display(self.code or "")

    @property
    def masked_nip(self) -> str:
        return numbering.mask_nip(self.nip)

    def verification_path(self) -> str:
        return reverse("certificates:verify_code", args=[self.display_code])

    def verification_url(self) -> str:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + self.verification_path()

    def state_on(self, day) -> str:
        """ "valid", "expired", "revoked" or "pending" on a given day."""
        if self.status == self.Status.PENDING:
            return "pending"
        if self.status == self.Status.REVOKED:
            return "revoked"
        if self.valid_until and day > self.valid_until:
            return "expired"
        return "valid"


class CertificateBundle(models.Model):
    """A ZIP of an office's certificate PDFs for a period, built in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, related_name="+"
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="certificate-bundles/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("certificate bundle")
        verbose_name_plural = _("certificate bundles")

    def __str__(self):
        return f"{self.office} {self.date_from}–{self.date_to}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return (100 * self.done) // self.total if self.total else 0


class CredentialKey(models.Model):
    """Every public key that ever signed a credential, published by its id.

    The current key registers itself on first use; after a rotation the old row
    stays, so credentials signed with it keep verifying.
    """

    key_id = models.CharField(max_length=64, unique=True)
    public_key_multibase = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.key_id
