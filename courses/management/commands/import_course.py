"""manage.py import_course PATH — import one course directory, a directory of them,
or a .zip of either (a course package, as the admin's upload takes).

The format is docs/course-format.md. Idempotent: pages are matched by slug and
updated in place (learners' progress is kept); lessons no longer in the files are
unpublished. Each course is imported in its own transaction. The files pass the
upload's checks first (courses.package: sizes, number of files, links, file
types, UTF-8), with the LMS_COURSE_UPLOAD_* limits.
"""

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from courses.content_format import ContentError, read_courses
from courses.models import CourseIndexPage, CoursePage
from courses.package import (
    PackageError,
    PackageLimits,
    check_directory,
    extract_zip,
    package_root,
)
from courses.services import course_import


class Command(BaseCommand):
    help = "Import courses from the Markdown course format (docs/course-format.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            type=Path,
            help="a course directory, a directory of courses, or a .zip of either",
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
        limits = PackageLimits.from_settings()
        with tempfile.TemporaryDirectory(prefix="import-course-") as work:
            try:
                if path.is_file() and path.suffix.lower() == ".zip":
                    if path.stat().st_size > limits.max_bytes:
                        raise CommandError(
                            f"{path} is larger than LMS_COURSE_UPLOAD_MAX_BYTES "
                            f"({limits.max_bytes} bytes)."
                        )
                    unpacked = Path(work) / "package"
                    unpacked.mkdir()
                    extract_zip(path, unpacked, limits=limits)
                    path = package_root(unpacked)
                elif path.is_dir():
                    check_directory(path, limits=limits)
                specs = read_courses(path, known_slugs=known)
            except PackageError as exc:
                raise CommandError(str(exc)) from exc
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
