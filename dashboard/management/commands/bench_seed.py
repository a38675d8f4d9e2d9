"""`manage.py bench_seed --learners 50000 --courses 20`: synthetic records at scale.

Fills the database with synthetic learners (…@synthetic.invalid, names starting with
SYNTHETIC) over the 553 KPU offices, their enrolments, completions, quiz attempts
and certificates, then rebuilds the dashboard's aggregates. For benchmarks only:
it refuses to run under production settings. See bench/README.md.
"""

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dashboard import benchdata
from dashboard.services import stats_refresh


def is_production() -> bool:
    module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
    return getattr(settings, "LMS_ENVIRONMENT", "") == "production" or module.endswith(
        ".production"
    )


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic learners for benchmarks (never production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=50_000)
        parser.add_argument("--courses", type=int, default=20)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument(
            "--allow-existing",
            action="store_true",
            help="Add to synthetic learners already in the database.",
        )

    def handle(self, *args, learners, courses, seed, batch, allow_existing, **options):
        if is_production():
            raise CommandError(
                "bench_seed refuses to run under production settings "
                f"({settings.SETTINGS_MODULE}): it writes tens of thousands of "
                "synthetic learners. Use a database made for benchmarks."
            )
        if learners < 1 or courses < 1 or batch < 1:
            raise CommandError("--learners, --courses and --batch must be positive.")
        existing = benchdata.synthetic_users().count()
        if existing and not allow_existing:
            raise CommandError(
                f"This database already has {existing:,} synthetic learners. Use a "
                "fresh database, or --allow-existing to add more."
            )
        started = time.monotonic()
        report = benchdata.seed(
            learners=learners,
            courses=courses,
            seed=seed,
            batch=batch,
            progress=lambda message: self.stdout.write(f"  {message}"),
        )
        state = stats_refresh(now=timezone.now())
        total = time.monotonic() - started
        self.stdout.write(
            f"Synthetic data: {report.learners:,} learners, {report.courses_created} "
            f"course pages created, {report.assignments} assignments, "
            f"{report.enrolments:,} enrolments, {report.completions:,} completions, "
            f"{report.attempts:,} quiz attempts, {report.certificates:,} certificates."
        )
        for step, seconds in report.seconds.items():
            self.stdout.write(f"  {step}: {seconds:.1f} s")
        self.stdout.write(
            f"  aggregates: {state.duration_ms / 1000:.1f} s "
            f"({state.status_rows:,} + {state.activity_rows:,} rows)"
        )
        self.stdout.write(self.style.SUCCESS(f"Done in {total:.0f} s."))
