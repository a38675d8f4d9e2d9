"""Authentication backends that load the signed-in user with their roles.

Every rendered page asks whether the user is a coordinator and an instructor (the
navigation, lms/context_processors.py), and many views ask again. Loading the
session's user with both answers as EXISTS subqueries of the one query Django
makes anyway saves two queries on every signed-in request; the answers are as
fresh as the request (the user is loaded again on the next one).
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from lms.offices.permissions import with_roles


class RolesOnLoadMixin:
    def get_user(self, user_id):
        try:
            user = with_roles(get_user_model()._default_manager.all()).get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(RolesOnLoadMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(RolesOnLoadMixin, AllauthBackend):
    pass
