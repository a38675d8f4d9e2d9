"""manage.py import_questions FILE [--category NAME]: Moodle XML or YAML in."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.interchange import (
    MAX_BYTES,
    BankFileError,
    parse_bank_yaml,
    parse_moodle_xml,
)
from quizzes.models import QuestionCategory
from quizzes.services import bank_import


class Command(BaseCommand):
    help = "Import questions from Moodle XML (.xml) or the YAML bank format (.yaml)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--category", help="Put every question in this category.")

    def handle(self, *args, file, category=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{file}: larger than {MAX_BYTES // (1024 * 1024)} MB")
        target = None
        if category:
            target = QuestionCategory.objects.filter(name=category).first()
            if target is None:
                raise CommandError(f"no category named {category!r}")
        try:
            data = path.read_bytes()
            bank = (
                parse_bank_yaml(data)
                if path.suffix.lower() in (".yaml", ".yml")
                else parse_moodle_xml(data)
            )
        except BankFileError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        report = bank_import(bank=bank, category=target)
        for rejection in report.rejected:
            self.stderr.write(f"rejected: {rejection}")
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"{len(report.created)} created, {len(report.updated)} replaced, "
            f"{len(report.rejected)} rejected"
        )
