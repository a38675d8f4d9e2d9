"""Moodle XML and YAML interchange: round trip, partial imports, unsafe XML."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import translation

from quizzes.interchange import (
    MAX_BYTES,
    BankFileError,
    export_moodle_xml,
    parse_bank_yaml,
    parse_moodle_xml,
)
from quizzes.models import Question, QuestionCategory
from quizzes.selectors import questions_for_export
from quizzes.services import bank_import

from .factories import CategoryFactory, one_of_each

BROKEN = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Keberatan</text></category>
    <info format="plain_text"><text>Regulasi: uu-14-2008
Topik: Keberatan</text></info></question>
  <question type="multichoice">
    <name><text>Atasan PPID</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Kepada siapa keberatan diajukan?</p>]]></text>
    </questiontext>
    <generalfeedback format="html"><text>Pasal 35 ayat (1).</text></generalfeedback>
    <single>true</single>
    <answer fraction="100">
      <text>Atasan PPID</text><feedback><text>Tepat.</text></feedback>
    </answer>
    <answer fraction="0"><text>Komisi Informasi</text></answer>
  </question>
  <question type="essay">
    <name><text>Essay about X</text></name>
    <questiontext format="html"><text>Tulis esai.</text></questiontext>
  </question>
  <question type="multichoice">
    <name><text>No right option</text></name>
    <questiontext format="html"><text>Pilih.</text></questiontext>
    <single>true</single>
    <answer fraction="0"><text>A</text></answer>
    <answer fraction="0"><text>B</text></answer>
  </question>
  <question type="truefalse">
    <name><text>Bebas biaya</text></name>
    <questiontext format="html">
      <text>Layanan informasi dikenai biaya penggandaan.</text>
    </questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
  <question type="numerical">
    <name><text>Berapa hari</text></name>
    <questiontext format="html"><text>Berapa hari kerja?</text></questiontext>
  </question>
  <question type="shortanswer">
    <name><text></text></name>
    <questiontext format="html"><text></text></questiontext>
  </question>
</quiz>
"""


def test_a_file_with_bad_questions_imports_the_good_ones_and_lists_each_rejection(db):
    bank = parse_moodle_xml(BROKEN)
    report = bank_import(bank=bank)
    assert sorted(report.created) == ["Atasan PPID", "Bebas biaya"]
    reasons = [str(r) for r in report.rejected]
    assert reasons == [
        "question 2 'Essay about X': type essay is not supported",
        "question 3 'No right option': no option is marked right",
        "question 5 'Berapa hari': type numerical is not supported",
        "question 6 '#6': the question has no text",
    ]
    category = QuestionCategory.objects.get(name="Keberatan")
    assert category.regulation == "uu-14-2008"
    q = Question.objects.get(name="Atasan PPID")
    assert q.category == category
    assert [c.is_correct for c in q.choices.order_by("sort_order")] == [True, False]
    tf = Question.objects.get(name="Bebas biaya")
    assert [(c.text, c.is_correct) for c in tf.choices.order_by("sort_order")] == [
        ("Benar", True),
        ("Salah", False),
    ]


PARTIAL = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Setengah benar</text></name>
    <questiontext format="html"><text>Pilih.</text></questiontext>
    <single>true</single>
    <answer fraction="100"><text>A</text></answer>
    <answer fraction="50"><text>B</text></answer>
  </question>
</quiz>
"""


def test_rejections_and_warnings_read_in_indonesian_under_the_default_language(db):
    report = bank_import(bank=parse_moodle_xml(BROKEN))
    assert report.rejected_lines() == [
        "soal 2 'Essay about X': jenis essay tidak didukung",
        "soal 3 'No right option': tidak ada opsi yang ditandai benar",
        "soal 5 'Berapa hari': jenis numerical tidak didukung",
        "soal 6 '#6': soal tidak berisi teks",
    ]
    warned = bank_import(bank=parse_moodle_xml(PARTIAL))
    assert warned.warning_lines() == [
        "soal 1 'Setengah benar': nilai parsial sebuah opsi diabaikan"
    ]
    with translation.override("en"):
        assert report.rejected_lines()[0] == (
            "question 2 'Essay about X': type essay is not supported"
        )
        assert warned.warning_lines() == [
            "question 1 'Setengah benar': partial credit of an option was dropped"
        ]


def test_the_legal_engines_refusal_keeps_its_detail_in_the_translation(db):
    report = bank_import(bank=parse_bank_yaml(YAML_BANK))
    line = next(x for x in report.rejected_lines() if "Tahun tak dikenal" in x)
    assert line.startswith(
        "soal 3 'Tahun tak dikenal': mesin hukum tidak dapat menghitung tanggalnya: "
    )
    assert len(line) > len(
        "soal 3 'Tahun tak dikenal': mesin hukum tidak dapat menghitung tanggalnya: "
    )


def test_moodle_round_trip_keeps_every_supported_question(db):
    category = CategoryFactory(name="Tenggat & Sengketa", topic="Tenggat")
    originals = one_of_each(category)
    for n, q in enumerate(originals):
        q.external_id = f"rt-{n}"
        q.basis_marker = "S" if n % 2 else "V"
        q.save()
        q.tags.set(["tenggat", f"t{n}"])
        q.save()
    before = {q.external_id: q for q in questions_for_export()}
    xml, skipped = export_moodle_xml(list(before.values()))
    assert [s.reason for s in skipped] == ["type date has no Moodle equivalent"]

    Question.objects.all().delete()
    QuestionCategory.objects.all().delete()
    report = bank_import(bank=parse_moodle_xml(xml))
    assert len(report.created) == 6 and not report.rejected, report
    after = {q.external_id: q for q in questions_for_export()}
    for key, old in before.items():
        if old.kind == "date":
            assert key not in after
            continue
        new = after[key]
        for attr in (
            "name",
            "kind",
            "text",
            "explanation",
            "legal_basis",
            "marker",
            "points",
            "tags",
        ):
            assert getattr(new, attr) == getattr(old, attr), (key, attr)
        assert [
            (c.text, c.is_correct, c.match_text, c.feedback) for c in new.choices
        ] == [(c.text, c.is_correct, c.match_text, c.feedback) for c in old.choices], (
            key
        )
        assert new.category.name == old.category.name
        assert new.category.regulation == old.category.regulation


def test_reimporting_replaces_questions_by_id_number(db):
    q = one_of_each()[0]
    q.external_id = "x-1"
    q.save()
    xml, _ = export_moodle_xml(questions_for_export())
    report = bank_import(bank=parse_moodle_xml(xml))
    assert report.updated == [q.name]
    assert Question.objects.filter(external_id="x-1").count() == 1


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<quiz><question type="shortanswer"><name><text>&lol3;</text></name></question></quiz>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<quiz><question type="shortanswer"><name><text>&xxe;</text></name>
<questiontext><text>x</text></questiontext>
<answer fraction="100"><text>&xxe;</text></answer></question></quiz>"""

DTD_ONLY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz SYSTEM "http://example.invalid/evil.dtd">
<quiz></quiz>"""

QUADRATIC = (
    b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "'
    + b"x" * 50_000
    + b'">]><quiz>'
    + b"&a;" * 1000
    + b"</quiz>"
)


@pytest.mark.parametrize(
    "payload",
    [BOMB, XXE, DTD_ONLY, QUADRATIC],
    ids=["billion-laughs", "xxe", "dtd", "quadratic"],
)
def test_unsafe_xml_is_refused_before_any_expansion(payload):
    with pytest.raises(BankFileError, match="DTD, entities or external"):
        parse_moodle_xml(payload)


def test_an_oversized_file_is_refused_before_parsing():
    with pytest.raises(BankFileError, match="larger than 5 MB"):
        parse_moodle_xml(b"<quiz>" + b" " * MAX_BYTES + b"</quiz>")


@pytest.mark.parametrize(
    ("payload", "message"),
    [(b"<quiz><question>", "not well-formed"), (b"<html></html>", "not Moodle XML")],
)
def test_malformed_files_are_reported(payload, message):
    with pytest.raises(BankFileError, match=message):
        parse_moodle_xml(payload)


YAML_BANK = """
category: {name: Tenggat, regulation: uu-14-2008, topic: Tenggat pemberitahuan}
questions:
  - id: y-1
    type: date
    name: Tenggat lebaran
    text: Kapan batas pemberitahuan tertulis?
    kip: {step: notice, start: 2024-04-03}
    explanation: Dihitung 10 hari kerja.
    basis: UU 14/2008 Pasal 22 ayat (7)
  - type: date
    name: Tanggal tanpa kunci
    text: Kapan?
  - type: date
    name: Tahun tak dikenal
    text: Kapan?
    kip: {step: notice, start: 1999-01-04}
  - type: ordering
    name: Urutan
    text: Urutkan.
    steps: [Permohonan, Keberatan, Sengketa]
"""


def test_yaml_bank_imports_date_questions_and_rejects_uncomputable_ones(db):
    report = bank_import(bank=parse_bank_yaml(YAML_BANK))
    assert sorted(report.created) == ["Tenggat lebaran", "Urutan"]
    reasons = {r.name: r.reason for r in report.rejected}
    assert "either a date or a KIP step" in reasons["Tanggal tanpa kunci"]
    assert "legal engine cannot compute" in reasons["Tahun tak dikenal"]
    q = Question.objects.get(external_id="y-1")
    assert q.expected_date() == datetime.date(2024, 4, 25)


def test_management_commands_round_trip(db, tmp_path, capsys):
    for q in one_of_each(CategoryFactory(name="Cmd")):
        q.external_id = f"cmd-{q.pk}"
        q.save()
    out = tmp_path / "bank.xml"
    call_command("export_questions", "--category", "Cmd", "-o", str(out))
    assert "skipped:" in capsys.readouterr().err
    Question.objects.all().delete()
    call_command("import_questions", str(out))
    assert "6 created, 0 replaced, 0 rejected" in capsys.readouterr().out
    assert Question.objects.count() == 6
