"""State changes on accounts: staff imports, invitations, addresses vouched for,
the export of one's own data and erasure on request."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from . import personal_data
from .models import ERASED_EMAIL_DOMAIN, ERASED_NAME, StaffImport, User
from .staff_import import Action, check_rows


class StaffImportError(Exception):
    """The import cannot be confirmed; the message says why."""


def staff_import_create(
    *, owner: User, file_name: str, rows: list[dict]
) -> StaffImport:
    """Keep an upload's parsed rows (see staff_csv) for the preview."""
    return StaffImport.objects.create(owner=owner, file_name=file_name[:255], rows=rows)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    skipped: list[dict]

    def as_json(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }


UPDATABLE_FIELDS = ["full_name", "employment_type", "office_id", "nip"]


def staff_import_confirm(*, staff_import: StaffImport, actor: User) -> ImportResult:
    """Create and update the accounts of every row without a problem; skip the rest.

    All or nothing: the rows are checked again inside one transaction, and any
    failure leaves the database as it was (and the import awaiting confirmation).
    New accounts get a verified address and are invited once the data is committed.
    """
    with transaction.atomic():
        locked = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
        if locked.status != StaffImport.Status.PENDING:
            raise StaffImportError(_("This import has already been confirmed."))
        checks = check_rows(rows=locked.rows, actor=actor)
        new_users = [
            User(
                email=c.email,
                full_name=c.name,
                nip=c.nip,
                employment_type=c.employment_type,
                office=c.office,
                invited_by=actor,
                password=make_password(None),  # unusable until the invitee sets one
            )
            for c in checks
            if c.action == Action.CREATE
        ]
        created = User.objects.bulk_create(new_users, batch_size=500)
        if created and created[0].pk is None:  # backends without RETURNING
            by_email = dict(
                User.objects.filter(email__in=[u.email for u in created]).values_list(
                    "email", "pk"
                )
            )
            for user in created:
                user.pk = by_email[user.email]
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user_id=u.pk, email=u.email, verified=True, primary=True)
                for u in created
            ],
            batch_size=500,
        )
        updates = [c for c in checks if c.action == Action.UPDATE]
        for check in updates:
            for name, value in check.changes.items():
                setattr(check.user, name, value)
        if updates:
            User.objects.bulk_update(
                [c.user for c in updates], UPDATABLE_FIELDS, batch_size=500
            )
        result = ImportResult(
            created=len(created),
            updated=len(updates),
            unchanged=sum(1 for c in checks if c.action == Action.UNCHANGED),
            skipped=[
                {
                    "line": c.line,
                    "email": c.email or c.raw.get("email", ""),
                    "name": c.name,
                    "problems": [p.as_json() for p in c.problems],
                }
                for c in checks
                if c.action == Action.SKIP
            ],
        )
        locked.status = StaffImport.Status.DONE
        locked.result = result.as_json()
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["status", "result", "confirmed_at"])
        invitations_enqueue(user_ids=[u.pk for u in created])
    staff_import.refresh_from_db()
    return result


def staff_imports_purge(*, before: datetime) -> int:
    """Delete uploads (names, e-mails, NIPs) made before `before`. Returns how many."""
    deleted, _by_model = StaffImport.objects.filter(created_at__lt=before).delete()
    return deleted


def staff_import_cancel(*, staff_import: StaffImport) -> None:
    StaffImport.objects.filter(
        pk=staff_import.pk, status=StaffImport.Status.PENDING
    ).update(status=StaffImport.Status.CANCELLED)


def invitations_enqueue(*, user_ids: list[int], resend: bool = False) -> None:
    """Queue one invitation per user once the current transaction commits.

    `robust`: a broker that is down must not turn a committed import into an
    error page; those users show as "not invited" and can be invited again.
    """
    from .tasks import send_invitation

    requested_at = timezone.now().isoformat() if resend else None

    def enqueue():
        for pk in user_ids:
            send_invitation.delay(pk, requested_at)

    if user_ids:
        transaction.on_commit(enqueue, robust=True)


def invitation_link(user: User) -> str:
    """Where the invitee chooses a password: allauth's password-reset-from-key page."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def invitation_send(*, user_id: int, requested_at: datetime | None = None) -> bool:
    """E-mail the invitation unless it has gone out already. Safe to run twice.

    A first invitation goes out when none has been sent; a repeat (`requested_at`)
    when the last one is older than the request. Nobody who has signed in is
    invited. Returns whether an e-mail was sent.
    """
    user = (
        User.objects.select_related("office", "invited_by")
        .filter(pk=user_id, is_active=True, last_login__isnull=True)
        .first()
    )
    if user is None:
        return False
    if user.invited_at is not None and (
        requested_at is None or user.invited_at >= requested_at
    ):
        return False
    context = {
        "user": user,
        "inviter": user.invited_by,
        "link": invitation_link(user),
        "login_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("account_login"),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    User.objects.filter(pk=user.pk).update(invited_at=timezone.now())
    return True


def user_email_vouch(*, user: User) -> None:
    """Mark the user's current address verified and primary.

    For accounts an administrator or coordinator creates: they vouch for the
    address, and the invitee proves it by using the link sent there.
    """
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(
        primary=False
    )
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])


# --- One's own data: export and erasure (docs/privacy.md) ------------------------

EXPORT_FORMAT = "akademi-ppid.personal-data"
EXPORT_VERSION = 1


def account_data_export(*, user: User, now: datetime) -> dict:
    """Everything the apps hold about `user`, one section per app (see
    personal_data); dates and decimals are left to the JSON encoder."""
    document: dict = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": now,
    }
    for part in personal_data.registered():
        document[part.section] = part.export(user)
    return document


@dataclass(frozen=True)
class ErasureResult:
    erased: bool  # False: the account had been erased already
    counts: dict[str, int] = field(default_factory=dict)


def _anonymise(user: User) -> None:
    user.email = f"deleted-{user.pk}@{ERASED_EMAIL_DOMAIN}"
    user.full_name = ERASED_NAME
    user.nip = ""
    user.intern_start = user.intern_end = None
    user.office = None
    user.language = ""
    user.invited_by = None
    user.invited_at = None
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def account_erase(*, account: User, actor: User) -> ErasureResult:
    """Erase a person's data on request, in one transaction; safe to repeat.

    Each app deletes what is only personal (personal_data, in reverse
    INSTALLED_APPS order) and keeps its records (issued certificates); then the
    account is anonymised and deactivated, the action logged without personal
    data, and a notice sent to the old address once the erasure has committed.
    Who may ask is the caller's question (permissions.user_can_erase_account).
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=account.pk)
        if locked.is_erased:
            return ErasureResult(erased=False)
        notice = {
            "email": locked.email,
            "name": locked.full_name,
            "language": locked.language or settings.LANGUAGE_CODE,
        }
        counts: Counter[str] = Counter()
        for part in reversed(personal_data.registered()):
            counts.update(part.erase(locked))
        _anonymise(locked)
        log(
            locked,
            "accounts.erase",
            user=actor,
            data={
                "requested_by": "self" if actor.pk == locked.pk else "administrator",
                "counts": dict(counts),
            },
        )
        transaction.on_commit(lambda: _enqueue_erasure_notice(**notice), robust=True)
    account.refresh_from_db()
    return ErasureResult(erased=True, counts=dict(counts))


def _enqueue_erasure_notice(**notice) -> None:
    from .tasks import send_erasure_notice

    send_erasure_notice.delay(notice["email"], notice["name"], notice["language"])


def erasure_notice_send(*, email: str, name: str, language: str) -> None:
    """Tell the old address that the account is gone and what was kept."""
    context = {
        "name": name,
        "signup_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("account_signup"),
        "verify_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("certificates:verify"),
    }
    with translation.override(language):
        subject = render_to_string("accounts/email/erasure_subject.txt", context)
        body = render_to_string("accounts/email/erasure_message.txt", context)
    send_mail(" ".join(subject.split()), body, None, [email])
