"""Who may do what with certificates. Scope itself is `offices_visible_to`."""

from django.core.exceptions import PermissionDenied

from lms.offices.permissions import user_can_manage_office, user_is_coordinator


def user_can_view_register(user) -> bool:
    return user_is_coordinator(user)


def require_register_access(user) -> None:
    """Learners get 403 on coordinator pages; which certificates a coordinator
    sees is decided by the scoped selectors (out of scope → 404)."""
    if not user_can_view_register(user):
        raise PermissionDenied


def user_can_revoke_certificate(user, certificate) -> bool:
    return certificate.office_id is not None and user_can_manage_office(
        user, certificate.office
    )
