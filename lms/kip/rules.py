"""Statutory steps of a KIP case and their periods under each regime, as data.

Values, articles and markers follow docs/reference/kip-law.md (compiled
2026-11-22): [V] verified in a source reproducing the legal text, [S] secondary,
[R] recalled and unverified. Nothing marked [S] or [R] is settled; `explain()` warns
about it. The general regime is UU 14/2008 with PerKI 1/2021 and PerKI 1/2013; the
election regime is PerKI 1/2019 (Pemilu and Pilkada information), which falls back
to the general rule wherever no period of its own was found.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from lms.kip.common import KipError, Text


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"


@dataclass(frozen=True)
class LegalBasis:
    citation: str
    marker: Literal["V", "S", "R"]
    note: Text | None = None


@dataclass(frozen=True)
class Step:
    """What happens and what event starts the period, whatever the regime."""

    key: str
    label: Text
    counted_from: Text


@dataclass(frozen=True)
class Rule:
    """A period under one regime: `days` counted from the step's event."""

    days: int
    unit: Unit
    basis: tuple[LegalBasis, ...]
    note: Text | None = None


@dataclass(frozen=True)
class Regime:
    key: str
    label: Text
    rules: Mapping[str, Rule]
    # Regime whose rule applies where this one sets no period, and the note saying so.
    fallback: str | None = None
    fallback_note: Text | None = None
    warnings: tuple[Text, ...] = ()


WD, CD = Unit.WORKING_DAYS, Unit.CALENDAR_DAYS

STEPS: Mapping[str, Step] = {
    step.key: step
    for step in (
        Step(
            "notice",
            Text(
                "Pemberitahuan tertulis atas permohonan informasi",
                "Written notice on an information request",
            ),
            Text("diterimanya permohonan", "receipt of the request"),
        ),
        Step(
            "notice_extended",
            Text(
                "Pemberitahuan tertulis dengan perpanjangan waktu",
                "Written notice with the extension used",
            ),
            Text("diterimanya permohonan", "receipt of the request"),
        ),
        Step(
            "objection",
            Text(
                "Pengajuan keberatan kepada Atasan PPID",
                "Filing an objection (keberatan) with the PPID's superior",
            ),
            Text(
                "ditemukannya alasan keberatan (UU 14/2008 Pasal 35 ayat (1))",
                "the ground for objection arising (UU 14/2008 Article 35(1))",
            ),
        ),
        Step(
            "objection_response",
            Text(
                "Tanggapan tertulis Atasan PPID atas keberatan",
                "Written answer of the PPID's superior to the objection",
            ),
            Text("diterimanya keberatan secara tertulis", "receipt of the objection"),
        ),
        Step(
            "dispute",
            Text(
                "Pengajuan sengketa informasi ke Komisi Informasi",
                "Filing an information dispute with the Information Commission",
            ),
            Text(
                "diterimanya tanggapan tertulis Atasan PPID, atau berakhirnya "
                "jangka waktu Atasan PPID",
                "receipt of the superior's written answer, or the end of the "
                "superior's period",
            ),
        ),
        Step(
            "dispute_start",
            Text(
                "Komisi Informasi memulai mediasi dan/atau ajudikasi nonlitigasi",
                "The Commission starts mediation and/or non-litigation adjudication",
            ),
            Text("registrasi permohonan", "registration of the application"),
        ),
        Step(
            "dispute_decision",
            Text(
                "Target penyelesaian sengketa oleh Komisi Informasi",
                "Target for the Commission to settle the dispute",
            ),
            Text("registrasi permohonan", "registration of the application"),
        ),
        Step(
            "court_objection",
            Text(
                "Keberatan ke PTUN/PN atas putusan ajudikasi Komisi Informasi",
                "Objection to the administrative/district court against the "
                "Commission's adjudication decision",
            ),
            Text("diterimanya putusan Komisi Informasi", "receipt of the decision"),
        ),
        Step(
            "cassation",
            Text("Kasasi ke Mahkamah Agung", "Cassation to the Supreme Court"),
            Text("diterimanya putusan PTUN/PN", "receipt of the court's judgment"),
        ),
    )
}

_NOTICE = LegalBasis(
    "UU 14/2008 Pasal 22 ayat (7)",
    "V",
    Text(
        "Penomoran ayat (7)/(8) mengikuti transkripsi 123dok; banyak teks sekunder "
        "menyebut ayat (6)/(7).",
        "Paragraph numbers (7)/(8) follow the 123dok transcription; many secondary "
        "texts cite (6)/(7).",
    ),
)
_PERKI_2019_ONLY = Text(
    "Belum terverifikasi apakah jangka waktu PerKI 1/2019 hanya berlaku selama "
    "tahapan Pemilu/Pemilihan atau untuk semua informasi Pemilu dan Pemilihan.",
    "Not verified whether the PerKI 1/2019 periods apply only during the election "
    "stages (tahapan) or to all election information.",
)

GENERAL = Regime(
    key="general",
    label=Text(
        "Umum (UU 14/2008; PerKI 1/2021; PerKI 1/2013)",
        "General (UU 14/2008; PerKI 1/2021; PerKI 1/2013)",
    ),
    rules={
        "notice": Rule(10, WD, (_NOTICE,)),
        "notice_extended": Rule(
            17,
            WD,
            (
                _NOTICE,
                # kip-law.md §1.4 takes ayat (8) from a village-site paraphrase.
                LegalBasis("UU 14/2008 Pasal 22 ayat (8)", "S"),
            ),
            Text(
                "10 hari kerja ditambah perpanjangan paling lama 7 hari kerja "
                "berikutnya, dengan alasan tertulis.",
                "10 working days plus an extension of at most 7 further working "
                "days, with written reasons.",
            ),
        ),
        "objection": Rule(30, WD, (LegalBasis("UU 14/2008 Pasal 36 ayat (1)", "V"),)),
        "objection_response": Rule(
            30, WD, (LegalBasis("UU 14/2008 Pasal 36 ayat (2)", "V"),)
        ),
        "dispute": Rule(
            14,
            WD,
            (
                LegalBasis("UU 14/2008 Pasal 37 ayat (2)", "V"),
                LegalBasis(
                    "PerKI 1/2013 (Pasal 13 [R])",
                    "S",
                    Text(
                        "Juga 14 hari kerja sejak berakhirnya jangka waktu Atasan "
                        "PPID bila Atasan tidak menanggapi; nomor pasal belum "
                        "terverifikasi.",
                        "Also 14 working days from the end of the superior's period "
                        "when the superior does not answer; article number unverified.",
                    ),
                ),
            ),
        ),
        "dispute_start": Rule(
            14,
            WD,
            (
                LegalBasis("UU 14/2008 Pasal 38 ayat (1)", "V"),
                LegalBasis(
                    "PerKI 1/2013 (praktik registrasi)",
                    "S",
                    Text(
                        "UU menyebut 'setelah menerima permohonan'; KI menghitung "
                        "sejak nomor/akta registrasi.",
                        "The Act says 'after receiving the application'; the "
                        "Commission counts from the registration number/deed.",
                    ),
                ),
            ),
        ),
        "dispute_decision": Rule(
            100,
            WD,
            (LegalBasis("UU 14/2008 Pasal 38 ayat (2)", "V"),),
            Text(
                "'Paling lambat dapat diselesaikan': target, bukan batas yang "
                "membatalkan bila terlampaui.",
                "'Can be completed at the latest': a target; exceeding it is not "
                "a defect.",
            ),
        ),
        "court_objection": Rule(
            14, WD, (LegalBasis("UU 14/2008 Pasal 48 ayat (1)", "S"),)
        ),
        "cassation": Rule(
            14,
            CD,
            (LegalBasis("UU 14/2008 Pasal 50", "V"),),
            Text(
                "Pasal 50 menyebut '14 (empat belas) hari' tanpa 'kerja': hari "
                "kalender. Tanggal tidak digeser bila jatuh pada hari libur.",
                "Article 50 says '14 (fourteen) days', not working days: calendar "
                "days. The date is not moved when it falls on a closed day.",
            ),
        ),
    },
)

ELECTION = Regime(
    key="election",
    label=Text(
        "Informasi Pemilu dan Pemilihan (PerKI 1/2019)",
        "Election and Pilkada information (PerKI 1/2019)",
    ),
    rules={
        "notice": Rule(3, WD, (LegalBasis("PerKI 1/2019 Pasal 12", "S"),)),
        "notice_extended": Rule(
            5,
            WD,
            (LegalBasis("PerKI 1/2019 Pasal 12", "S"),),
            Text(
                "3 hari kerja ditambah perpanjangan 2 hari kerja.",
                "3 working days plus an extension of 2 working days.",
            ),
        ),
        "objection_response": Rule(3, WD, (LegalBasis("PerKI 1/2019 Pasal 14", "S"),)),
        "dispute_decision": Rule(
            14,
            WD,
            (
                LegalBasis(
                    "PerKI 1/2019 (nomor pasal tidak ditemukan)",
                    "S",
                    Text(
                        "Menurut pernyataan KI Kalbar dan KI Sumbar; dihitung sejak "
                        "registrasi seperti ketentuan umum (asumsi).",
                        "Per statements of KI Kalbar and KI Sumbar; counted from "
                        "registration like the general rule (assumption).",
                    ),
                ),
            ),
        ),
    },
    fallback="general",
    fallback_note=Text(
        "PerKI 1/2019 tidak mengatur jangka waktu sendiri untuk langkah ini (tidak "
        "ditemukan dalam rujukan); berlaku ketentuan umum {citation}.",
        "PerKI 1/2019 sets no period of its own for this step (none found in the "
        "reference); the general rule applies: {citation}.",
    ),
    warnings=(_PERKI_2019_ONLY,),
)

REGIMES: Mapping[str, Regime] = {regime.key: regime for regime in (GENERAL, ELECTION)}


def resolve(regime: str, step: str) -> tuple[Rule, Text | None]:
    """The rule for `step` under `regime`, and the fallback note if borrowed."""
    if not isinstance(regime, str) or not isinstance(step, str):
        raise KipError(f"regime and step must be strings, not {regime!r}, {step!r}")
    return _resolve(regime, step)


@functools.cache  # a handful of keys; the fallback note is built once
def _resolve(regime: str, step: str) -> tuple[Rule, Text | None]:
    if regime not in REGIMES:
        raise KipError(f"Unknown regime {regime!r}; allowed: {', '.join(REGIMES)}")
    if step not in STEPS:
        raise KipError(f"Unknown step {step!r}; allowed: {', '.join(STEPS)}")
    return resolve_in(REGIMES[regime], step)


def resolve_in(regime: Regime, step: str) -> tuple[Rule, Text | None]:
    if step in regime.rules:
        return regime.rules[step], None
    if regime.fallback is None:
        raise KipError(
            f"Step {step!r} is not defined in regime {regime.key!r}; "
            f"allowed: {', '.join(regime.rules)}"
        )
    rule, _ = resolve(regime.fallback, step)
    basis = rule.basis[0]
    note = regime.fallback_note or Text("{citation}", "{citation}")
    return rule, note.format(citation=f"{basis.citation} [{basis.marker}]")
