"""Admin views: import and export of the bank, item analysis (page and CSV)."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lms.offices.permissions import user_is_instructor
from lms.spreadsheets import neutralise as spreadsheet_safe

from . import services
from .forms import ExportForm, ImportForm
from .interchange import (
    BankFileError,
    export_moodle_xml,
    parse_bank_yaml,
    parse_moodle_xml,
)
from .models import Attempt, QuizPage
from .permissions import quiz_for_analysis_or_404, user_can_manage_bank
from .selectors import questions_for_export, quiz_analysis


def _require_bank(request):
    if not user_can_manage_bank(request.user):
        raise PermissionDenied


def bank_file_message(exc: BankFileError) -> str:
    """Why a bank file was refused, in the reader's language."""
    reasons = {
        "too_large": _("The file is too large."),
        "unsafe_xml": _(
            "The file declares a DTD, entities or external references. These are "
            "refused because they can be used to attack the server; Moodle does "
            "not need them."
        ),
        "malformed_xml": _(
            "The file is not well-formed XML (it may be cut off or damaged): %(detail)s"
        ),
        "not_moodle": _(
            "The file is not Moodle XML (the root element must be <quiz>)."
        ),
        "bad_yaml": _("The file is not valid YAML: %(detail)s"),
        "yaml_aliases": _(
            "The file uses YAML anchors or aliases (&name, *name), which are refused."
        ),
        "no_questions": _("A YAML bank file needs a 'questions' list."),
    }
    return reasons.get(exc.code, str(exc)) % {"detail": exc.detail}


def bank_import_view(request):
    _require_bank(request)
    report, error = None, None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = settings.LMS_QUESTION_IMPORT_MAX_BYTES
        data = upload.read(limit + 1)
        try:
            bank = (
                parse_bank_yaml(data)
                if upload.name.lower().endswith((".yaml", ".yml"))
                else parse_moodle_xml(data, max_bytes=limit)
            )
        except BankFileError as exc:
            error = bank_file_message(exc)
        else:
            report = services.bank_import(
                bank=bank, category=form.cleaned_data["category"]
            )
    return render(
        request,
        "quizzes/admin/import.html",
        {"form": form, "report": report, "error": error},
    )


def bank_export_view(request):
    _require_bank(request)
    form = ExportForm(request.GET or None)
    if "download" in request.GET and form.is_valid():
        category = form.cleaned_data["category"]
        xml, skipped = export_moodle_xml(questions_for_export(category=category))
        name = slugify(category.name) if category else "semua"
        response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="bank-soal-{name}-{timezone.localdate():%Y%m%d}.xml"'
        )
        response["X-Skipped-Questions"] = str(len(skipped))
        return response
    category = form.cleaned_data["category"] if form.is_valid() else None
    questions = questions_for_export(category=category)
    skipped = [q for q in questions if q.kind == "date"]
    return render(
        request,
        "quizzes/admin/export.html",
        {"form": form, "count": len(questions) - len(skipped), "skipped": skipped},
    )


def analysis_index(request):
    if not (user_is_instructor(request.user) or request.user.is_superuser):
        raise PermissionDenied
    quizzes = QuizPage.objects.annotate(
        finished=Count("attempts", filter=Q(attempts__state=Attempt.State.FINISHED))
    ).order_by("path")
    return render(request, "quizzes/admin/analysis_index.html", {"quizzes": quizzes})


def analysis_detail(request, pk):
    quiz = quiz_for_analysis_or_404(request.user, pk)
    result = quiz_analysis(quiz)
    peak = max((band.count for band in result.distribution), default=0) or 1
    bars = []
    for i, band in enumerate(result.distribution):
        height = round(130 * band.count / peak)
        bars.append(
            {
                "band": band,
                "x": i * 50 + 12,
                "cx": i * 50 + 31,
                "y": 150 - height,
                "h": height,
                "label_y": 150 - height - 4,
            }
        )
    return render(
        request,
        "quizzes/admin/analysis.html",
        {"quiz": quiz, "result": result, "bars": bars},
    )


def neutralise(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    return spreadsheet_safe("" if value is None else str(value))


def analysis_csv(request, pk):
    quiz = quiz_for_analysis_or_404(request.user, pk)
    result = quiz_analysis(quiz)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("question"),
            _("type"),
            _("category"),
            _("attempts"),
            _("facility"),
            _("discrimination"),
            _("option or answer"),
            _("right"),
            _("chosen"),
        ]
    )
    for row in result.rows:
        stats = row.stats
        base = [
            row.question.name,
            row.question.kind,
            row.question.category.name,
            stats.attempts,
            "" if stats.facility is None else f"{stats.facility:.3f}",
            "" if stats.discrimination is None else f"{stats.discrimination:.3f}",
        ]
        options = row.options or ()
        if not options:
            writer.writerow([neutralise(v) for v in [*base, "", "", ""]])
        for option in options:
            writer.writerow(
                [
                    neutralise(v)
                    for v in [*base, option.label, int(option.correct), option.count]
                ]
            )
        if row.unanswered:
            writer.writerow(
                [neutralise(v) for v in [*base, _("(no answer)"), 0, row.unanswered]]
            )
    response = HttpResponse(
        "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="analisis-butir-{slugify(quiz.slug)}.csv"'
    )
    return response
