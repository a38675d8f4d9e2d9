"""Who may act on which account and staff import.

Scoping follows lms.offices.permissions: a coordinator acts on accounts whose
office lies in their subtrees; an administrator on every account.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from lms.offices.permissions import offices_visible_to, user_is_admin

from .models import StaffImport, User


def staff_visible_to(user):
    """Accounts a coordinator may list and invite: members of offices in scope."""
    if user_is_admin(user):
        return User.objects.all()
    return User.objects.filter(office__in=offices_visible_to(user))


def staff_member_for_user_or_404(user, pk) -> User:
    return get_object_or_404(staff_visible_to(user), pk=pk)


def staff_import_for_user_or_404(user, pk) -> StaffImport:
    """The user's own upload; 404 for missing and someone else's alike."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(StaffImport, pk=pk, owner=user)


def user_can_be_invited_again(member: User) -> bool:
    """Only someone who has never signed in: the link would set a new password."""
    return member.is_active and member.last_login is None


def user_can_erase_account(actor, account: User) -> bool:
    """Everyone may erase their own account; an administrator anyone else's.
    Coordinators may not: an account is more than its membership of an office."""
    if not actor.is_authenticated or account.is_erased:
        return False
    return actor.pk == account.pk or user_is_admin(actor)
