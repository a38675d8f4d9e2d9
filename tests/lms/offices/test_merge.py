"""Merging an office keeps its members, sub-offices, coordinators and history."""

import pytest
from wagtail.models import ModelLogEntry

from lms.offices.models import CoordinatorScope, Office
from lms.offices.services import coordinator_scopes_set, office_merge
from lms.offices.signals import office_merged
from tests.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_merging_moves_members_and_keeps_the_old_office_inactive(office_tree):
    badung, denpasar = office_tree.badung, office_tree.denpasar
    members = UserFactory.create_batch(3, office=badung)
    stays = UserFactory(office=denpasar)

    result = office_merge(source=badung, target=denpasar)

    assert result.members == 3
    assert set(denpasar.members.all()) == {*members, stays}
    assert not badung.members.exists()
    badung.refresh_from_db()
    assert badung.is_active is False
    assert badung.merged_into == denpasar
    assert Office.objects.filter(pk=badung.pk).exists()


def test_merging_a_province_moves_its_sub_offices_and_coordinators(office_tree):
    bali, jateng = office_tree.bali, office_tree.jateng
    coordinator = UserFactory(office=bali, coordinates=bali)
    both = UserFactory(office=bali, coordinates=[bali, jateng])

    result = office_merge(source=bali, target=jateng)

    assert result.children == 2
    assert set(jateng.children.all()) == {
        office_tree.badung,
        office_tree.denpasar,
        office_tree.klaten,
    }
    assert CoordinatorScope.objects.filter(user=coordinator, office=jateng).exists()
    assert not CoordinatorScope.objects.filter(office=bali).exists()
    assert CoordinatorScope.objects.filter(user=both).count() == 1


def test_the_merge_is_recorded_in_both_offices_history(office_tree, django_user_model):
    admin = UserFactory(admin=True)
    office_merge(source=office_tree.badung, target=office_tree.denpasar, actor=admin)
    source_log = ModelLogEntry.objects.for_instance(office_tree.badung).get()
    target_log = ModelLogEntry.objects.for_instance(office_tree.denpasar).get()
    assert source_log.action == "offices.merge" and source_log.user == admin
    assert target_log.action == "offices.absorb"
    assert source_log.data["target"]["code"] == "51.71"


def test_other_apps_hear_about_a_merge_inside_the_transaction(office_tree):
    heard = []

    def receiver(sender, source, target, actor, **kwargs):
        heard.append((source.code, target.code))

    office_merged.connect(receiver)
    try:
        office_merge(source=office_tree.badung, target=office_tree.denpasar)
    finally:
        office_merged.disconnect(receiver)
    assert heard == [("51.03", "51.71")]


@pytest.mark.parametrize(
    ("source", "target", "reason"),
    [
        ("badung", "badung", "itself"),
        ("bali", "badung", "own sub-offices"),
        ("national", "klaten", "own sub-offices"),
    ],
)
def test_an_office_cannot_be_merged_into_itself_or_below_itself(
    office_tree, source, target, reason
):
    with pytest.raises(ValueError, match=reason):
        office_merge(
            source=getattr(office_tree, source), target=getattr(office_tree, target)
        )


def test_a_merged_office_cannot_be_merged_again_nor_receive_a_merge(office_tree):
    office_merge(source=office_tree.badung, target=office_tree.denpasar)
    other = OfficeFactory(parent=office_tree.bali)
    with pytest.raises(ValueError, match="already been merged"):
        office_merge(source=office_tree.badung, target=other)
    with pytest.raises(ValueError, match="closed office"):
        office_merge(source=other, target=office_tree.badung)


def test_coordinator_scopes_can_be_replaced_in_one_call(office_tree):
    user = UserFactory(coordinates=office_tree.bali)
    coordinator_scopes_set(user=user, offices=[office_tree.jateng, office_tree.klaten])
    assert set(
        CoordinatorScope.objects.filter(user=user).values_list(
            "office__code", flat=True
        )
    ) == {"33", "33.10"}
    coordinator_scopes_set(user=user, offices=[])
    assert not CoordinatorScope.objects.filter(user=user).exists()
