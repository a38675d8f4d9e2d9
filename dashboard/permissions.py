"""Who may see what on the coordinator pages; roles come from lms.offices.permissions.

Views never test roles inline. Scope is always "the offices a user may coordinate"
(`offices_visible_to`); a learner outside it answers 404 exactly like a missing one.
"""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404

from lms.offices.permissions import (
    offices_visible_to,
    require_staff_manager,
    user_is_admin,
)


def require_coordinator(user) -> None:
    """403 for a signed-in user who coordinates nothing."""
    require_staff_manager(user)


def learners_visible_to(user):
    """Learners whose office the user coordinates; administrators see everyone."""
    users = get_user_model().objects.all()
    if user_is_admin(user):
        return users
    return users.filter(office__in=offices_visible_to(user))


def learner_for_user_or_404(user, pk):
    return get_object_or_404(learners_visible_to(user).select_related("office"), pk=pk)
