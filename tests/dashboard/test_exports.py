"""Exports are safe to open in a spreadsheet and keep dates readable."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dashboard.exports import csv_stream, neutralise, xlsx_bytes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+62 812", "'+62 812"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("Ni Made Ayu", "Ni Made Ayu"),
        ("", ""),
        (-5, -5),
        (None, None),
        (datetime.date(2026, 1, 2), datetime.date(2026, 1, 2)),
    ],
)
def test_formula_starts_get_an_apostrophe(value, expected):
    assert neutralise(value) == expected


def test_csv_has_a_byte_order_mark_and_neutralised_cells():
    when = timezone.make_aware(datetime.datetime(2026, 3, 1, 23, 30), datetime.UTC)
    text = "".join(
        csv_stream(
            ["Name", "=bad"], [["=1+1", when], [None, datetime.date(2026, 3, 2)]]
        )
    )
    assert text.startswith("\ufeffName,'=bad")
    assert "'=1+1,2026-03-02 06:30" in text  # shown in Asia/Jakarta
    assert ",2026-03-02" in text.splitlines()[2]


def test_xlsx_cells_are_text_not_formulas():
    when = timezone.make_aware(datetime.datetime(2026, 3, 1, 23, 30), datetime.UTC)
    data = xlsx_bytes(["Name", "When"], [["=cmd|' /C calc'!A0", when]], title="Peserta")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Peserta"
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0"
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == datetime.datetime(2026, 3, 2, 6, 30)
