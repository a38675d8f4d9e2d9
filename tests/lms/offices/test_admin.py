"""Wagtail admin for offices: list, add, rename, edit, merge (never delete)."""

import pytest
from django.urls import reverse

from lms.offices.models import Office
from tests.conftest import admin_in_english
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("office_admin:index")


@pytest.fixture
def admin_client(english, office_tree):
    admin = UserFactory(admin=True, office=office_tree.national)
    english.force_login(admin_in_english(admin))
    return english


def test_the_office_list_shows_codes_names_and_member_counts(admin_client, office_tree):
    UserFactory.create_batch(2, office=office_tree.badung)
    response = admin_client.get(INDEX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "KPU Kabupaten Badung" in page and "51.03" in page
    assert admin_client.get(INDEX, {"q": "badung"}).status_code == 200


def test_an_administrator_renames_an_office(admin_client, office_tree):
    badung = office_tree.badung
    url = reverse("office_admin:edit", args=[badung.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "code": "51.03",
            "level": "regency",
            "parent": office_tree.bali.pk,
            "region_name": "Kabupaten Badung",
            "name": "KPU Kab. Badung",
            "address": "Jl. Raya Sempidi, Mengwi",
            "email": "ppid@badung.kpu.go.id",
            "head_name": "I Wayan Semara",
            "head_title": "Ketua KPU Kabupaten Badung",
        },
    )
    assert response.status_code == 302
    badung.refresh_from_db()
    assert badung.name == "KPU Kab. Badung"
    assert badung.head_name == "I Wayan Semara"


def test_an_administrator_adds_an_office(admin_client, office_tree):
    response = admin_client.post(
        reverse("office_admin:add"),
        {
            "code": "51.99",
            "level": "regency",
            "parent": office_tree.bali.pk,
            "region_name": "Kabupaten Baru",
            "name": "KPU Kabupaten Baru",
        },
    )
    assert response.status_code == 302
    assert Office.objects.get(code="51.99").parent == office_tree.bali


def test_offices_are_never_deleted(admin_client, office_tree):
    url = reverse("office_admin:delete", args=[office_tree.badung.pk])
    response = admin_client.get(url)
    assert response.status_code == 302  # Wagtail's "permission denied"
    assert Office.objects.filter(pk=office_tree.badung.pk).exists()


def test_merging_asks_for_confirmation_before_it_moves_anyone(
    admin_client, office_tree
):
    member = UserFactory(office=office_tree.badung)
    url = reverse("office_admin:merge", args=[office_tree.badung.pk])
    form = admin_client.get(url)
    assert form.status_code == 200
    targets = form.context["form"].fields["target"].queryset
    assert office_tree.badung not in targets and office_tree.denpasar in targets

    confirm = admin_client.post(url, {"target": office_tree.denpasar.pk})
    assert confirm.status_code == 200
    assert "1 member moves" in confirm.content.decode()
    member.refresh_from_db()
    assert member.office == office_tree.badung  # nothing moved yet

    done = admin_client.post(
        url, {"target": office_tree.denpasar.pk, "confirmed": "on"}
    )
    assert done.status_code == 302 and done.url == INDEX
    member.refresh_from_db()
    assert member.office == office_tree.denpasar
    office_tree.badung.refresh_from_db()
    assert office_tree.badung.merged_into == office_tree.denpasar


def test_an_office_cannot_be_merged_into_its_own_sub_office(admin_client, office_tree):
    url = reverse("office_admin:merge", args=[office_tree.bali.pk])
    response = admin_client.post(
        url, {"target": office_tree.badung.pk, "confirmed": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["target"]
    assert Office.objects.get(pk=office_tree.bali.pk).is_active


def test_the_merge_history_shows_in_the_office_history(admin_client, office_tree):
    url = reverse("office_admin:merge", args=[office_tree.badung.pk])
    admin_client.post(url, {"target": office_tree.denpasar.pk, "confirmed": "on"})
    history = admin_client.get(
        reverse("office_admin:history", args=[office_tree.badung.pk])
    )
    assert "Merged into KPU Kota Denpasar" in history.content.decode()


def test_an_office_must_sit_at_the_right_level_of_the_tree(admin_client, office_tree):
    response = admin_client.post(
        reverse("office_admin:add"),
        {
            "code": "51.03.01",
            "level": "regency",
            "parent": office_tree.badung.pk,
            "region_name": "Kecamatan Kuta",
            "name": "PPK Kuta",
        },
    )
    assert response.status_code == 200
    assert "belongs under a province office" in response.content.decode()
    assert not Office.objects.filter(code="51.03.01").exists()
