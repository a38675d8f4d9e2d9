"""Invitations: one e-mail with a link to choose a password, never sent twice."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.accounts.models import User
from lms.accounts.services import invitation_send, invitations_enqueue
from lms.accounts.tasks import send_invitation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Gunung-Batur-Pagi-31"  # noqa: S105


@pytest.fixture
def invitee(office_tree):
    inviter = UserFactory(
        office=office_tree.bali, coordinates=office_tree.bali, full_name="Putu Arsana"
    )
    user = UserFactory(
        email="baru@example.org",
        full_name="Kadek Baru",
        office=office_tree.badung,
        invited_by=inviter,
        password="!unusable",  # noqa: S106
    )
    return user


def invitation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/akun/password/reset/key/\S+)", message.body)[1]


def test_the_invitation_names_the_inviter_and_links_to_choosing_a_password(
    invitee, mailoutbox, english
):
    assert invitation_send(user_id=invitee.pk) is True
    [message] = mailoutbox
    assert message.to == ["baru@example.org"]
    assert "Putu Arsana" in message.body
    assert "KPU Kabupaten Badung" in message.body
    assert "/akun/password/reset/key/" in message.body
    invitee.refresh_from_db()
    assert invitee.invited_at is not None


def test_the_invitation_is_in_indonesian_by_default(invitee, mailoutbox):
    invitation_send(user_id=invitee.pk)
    assert mailoutbox[0].subject  # rendered without error in the default language


def test_the_link_lets_the_invitee_choose_a_password_and_sign_in(
    invitee, mailoutbox, client
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=invitee).update(verified=True, primary=True)
    invitation_send(user_id=invitee.pk)
    response = client.get(invitation_path(mailoutbox[0]))
    assert response.status_code == 302  # allauth moves the key into the session
    form_url = response.url
    assert client.get(form_url).status_code == 200
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    invitee.refresh_from_db()
    assert invitee.check_password(NEW_PASSWORD)

    login = client.post(
        reverse("account_login"), {"login": invitee.email, "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_link_is_refused_once_used(invitee, mailoutbox, client):
    invitation_send(user_id=invitee.pk)
    path = invitation_path(mailoutbox[0])
    invitee.set_password(NEW_PASSWORD)
    invitee.save()
    response = client.get(path, follow=True)
    assert response.context["token_fail"] is True


def test_running_the_task_twice_sends_one_e_mail(invitee, mailoutbox):
    assert send_invitation(invitee.pk) is True
    assert send_invitation(invitee.pk) is False
    assert len(mailoutbox) == 1


def test_a_repeat_invitation_goes_out_once_per_request(invitee, mailoutbox):
    send_invitation(invitee.pk)
    requested_at = timezone.now().isoformat()
    assert send_invitation(invitee.pk, requested_at) is True
    assert send_invitation(invitee.pk, requested_at) is False
    assert len(mailoutbox) == 2


def test_nobody_who_has_signed_in_is_invited(invitee, mailoutbox):
    User.objects.filter(pk=invitee.pk).update(last_login=timezone.now())
    assert invitation_send(user_id=invitee.pk) is False
    assert invitation_send(user_id=999_999) is False
    assert mailoutbox == []


def test_invitations_are_enqueued_only_when_the_transaction_commits(
    invitee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitations_enqueue(user_ids=[invitee.pk])
    assert mailoutbox == []
    [callback] = callbacks
    callback()
    assert len(mailoutbox) == 1


def test_a_coordinator_can_send_the_invitation_again(
    invitee, mailoutbox, client, django_capture_on_commit_callbacks
):
    client.force_login(invitee.invited_by)
    send_invitation(invitee.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("offices:staff_invite_again", args=[invitee.pk]))
    assert response.status_code == 302
    assert response.url == reverse("offices:staff_list")
    assert len(mailoutbox) == 2


def test_an_invitation_cannot_be_resent_to_someone_who_signed_in(invitee, client):
    User.objects.filter(pk=invitee.pk).update(last_login=timezone.now())
    client.force_login(invitee.invited_by)
    response = client.post(reverse("offices:staff_invite_again", args=[invitee.pk]))
    assert response.status_code == 404
