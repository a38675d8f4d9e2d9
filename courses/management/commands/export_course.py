"""manage.py export_course SLUG OUTDIR — write a published course in the course format.

Writes OUTDIR/SLUG/… (docs/course-format.md), so a course edited in the admin can
live in version control and be imported again.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.content_format import write_course
from courses.models import CourseIndexPage, CoursePage
from courses.selectors import NotExportable, course_export_spec


class Command(BaseCommand):
    help = "Export a course to the Markdown course format."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("outdir", type=Path)

    def handle(self, *args, slug: str, outdir: Path, **options):
        catalogue = CourseIndexPage.objects.first()
        course = (
            CoursePage.objects.child_of(catalogue).filter(slug=slug).first()
            if catalogue
            else None
        )
        if course is None:
            raise CommandError(f"No course with slug {slug!r}.")
        if (outdir / slug).exists():
            raise CommandError(
                f"{outdir / slug} already exists; choose an empty directory."
            )
        try:
            root = write_course(course_export_spec(course), outdir)
        except NotExportable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Wrote {root}"))
