"""Who may see and act on which office.

Views never test roles inline: they ask these functions. The core question is
"which offices may this user see" as a queryset, so that every list, form choice
and lookup is scoped the same way.

Roles: every member is a learner; a CoordinatorScope makes a user coordinator of
one office and everything under it; the "Instruktur" group makes an instructor
(Wagtail admin, pages and snippets); a superuser is an administrator.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from .models import CoordinatorScope, Office

INSTRUCTOR_GROUP = "Instruktur"


def user_is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def with_roles(users: QuerySet) -> QuerySet:
    """Users with their coordinator and instructor roles answered in the same query.

    The session's user is loaded this way (lms.accounts.backends), so the role
    checks below cost no query on a request.
    """
    return users.annotate(
        _is_coordinator=Exists(CoordinatorScope.objects.filter(user=OuterRef("pk"))),
        _is_instructor=Exists(
            Group.objects.filter(user=OuterRef("pk"), name=INSTRUCTOR_GROUP)
        ),
    )


def user_is_instructor(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    known = getattr(user, "_is_instructor", None)
    if known is not None:
        return known
    return user.groups.filter(name=INSTRUCTOR_GROUP).exists()


def user_is_coordinator(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    known = getattr(user, "_is_coordinator", None)
    if known is not None:
        return known
    return user.coordinator_scopes.exists()


def offices_visible_to(user) -> QuerySet[Office]:
    """Offices a user may coordinate: administrators see all, coordinators their
    subtrees. One query when evaluated (the scopes are a subquery)."""
    if not user.is_authenticated:
        return Office.objects.none()
    if user.is_superuser:
        return Office.objects.all()
    roots = Office.objects.filter(coordinator_scopes__user=user).values("pk")
    return Office.objects.subtrees(roots)


def user_can_manage_office(user, office: Office) -> bool:
    return offices_visible_to(user).filter(pk=office.pk).exists()


def office_for_user_or_404(user, pk) -> Office:
    """An office the user may coordinate; 404 for missing and out-of-scope alike."""
    try:
        return offices_visible_to(user).get(pk=pk)
    except (Office.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def user_can_manage_staff(user) -> bool:
    """Coordinator pages (staff list, imports, invitations)."""
    return user_is_coordinator(user)


def require_staff_manager(user) -> None:
    """403 for signed-in users without a coordinator role."""
    if not user_can_manage_staff(user):
        raise PermissionDenied


def user_can_merge_offices(user) -> bool:
    return user_is_admin(user)
