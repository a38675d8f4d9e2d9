"""`manage.py load_offices`: load the 553 KPU offices (idempotent)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from lms.offices.services import DEFAULT_OFFICES_CSV, offices_load


class Command(BaseCommand):
    help = "Load the KPU office tree from a CSV (default: the bundled kpu-offices.csv)."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=DEFAULT_OFFICES_CSV)
        parser.add_argument(
            "--update-names",
            action="store_true",
            help=(
                "Overwrite office names with the file's "
                "(default keeps corrected names)."
            ),
        )

    def handle(self, *args, path, update_names, **options):
        result = offices_load(path=path, update_names=update_names)
        self.stdout.write(
            f"Offices: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
