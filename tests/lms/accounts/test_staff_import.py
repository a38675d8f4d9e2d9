"""Bulk staff import: preview names every problem, nothing is saved until the
coordinator confirms, confirming imports the good rows and skips the bad ones,
and a failure imports nothing."""

import functools
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from lms.accounts.models import StaffImport, User
from lms.accounts.services import StaffImportError, staff_import_confirm
from lms.accounts.staff_csv import parse_staff_csv
from lms.accounts.staff_import import Action, check_rows
from tests.factories import StaffImportFactory, UserFactory

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("offices:staff_import_upload")

HEADER = "nama;email;nip;jenis_kepegawaian;kode_kantor"
GOOD_ROWS = [
    "Ni Luh Putu Sari;sari@example.org;1990 0101 2015 03 2 001;PNS;51.03",
    "Made Wirawan;wirawan@example.org;;magang;51.71",
]
BAD_ROWS = {
    "Tanpa Surel;bukan-email;;PNS;51.03": "is not a valid e-mail address",
    "NIP Pendek;pendek@example.org;1990010120150320;PNS;51.03": "is not 18 digits",
    "Kantor Asing;asing@example.org;;PNS;99.99": "Unknown office code “99.99”",
    "Orang Klaten;klaten@example.org;;PNS;33.10": "outside the offices you coordinate",
    "Sari Lagi;SARI@example.org;;PNS;51.03": "Same e-mail as row 2",
    "Jenis Aneh;aneh@example.org;;honorer;51.03": "Unknown employment type “honorer”",
}


def csv_bytes(*rows: str, bom: bool = False) -> bytes:
    text = "\n".join([HEADER, *rows]) + "\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def upload(client, data: bytes, name: str = "pegawai.csv"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, data, "text/csv")})


@pytest.fixture
def coordinator(office_tree):
    return UserFactory(office=office_tree.bali, coordinates=office_tree.bali)


@pytest.fixture
def signed_in(english, coordinator):
    english.force_login(coordinator)
    return english


def test_the_preview_names_every_problem_and_saves_nothing(signed_in, office_tree):
    users_before = User.objects.count()
    response = upload(signed_in, csv_bytes(*GOOD_ROWS, *BAD_ROWS, bom=True))
    assert response.status_code == 302
    staff_import = StaffImport.objects.get()
    assert response.url == reverse("offices:staff_import", args=[staff_import.pk])

    preview = signed_in.get(response.url)
    assert preview.status_code == 200
    for problem in BAD_ROWS.values():
        assert problem in preview.content.decode(), problem
    assert preview.context["preview"].counts == {
        Action.CREATE: 2,
        Action.UPDATE: 0,
        Action.UNCHANGED: 0,
        Action.SKIP: len(BAD_ROWS),
    }
    assert "Import 2 rows" in preview.content.decode()
    assert User.objects.count() == users_before
    assert staff_import.status == StaffImport.Status.PENDING


def test_the_preview_can_show_only_the_rows_with_problems(signed_in):
    response = upload(signed_in, csv_bytes(*GOOD_ROWS, *BAD_ROWS))
    only = signed_in.get(response.url, {"show": "problems"})
    assert len(only.context["rows"]) == len(BAD_ROWS)


def test_confirming_imports_the_good_rows_and_lists_the_skipped_ones(
    signed_in, office_tree, mailoutbox, coordinator, django_capture_on_commit_callbacks
):
    response = upload(signed_in, csv_bytes(*GOOD_ROWS, *BAD_ROWS))
    with django_capture_on_commit_callbacks(execute=True):
        done = signed_in.post(response.url, {"action": "confirm"}, follow=True)

    assert done.status_code == 200
    sari = User.objects.get(email="sari@example.org")
    assert sari.full_name == "Ni Luh Putu Sari"
    assert sari.nip == "199001012015032001"
    assert sari.office == office_tree.badung
    assert sari.employment_type == User.EmploymentType.PNS
    assert sari.invited_by == coordinator
    assert not sari.has_usable_password()
    wirawan = User.objects.get(email="wirawan@example.org")
    assert wirawan.employment_type == User.EmploymentType.MAGANG
    assert not User.objects.filter(
        email__in=["pendek@example.org", "asing@example.org", "klaten@example.org"]
    ).exists()
    # Addresses the coordinator vouched for are verified and primary.
    assert EmailAddress.objects.filter(user=sari, verified=True, primary=True).exists()
    # One invitation per new account.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "sari@example.org",
        "wirawan@example.org",
    ]
    page = done.content.decode()
    assert "Skipped rows" in page
    for problem in BAD_ROWS.values():
        assert problem in page, problem
    staff_import = StaffImport.objects.get()
    assert staff_import.status == StaffImport.Status.DONE
    assert staff_import.result["created"] == 2
    assert len(staff_import.result["skipped"]) == len(BAD_ROWS)


def test_importing_the_same_file_twice_creates_no_duplicates_and_no_second_invitation(
    signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    data = csv_bytes(*GOOD_ROWS)
    first = upload(signed_in, data)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(first.url, {"action": "confirm"})
    assert len(mailoutbox) == 2

    second = upload(signed_in, data)
    preview = signed_in.get(second.url)
    assert preview.context["preview"].counts[Action.UNCHANGED] == 2
    assert preview.context["preview"].importable == 0
    assert "Nothing to import" in preview.content.decode()
    assert (
        User.objects.filter(
            email__in=["sari@example.org", "wirawan@example.org"]
        ).count()
        == 2
    )
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(second.url, {"action": "confirm"})
    assert len(mailoutbox) == 2


def test_a_registered_member_in_scope_is_updated_not_invited(
    signed_in, office_tree, mailoutbox
):
    member = UserFactory(
        email="sari@example.org", office=office_tree.denpasar, full_name="Sari"
    )
    response = upload(signed_in, csv_bytes(GOOD_ROWS[0]))
    preview = signed_in.get(response.url)
    [row] = preview.context["rows"]
    assert row.action == Action.UPDATE
    assert set(row.changes) == {"full_name", "office_id", "nip"}

    signed_in.post(response.url, {"action": "confirm"})
    member.refresh_from_db()
    assert member.office == office_tree.badung
    assert member.full_name == "Ni Luh Putu Sari"
    assert mailoutbox == []


def test_an_account_at_an_office_out_of_scope_is_skipped(signed_in, office_tree):
    UserFactory(email="sari@example.org", office=office_tree.klaten)
    UserFactory(email="other@example.org", nip="199001012015032001")
    response = upload(signed_in, csv_bytes(GOOD_ROWS[0]))
    [row] = signed_in.get(response.url).context["rows"]
    messages = [p.message for p in row.problems]
    assert "This NIP is already registered to another account." in messages
    assert (
        "This e-mail is already registered at an office you do not coordinate."
        in messages
    )


def test_confirming_checks_the_rows_again(signed_in, office_tree):
    response = upload(signed_in, csv_bytes(*GOOD_ROWS))
    # Between preview and confirmation someone registers one of the addresses
    # at an office this coordinator does not coordinate.
    UserFactory(email="wirawan@example.org", office=office_tree.klaten)
    signed_in.post(response.url, {"action": "confirm"})
    staff_import = StaffImport.objects.get()
    assert staff_import.result["created"] == 1
    assert [r["email"] for r in staff_import.result["skipped"]] == [
        "wirawan@example.org"
    ]
    assert User.objects.get(email="wirawan@example.org").office == office_tree.klaten


def test_a_failure_while_importing_imports_nothing(signed_in, mailoutbox):
    response = upload(signed_in, csv_bytes(*GOOD_ROWS))
    with mock.patch(
        "lms.accounts.services.EmailAddress.objects.bulk_create",
        side_effect=IntegrityError("simulated"),
    ):
        result = signed_in.post(response.url, {"action": "confirm"}, follow=True)
    assert "Nothing was imported" in result.content.decode()
    assert not User.objects.filter(
        email__in=["sari@example.org", "wirawan@example.org"]
    ).exists()
    assert StaffImport.objects.get().status == StaffImport.Status.PENDING
    assert mailoutbox == []


def test_an_import_is_confirmed_only_once(coordinator, office_tree):
    staff_import = StaffImportFactory(
        owner=coordinator, rows=parse_staff_csv(csv_bytes(*GOOD_ROWS))
    )
    staff_import_confirm(staff_import=staff_import, actor=coordinator)
    with pytest.raises(StaffImportError):
        staff_import_confirm(staff_import=staff_import, actor=coordinator)
    assert User.objects.filter(email="sari@example.org").count() == 1


def test_cancelling_imports_nothing(signed_in):
    response = upload(signed_in, csv_bytes(*GOOD_ROWS))
    cancelled = signed_in.post(response.url, {"action": "cancel"})
    assert cancelled.url == UPLOAD_URL
    assert StaffImport.objects.get().status == StaffImport.Status.CANCELLED
    assert not User.objects.filter(email="sari@example.org").exists()
    # A cancelled import cannot be confirmed afterwards.
    signed_in.post(response.url, {"action": "confirm"})
    assert not User.objects.filter(email="sari@example.org").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe\x00n\x00a", "not a text file"),
        ("nama;email\nSí;x@example.org\n".encode("latin-1"), "UTF-8"),
        (b"nama;email\nA;a@example.org\n", "Missing column"),
    ],
)
def test_an_unusable_file_is_refused_with_a_clear_message(signed_in, data, message):
    response = upload(signed_in, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StaffImport.objects.exists()


def test_a_file_over_1_mb_is_refused(signed_in):
    response = upload(signed_in, csv_bytes(*GOOD_ROWS) + b"#" * (1024 * 1024))
    assert "larger than 1 MB" in response.content.decode()
    assert not StaffImport.objects.exists()


def test_a_file_over_the_row_limit_is_refused(signed_in):
    limited = functools.partial(parse_staff_csv, max_rows=3)
    with mock.patch("lms.accounts.forms.parse_staff_csv", limited):
        response = upload(signed_in, csv_bytes(*GOOD_ROWS, *BAD_ROWS))
    assert "more than 3 rows" in response.content.decode()


def test_the_sample_file_uses_offices_in_scope_and_reads_back(signed_in):
    response = signed_in.get(reverse("offices:staff_import_sample"))
    assert response["Content-Type"].startswith("text/csv")
    rows = parse_staff_csv(response.content)
    assert {r["office_code"] for r in rows} <= {"51", "51.03", "51.71"}


def test_check_rows_uses_a_fixed_number_of_queries(
    coordinator, django_assert_num_queries
):
    rows = parse_staff_csv(csv_bytes(*GOOD_ROWS, *BAD_ROWS))
    with django_assert_num_queries(4):
        check_rows(rows=rows, actor=coordinator)


def test_an_administrator_may_import_into_any_office(office_tree):
    admin = UserFactory(admin=True, office=office_tree.national)
    rows = parse_staff_csv(csv_bytes("Orang Klaten;klaten@example.org;;PNS;33.10"))
    [row] = check_rows(rows=rows, actor=admin)
    assert row.action == Action.CREATE
