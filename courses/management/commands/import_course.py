"""manage.py import_course PATH — import one course directory, or a directory of them.

The format is docs/course-format.md. Idempotent: pages are matched by slug and
updated in place (learners' progress is kept); lessons no longer in the files are
unpublished. Each course is imported in its own transaction.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from courses.content_format import ContentError, read_courses
from courses.models import CourseIndexPage, CoursePage
from courses.services import course_import


class Command(BaseCommand):
    help = "Import courses from the Markdown course format (docs/course-format.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", type=Path, help="a course directory or a directory of courses"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check everything, print the tree, write nothing",
        )

    def handle(self, *args, path: Path, dry_run: bool, **options):
        catalogue = CourseIndexPage.objects.first()
        if catalogue is None:
            raise CommandError(
                "No course catalogue page: run `manage.py migrate` first."
            )
        known = frozenset(
            CoursePage.objects.child_of(catalogue).values_list("slug", flat=True)
        )
        try:
            specs = read_courses(path, known_slugs=known)
        except ContentError as exc:
            raise CommandError(str(exc)) from exc
        if dry_run:
            for spec in specs:
                self.stdout.write(f"{spec.slug}: {spec.title}")
                for module in spec.modules:
                    self.stdout.write(f"  {module.slug}: {module.title}")
                    for lesson in module.lessons:
                        kinds = ", ".join(kind for kind, _ in lesson.blocks)
                        self.stdout.write(f"    {lesson.slug} ({kinds})")
            self.stdout.write(
                self.style.SUCCESS(f"{len(specs)} course(s) valid; nothing written.")
            )
            return
        for spec in specs:
            try:
                report = course_import(spec=spec, catalogue=catalogue)
            except ValidationError as exc:
                raise CommandError(f"{spec.slug}: {'; '.join(exc.messages)}") from exc
            self.stdout.write(self.style.SUCCESS(str(report)))
