"""The "Instruktur" group: Wagtail admin access, pages, images, documents, snippets."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Page

from lms.offices.permissions import INSTRUCTOR_GROUP
from lms.offices.services import instructor_group_sync
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_group_exists_after_migrate_with_admin_access():
    group = Group.objects.get(name=INSTRUCTOR_GROUP)
    assert group.permissions.filter(codename="access_admin").exists()


def test_instructors_may_add_edit_and_publish_every_page():
    group = instructor_group_sync()
    root = Page.get_first_root_node()
    codenames = set(
        GroupPagePermission.objects.filter(group=group, page=root).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page", "publish_page"}


def test_instructors_may_edit_every_registered_snippet():
    from wagtail.snippets.models import get_snippet_models

    group = instructor_group_sync()
    for model in get_snippet_models():
        assert group.permissions.filter(
            content_type__app_label=model._meta.app_label,
            codename=f"change_{model._meta.model_name}",
        ).exists(), model


def test_syncing_again_changes_nothing():
    group = instructor_group_sync()
    counts = (group.permissions.count(), GroupPagePermission.objects.count())
    instructor_group_sync()
    assert (group.permissions.count(), GroupPagePermission.objects.count()) == counts


def test_an_instructor_opens_the_admin_and_a_learner_does_not(client):
    client.force_login(UserFactory(instructor=True))
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code in (200, 302)
    client.force_login(UserFactory())
    assert client.get("/admin/").status_code == 302
