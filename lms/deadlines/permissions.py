"""Who may change the working calendar: administrators (superusers) only.

A closure changes every deadline the platform shows, for every office, so it is not
delegated to instructors or coordinators.
"""

from lms.offices.permissions import user_is_admin


def user_can_manage_calendar(user) -> bool:
    return user_is_admin(user)
