"""Numbers, abbreviations, places and dates in the style of an Indonesian letter."""

from datetime import date

import pytest

from certificates import numbering


@pytest.mark.parametrize(
    ("name", "abbreviation"),
    [
        ("KPU Kabupaten Badung", "KPU-Kab.Badung"),
        ("KPU Kota Denpasar", "KPU-Kota.Denpasar"),
        ("KPU Provinsi Bali", "KPU-Prov.Bali"),
        ("KIP Aceh", "KIP-Aceh"),
        ("KPU Republik Indonesia", "KPU-RI"),
        ("KIP Kabupaten Aceh Besar", "KIP-Kab.AcehBesar"),
        ("KIP Kota Banda Aceh", "KIP-Kota.BandaAceh"),
        ("KPU Daerah Istimewa Yogyakarta", "KPU-DIY"),
    ],
)
def test_the_office_abbreviation_is_derived_from_its_name(name, abbreviation):
    assert numbering.office_abbreviation(name) == abbreviation


def test_the_default_pattern_gives_a_number_like_an_official_letter():
    parts = numbering.NumberParts(
        seq=7, abbr="KPU-Kab.Badung", issued_on=date(2026, 11, 23)
    )
    assert numbering.format_number(numbering.DEFAULT_PATTERN, parts) == (
        "0007/PPID/KPU-Kab.Badung/XI/2026"
    )


def test_patterns_may_use_every_placeholder_and_pad_the_serial():
    parts = numbering.NumberParts(
        seq=12, abbr="KIP-Aceh", issued_on=date(2027, 1, 5), office_code="11"
    )
    pattern = "{seq:3}.{seq}/{office_code}/{abbr}/{month}/{month_roman}/{year}"
    assert numbering.format_number(pattern, parts) == "012.12/11/KIP-Aceh/01/I/2027"


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("{seq}/PPID", "{year}"),
        ("PPID/{year}", "{seq}"),
        ("{seq}/{year}/{secret.__class__}", "malformed"),
        ("{seq}/{year}/{nope}", "nope"),
        ("{seq}/{year}/{", "braces"),
    ],
)
def test_a_pattern_must_number_within_a_year_and_use_known_placeholders(
    pattern, problem
):
    with pytest.raises(numbering.PatternError, match=problem.replace("{", r"\{")):
        numbering.validate_pattern(pattern)


def test_roman_months_and_indonesian_month_names():
    assert [numbering.roman_month(m) for m in (1, 4, 9, 11, 12)] == [
        "I",
        "IV",
        "IX",
        "XI",
        "XII",
    ]
    assert numbering.format_date_id(date(2026, 11, 23)) == "23 November 2026"
    assert numbering.format_date_id(date(2027, 8, 1)) == "1 Agustus 2027"


@pytest.mark.parametrize(
    ("level", "code", "region", "place"),
    [
        ("regency", "51.03", "Kabupaten Badung", "Badung"),
        ("city", "51.71", "Kota Denpasar", "Denpasar"),
        ("city", "31.71", "Kota Administrasi Jakarta Pusat", "Jakarta Pusat"),
        ("province", "51", "Bali", "Denpasar"),
        ("province", "11", "Aceh", "Banda Aceh"),
        ("national", "00", "Indonesia", "Jakarta"),
    ],
)
def test_the_place_of_signing_is_the_regency_city_or_capital(
    level, code, region, place
):
    assert numbering.place_name(level=level, code=code, region_name=region) == place


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 11, 23), 24, date(2028, 11, 23)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2026, 6, 15), 12, date(2027, 6, 15)),
    ],
)
def test_validity_adds_calendar_months_clamped_to_the_month_end(start, months, end):
    assert numbering.add_months(start, months) == end


def test_a_nip_is_masked_to_its_first_and_last_four_digits():
    assert numbering.mask_nip("198503122010011002") == "1985**********1002"
    assert numbering.mask_nip("") == ""
