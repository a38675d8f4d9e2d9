"""Loading the 553 KPU offices: counts, tree shape, names, idempotence, merges."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from lms.offices.models import Office
from lms.offices.services import office_merge, offices_load
from tests.factories import UserFactory


class OfficeLoadingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.result = offices_load()

    def test_the_bundled_file_creates_553_offices(self):
        assert self.result.created == 553
        assert Office.objects.count() == 553

    def test_there_is_one_national_office_38_provinces_and_514_regencies_and_cities(
        self,
    ):
        levels = Office.Level
        assert Office.objects.filter(level=levels.NATIONAL).count() == 1
        assert Office.objects.filter(level=levels.PROVINCE).count() == 38
        assert (
            Office.objects.filter(level__in=[levels.REGENCY, levels.CITY]).count()
            == 514
        )

    def test_every_province_hangs_under_kpu_ri(self):
        national = Office.objects.get(level=Office.Level.NATIONAL)
        assert national.code == "00" and national.parent is None
        provinces = Office.objects.filter(level=Office.Level.PROVINCE)
        assert set(provinces.values_list("parent_id", flat=True)) == {national.pk}

    def test_every_regency_and_city_hangs_under_a_province(self):
        lower = Office.objects.filter(
            level__in=[Office.Level.REGENCY, Office.Level.CITY]
        ).select_related("parent")
        assert all(o.parent.level == Office.Level.PROVINCE for o in lower)
        assert all(o.code.startswith(o.parent.code + ".") for o in lower)

    def test_aceh_offices_are_named_kip(self):
        aceh = Office.objects.filter(code__regex=r"^11(\.|$)")
        assert aceh.count() == 24  # the province and its 23 regencies and cities
        assert all(o.name.startswith("KIP ") for o in aceh), [
            o.name for o in aceh if not o.name.startswith("KIP ")
        ]
        assert not Office.objects.exclude(pk__in=aceh).filter(name__startswith="KIP")

    def test_loading_again_changes_nothing(self):
        again = offices_load()
        assert (again.created, again.updated, again.unchanged) == (0, 0, 553)
        assert Office.objects.count() == 553

    def test_a_corrected_name_survives_a_reload_unless_names_are_updated(self):
        badung = Office.objects.get(code="51.03")
        badung.name = "KPU Kab. Badung"
        badung.save()
        offices_load()
        assert Office.objects.get(code="51.03").name == "KPU Kab. Badung"
        offices_load(update_names=True)
        assert Office.objects.get(code="51.03").name == "KPU Kabupaten Badung"

    def test_a_reload_keeps_a_merge(self):
        bali = Office.objects.get(code="51")
        ntb = Office.objects.get(code="52")
        member = UserFactory(office=bali)
        office_merge(source=bali, target=ntb)
        offices_load()
        bali.refresh_from_db()
        assert bali.merged_into == ntb and not bali.is_active
        assert Office.objects.get(code="51.03").parent == ntb
        member.refresh_from_db()
        assert member.office == ntb

    def test_the_command_reports_what_it_did(self):
        out = StringIO()
        call_command("load_offices", stdout=out)
        assert "0 created, 0 updated, 553 unchanged" in out.getvalue()
