"""Template context every page needs: the user's roles for the navigation."""

from lms.offices.permissions import user_is_coordinator, user_is_instructor


def platform(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_is_coordinator": False, "nav_is_instructor": False}
    return {
        "nav_is_coordinator": user_is_coordinator(user),
        "nav_is_instructor": user_is_instructor(user),
    }
