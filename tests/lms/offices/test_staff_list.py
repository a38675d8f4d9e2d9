"""/koordinator/staf/: members in the coordinator's scope, filtered by office."""

import pytest
from django.test import TestCase
from django.urls import reverse

from tests.factories import UserFactory, build_office_tree

URL = reverse("offices:staff_list")


class StaffListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_office_tree()
        cls.coordinator = UserFactory(
            office=cls.tree.bali,
            coordinates=cls.tree.bali,
            full_name="Koordinator Bali",
        )
        cls.badung = UserFactory(
            office=cls.tree.badung, full_name="Ni Made Ayu", nip="199003122015032002"
        )
        cls.denpasar = UserFactory(office=cls.tree.denpasar, full_name="Komang Adi")
        cls.klaten = UserFactory(office=cls.tree.klaten, full_name="Sri Rahayu")

    def setUp(self):
        self.client.force_login(self.coordinator)

    def names(self, response) -> set[str]:
        return {m.full_name for m in response.context["page"].object_list}

    def test_lists_members_of_every_office_in_scope_and_no_others(self):
        response = self.client.get(URL)
        assert response.status_code == 200
        assert self.names(response) == {"Koordinator Bali", "Ni Made Ayu", "Komang Adi"}
        self.assertNotContains(response, "Sri Rahayu")

    def test_filters_by_office(self):
        response = self.client.get(URL, {"office": self.tree.badung.pk})
        assert self.names(response) == {"Ni Made Ayu"}

    def test_filtering_by_a_province_includes_its_regencies_and_cities(self):
        response = self.client.get(URL, {"office": self.tree.bali.pk})
        assert len(self.names(response)) == 3

    def test_an_out_of_scope_or_unknown_office_is_404(self):
        for value in (self.tree.klaten.pk, self.tree.jateng.pk, 999_999, "abc"):
            assert self.client.get(URL, {"office": value}).status_code == 404, value

    def test_the_office_choices_are_the_offices_in_scope(self):
        response = self.client.get(URL)
        choices = {o.code for o in response.context["form"].fields["office"].queryset}
        assert choices == {"51", "51.03", "51.71"}

    def test_searches_name_email_and_nip(self):
        assert self.names(self.client.get(URL, {"q": "komang"})) == {"Komang Adi"}
        found = self.client.get(URL, {"q": "19900312 2015"})
        assert self.names(found) == {"Ni Made Ayu"}
        assert not self.names(self.client.get(URL, {"q": "Sri Rahayu"}))

    def test_shows_who_has_not_signed_in_with_a_button_to_invite_them(self):
        response = self.client.get(URL)
        self.assertContains(
            response, reverse("offices:staff_invite_again", args=[self.badung.pk])
        )


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 5])
def test_the_staff_list_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, rows
):
    tree = build_office_tree()
    coordinator = UserFactory(office=tree.national, coordinates=tree.bali)
    UserFactory.create_batch(rows, office=tree.badung)
    client.force_login(coordinator)
    # session, user with its roles, office choices, count, rows
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == rows
