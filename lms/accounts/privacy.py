"""Personal data of the account itself (lms/accounts/personal_data.py,
docs/privacy.md): the profile, e-mail addresses, two-factor authentication,
invitations and staff imports; and the user foreign keys of the libraries
(allauth, Wagtail, Django's admin), which have no `privacy` module of their own.

Erasure here runs last; the account row itself is anonymised afterwards by
`services.account_erase`.
"""

from __future__ import annotations

from collections import Counter
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.admin.models import EditingSession, FormState
from wagtail.models import APIToken, ModelLogEntry, Page, PageSubscription
from wagtail.users.models import UserProfile

from .models import ERASED_NAME, StaffImport, User
from .personal_data import PersonalData, deleted_counts

# --- Export --------------------------------------------------------------------


def _profile(user: User) -> dict:
    office = user.office
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "nip": user.nip,
        "employment_type": user.employment_type,
        "intern_start": user.intern_start,
        "intern_end": user.intern_end,
        "office": {"code": office.code, "name": office.name} if office else None,
        "language": user.language,
        "is_active": user.is_active,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def _lists_person(row: dict, user: User) -> bool:
    email = (row.get("email") or "").strip().lower()
    nip = "".join(ch for ch in str(row.get("nip") or "") if ch.isdigit())
    return email == user.email.lower() or bool(user.nip and nip == user.nip)


def _imports_listing(user: User):
    """(import, [its rows about the user]) for every kept upload that lists them.

    Uploads are kept for 30 days at most (tasks.STAFF_IMPORT_RETENTION), so
    reading them all is a few hundred rows of JSON, not a table scan of note.
    """
    for staff_import in StaffImport.objects.select_related("owner").order_by(
        "created_at", "pk"
    ):
        rows = [r for r in staff_import.rows if _lists_person(r, user)]
        if rows:
            yield staff_import, rows


def _admin_preferences(user: User) -> dict | None:
    profile = UserProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "preferred_language": profile.preferred_language,
        "current_time_zone": profile.current_time_zone,
        "has_avatar": bool(profile.avatar),
        "submitted_notifications": profile.submitted_notifications,
        "approved_notifications": profile.approved_notifications,
        "rejected_notifications": profile.rejected_notifications,
        "updated_comments_notifications": profile.updated_comments_notifications,
        "theme": profile.theme,
        "contrast": profile.contrast,
        "density": profile.density,
    }


def export(user: User) -> dict:
    methods = sorted(
        set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    )
    return {
        "profile": _profile(user),
        "roles": {
            "administrator": user.is_superuser,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        },
        "email_addresses": list(
            EmailAddress.objects.filter(user=user)
            .order_by("-primary", "email")
            .values("email", "verified", "primary")
        ),
        # Whether it is on and which kinds, never a secret or a recovery code.
        "two_factor_authentication": {
            "enabled": Authenticator.Type.TOTP in methods
            or Authenticator.Type.WEBAUTHN in methods,
            "methods": methods,
        },
        "invitation": {
            "invited_by": user.invited_by.full_name if user.invited_by else None,
            "invited_at": user.invited_at,
        },
        "staff_imports_listing_you": [
            {
                "file_name": staff_import.file_name,
                "uploaded_by": staff_import.owner.full_name,
                "uploaded_at": staff_import.created_at,
                "status": staff_import.status,
                "rows": rows,
            }
            for staff_import, rows in _imports_listing(user)
        ],
        # The rows of one's own uploads are other people's data: counts only.
        "staff_imports_uploaded": [
            {
                "file_name": s.file_name,
                "uploaded_at": s.created_at,
                "status": s.status,
                "confirmed_at": s.confirmed_at,
                "rows": len(s.rows),
            }
            for s in StaffImport.objects.filter(owner=user).order_by("created_at")
        ],
        "admin_preferences": _admin_preferences(user),
    }


# --- Erasure -------------------------------------------------------------------


def _scrub_staff_imports(user: User) -> int:
    """Remove the user's rows from other coordinators' uploads (kept ≤ 30 days)."""
    scrubbed = 0
    for staff_import, rows in list(_imports_listing(user)):
        staff_import.rows = [r for r in staff_import.rows if r not in rows]
        skipped = staff_import.result.get("skipped") if staff_import.result else None
        if skipped:
            staff_import.result["skipped"] = [
                r for r in skipped if not _lists_person(r, user)
            ]
        staff_import.save(update_fields=["rows", "result"])
        scrubbed += len(rows)
    return scrubbed


def _sessions_delete(user: User) -> int:
    """Delete the user's sessions where the engine keeps them in the database.

    Any other engine is covered anyway: the unusable password changes the
    session hash Django checks on every request, and the account is inactive.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return 0
    model = store.get_model_class()
    keys = [
        session.session_key
        for session in model.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    for key in keys:
        store(session_key=key).delete()
    return len(keys)


def erase(user: User) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for model in (
        EmailAddress,
        Authenticator,
        EditingSession,
        FormState,
        APIToken,
        PageSubscription,
    ):
        counts.update(deleted_counts(model.objects.filter(user=user).delete()))
    profile = UserProfile.objects.filter(user=user).first()
    if profile is not None:
        avatar = profile.avatar.name if profile.avatar else ""
        counts.update(
            deleted_counts(UserProfile.objects.filter(pk=profile.pk).delete())
        )
        if avatar:
            storage = profile.avatar.storage
            transaction.on_commit(lambda: storage.delete(avatar), robust=True)
    counts.update(deleted_counts(StaffImport.objects.filter(owner=user).delete()))
    scrubbed = _scrub_staff_imports(user)
    if scrubbed:
        counts["accounts.StaffImport rows removed"] = scrubbed
    released = Page.objects.filter(locked_by=user).update(
        locked=False, locked_by=None, locked_at=None
    )
    if released:
        counts["wagtailcore.Page locks released"] = released
    # The audit trail of the account keeps what happened and when, not the name.
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(label=ERASED_NAME)
    sessions = _sessions_delete(user)
    if sessions:
        counts["sessions"] = sessions
    return dict(counts)


_EDITORIAL = (
    "editorial and audit history of the site (pages, revisions, workflows, "
    "comments, media, log entries) records work done for the office, not data "
    "about the person as a learner; it keeps pointing at the anonymised account"
)

PERSONAL_DATA = PersonalData(
    section="account",
    export=export,
    erase=erase,
    exported=(
        "accounts.User.invited_by",
        "accounts.StaffImport.owner",
        "account.EmailAddress.user",
        "mfa.Authenticator.user",
        "wagtailusers.UserProfile.user",
    ),
    excluded={
        "wagtailcore.Page.owner": _EDITORIAL,
        "wagtailcore.Page.locked_by": _EDITORIAL + "; locks are released",
        "wagtailcore.Revision.user": _EDITORIAL,
        "wagtailcore.PageLogEntry.user": _EDITORIAL,
        "wagtailcore.ModelLogEntry.user": _EDITORIAL,
        "wagtailcore.WorkflowState.requested_by": _EDITORIAL,
        "wagtailcore.TaskState.finished_by": _EDITORIAL,
        "wagtailcore.Comment.user": _EDITORIAL,
        "wagtailcore.Comment.resolved_by": _EDITORIAL,
        "wagtailcore.CommentReply.user": _EDITORIAL,
        "wagtailcore.UploadedFile.uploaded_by_user": _EDITORIAL,
        "wagtaildocs.Document.uploaded_by_user": _EDITORIAL,
        "wagtailimages.Image.uploaded_by_user": _EDITORIAL,
        "admin.LogEntry.user": _EDITORIAL,
        "wagtailadmin.EditingSession.user": (
            "transient admin state (who is editing a page now); deleted on erasure"
        ),
        "wagtailadmin.FormState.user": (
            "transient admin state (an unsaved form for preview); deleted on erasure"
        ),
        "wagtailcore.PageSubscription.user": (
            "admin notification settings for a page; deleted on erasure"
        ),
        "wagtailcore.APIToken.user": (
            "API credentials (stored as digests): a secret, never exported; "
            "deleted on erasure"
        ),
    },
)
