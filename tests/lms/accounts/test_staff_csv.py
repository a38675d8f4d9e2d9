"""Reading staff CSV files as Indonesian offices produce them."""

import re

import pytest
from django.utils import translation

from lms.accounts.staff_csv import StaffCsvError, parse_staff_csv


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared with their English source text."""
    with translation.override("en"):
        yield


ID_HEADER = "nama;email;nip;jenis_kepegawaian;kode_kantor\n"


def test_reads_semicolons_indonesian_headers_and_a_bom():
    data = (
        "\ufeff"
        + ID_HEADER
        + "Ni Made Ayu;ayu@example.org;1990 0312 2015 03 2 002;PNS;51.03\n"
    ).encode()
    [row] = parse_staff_csv(data)
    assert row == {
        "line": 2,
        "name": "Ni Made Ayu",
        "email": "ayu@example.org",
        "nip": "1990 0312 2015 03 2 002",
        "employment_type": "PNS",
        "office_code": "51.03",
    }


def test_reads_commas_english_headers_in_any_order_and_quoted_cells():
    data = (
        b"E-mail,Office code,Name,Employment type\r\n"
        b'ayu@example.org,51.03,"Lestari, Ni Made Ayu",pns\r\n'
    )
    [row] = parse_staff_csv(data)
    assert row["name"] == "Lestari, Ni Made Ayu"
    assert row["nip"] == ""  # optional column
    assert row["office_code"] == "51.03"


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    data = (
        ID_HEADER + "A;a@example.org;;PNS;51\n;;;;\n\nB;b@example.org;;PNS;51\n"
    ).encode()
    assert [r["line"] for r in parse_staff_csv(data)] == [2, 5]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (
            b"nama;email\nA;a@example.org\n",
            "Missing column(s): jenis_kepegawaian, kode_kantor",
        ),
        (ID_HEADER.encode(), "no rows"),
        ((ID_HEADER + "Sí;a@example.org;;PNS;51\n").encode("latin-1"), "UTF-8"),
        (b"\x00\x01\x02binary", "not a text file"),
        (b"PK\x03\x04workbook", "Excel workbook"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_with_a_reason(data, message):
    with pytest.raises(StaffCsvError, match=re.escape(message)):
        parse_staff_csv(data)


def test_the_size_limit_is_enforced():
    data = (ID_HEADER + "A;a@example.org;;PNS;51\n" * 100).encode()
    with pytest.raises(StaffCsvError, match="larger than 1 MB"):
        parse_staff_csv(data, max_bytes=1000)


def test_the_row_limit_is_enforced():
    data = (ID_HEADER + "A;a@example.org;;PNS;51\n" * 11).encode()
    assert len(parse_staff_csv(data, max_rows=11)) == 11
    with pytest.raises(StaffCsvError, match="more than 10 rows"):
        parse_staff_csv(data, max_rows=10)
