"""manage.py export_questions [--category NAME] [-o FILE]: the bank as Moodle XML."""

import sys

from django.core.management.base import BaseCommand, CommandError

from quizzes.interchange import export_moodle_xml
from quizzes.models import QuestionCategory
from quizzes.selectors import questions_for_export


class Command(BaseCommand):
    help = "Export the question bank (or one category) as Moodle XML."

    def add_arguments(self, parser):
        parser.add_argument("--category", help="Only this category (by name).")
        parser.add_argument("-o", "--output", help="File to write (default: stdout).")

    def handle(self, *args, category=None, output=None, **options):
        target = None
        if category:
            target = QuestionCategory.objects.filter(name=category).first()
            if target is None:
                raise CommandError(f"no category named {category!r}")
        xml, skipped = export_moodle_xml(questions_for_export(category=target))
        if output:
            with open(output, "wb") as handle:
                handle.write(xml)
        else:
            sys.stdout.buffer.write(xml)
        for item in skipped:
            self.stderr.write(f"skipped: '{item.name}': {item.reason}")
        self.stderr.write(
            f"{xml.count(b'<question type=')} questions written (categories included)"
        )
