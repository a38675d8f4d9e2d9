"""Issue and render N certificates with Celery workers on PostgreSQL and Redis.

    .venv/bin/python bench/bench_certificates.py --count 10000 --workers 2

1. Creates a fresh database (default `lms_cert_bench` on 127.0.0.1:5432),
   migrates it, loads the 553 KPU offices and one course, and writes N learners,
   enrolments, completions and their *pending* certificate rows (the outbox rows a
   completion leaves behind) with bulk inserts.
2. Measures bare ReportLab rendering in the same run: `render_pdf` on the same kind
   of document, spread over `--workers` processes (a sample, extrapolated to N).
3. Starts `--workers` Celery workers (solo pool, one process each) against Redis,
   enqueues the backlog — by default as the sweep does (`certificates_sweep`:
   batches of `ISSUE_BATCH_SIZE`), or with `--mode single` one
   `certificate_issue_task` per certificate — and times until every certificate
   is issued *and* its PDF stored.
4. Checks the result (N issued, numbers contiguous per office and year, unique
   codes) and prints both figures and their ratio. Target: pipeline ≤ 1.5 × bare.

Everything runs on loopback, is bounded by N and a timeout, and stops by itself.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from support import celery_worker_argv, cpu_seconds, drop_database, recreate_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432", help="server URL"
    )
    parser.add_argument("--database", default="lms_cert_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument(
        "--bare-sample", type=int, default=2000, help="documents rendered bare"
    )
    parser.add_argument(
        "--mode",
        choices=["sweep", "single"],
        default="sweep",
        help="sweep: the backlog is enqueued by certificates_sweep in batches "
        "(what drains pending rows); single: one certificate_issue_task per "
        "certificate (what each completion sends on its own)",
    )
    parser.add_argument("--timeout", type=int, default=1800, help="seconds")
    parser.add_argument("--keep", action="store_true", help="keep database and files")
    return parser.parse_args()


def configure_environment(args, media: Path) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DJANGO_DEBUG": "false",  # no query log growing in the workers
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "CELERY_BROKER_URL": args.redis,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(env)
    return {**os.environ, **env}


def prepare(count: int) -> list[int]:
    """Migrate, load offices and a course, write N completions + pending rows."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from certificates.models import Certificate
    from courses.models import CourseCompletion, CoursePage, Enrolment
    from lms.offices.models import Office
    from lms.offices.services import offices_load
    from tests.certificates.factories import catalogue

    offices_load()
    offices = list(Office.objects.order_by("code"))
    course = catalogue().add_child(
        instance=CoursePage(
            title="Dasar-Dasar Keterbukaan Informasi Publik",
            slug="bench-kip",
            summary="Bench.",
            objectives="x",
            regulations="UU 14/2008",
            hours=8,
            certificate_validity_months=24,
        )
    )
    User = get_user_model()
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench{i}@kpu.go.id",
                full_name=f"Peserta Bench {i:05d}",
                nip=f"19850312201001{i % 10000:04d}" if i % 3 else "",
                office=offices[i % len(offices)],
                password="!",  # noqa: S106 — unusable password
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(user=u, course=course) for u in users], batch_size=2000
    )
    completions = CourseCompletion.objects.bulk_create(
        [
            CourseCompletion(enrolment=e, attempt=1, completed_at=now, score=88)
            for e in enrolments
        ],
        batch_size=2000,
    )
    pending = Certificate.objects.bulk_create(
        [
            Certificate(completion=c, user_id=e.user_id, last_enqueued_at=now)
            for c, e in zip(completions, enrolments, strict=True)
        ],
        batch_size=2000,
    )
    from django.db import connections

    connections.close_all()
    return [c.pk for c in pending]


def _bare_chunk(n: int) -> tuple[float, float]:
    from certificates.rendering import CertificateDocument, register_fonts, render_pdf

    register_fonts()
    created = datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC)
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        code = f"{i:028d}"[-28:]
        render_pdf(
            CertificateDocument(
                office_name="KPU Kabupaten Badung",
                title="SERTIFIKAT",
                number=f"{i + 1:04d}/PPID/KPU-Kab.Badung/XI/2026",
                intro="diberikan kepada",
                holder_name=f"Peserta Bench {i:05d}",
                nip="198503122010011002",
                body="telah menyelesaikan pelatihan {course} ({hours} jam pelajaran).",
                values={
                    "course": "Dasar-Dasar Keterbukaan Informasi Publik",
                    "hours": "8",
                },
                place_and_date="Badung, 23 November 2026",
                signatory_title="Ketua KPU Kabupaten Badung",
                signatory_name="I Made Wirasa",
                verify_url=f"http://127.0.0.1:8000/sertifikat/verifikasi/{code}/",
                code=code,
                valid_until="23 November 2028",
                created=created,
            )
        )
    return time.perf_counter() - start, time.process_time() - cpu


def bare_rendering(sample: int, workers: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) per certificate, `workers` processes in parallel."""
    per_worker = max(1, sample // workers)
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.map(_bare_chunk, [5] * workers)  # warm-up: imports, font loading
        start = time.perf_counter()
        results = pool.map(_bare_chunk, [per_worker] * workers)
        elapsed = time.perf_counter() - start
    n = per_worker * workers
    return elapsed / n, sum(cpu for _wall, cpu in results) / n


def start_workers(env: dict, workers: int, logdir: Path) -> list[subprocess.Popen]:
    procs = []
    for i in range(workers):
        log = open(logdir / f"worker{i}.log", "wb")  # noqa: SIM115 — closed at exit
        procs.append(
            subprocess.Popen(  # noqa: S603
                celery_worker_argv(
                    "--pool=solo", f"--hostname=bench{i}@%h", "--loglevel=WARNING"
                ),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    return procs


def main() -> int:
    args = parse_args()
    media = Path(tempfile.mkdtemp(prefix="bench-certificates-"))
    env = configure_environment(args, media)
    print(f"Preparing {args.count} completions in {args.database} …", flush=True)
    t0 = time.perf_counter()
    recreate_database(f"{args.postgres}/{args.database}")
    ids = prepare(args.count)
    print(f"  prepared in {time.perf_counter() - t0:.1f} s", flush=True)

    sample = min(args.bare_sample, args.count)
    print(f"Bare rendering: {sample} PDFs on {args.workers} processes …", flush=True)
    load_before = os.getloadavg()[0]
    bare_wall, bare_cpu = bare_rendering(sample, args.workers)
    print(
        f"  {1 / bare_wall:.0f} PDFs/s, {1000 * bare_cpu:.1f} ms CPU each", flush=True
    )

    from celery import Celery
    from django.db import connection

    from certificates.models import Certificate

    client = Celery(broker=args.redis)
    with client.connection_for_write() as conn:
        conn.default_channel.client.flushdb()
    workers = start_workers(env, args.workers, media)
    try:
        time.sleep(5)  # let the workers connect before the clock starts
        print(
            f"Pipeline ({args.mode}): {args.count} certificates, "
            f"{args.workers} workers …",
            flush=True,
        )
        load_pipeline = os.getloadavg()[0]
        worker_cpu = cpu_seconds(p.pid for p in workers)
        start = time.perf_counter()
        if args.mode == "sweep":
            from django.utils import timezone

            from certificates import services

            later = (
                timezone.now() + services.STALE_AFTER + datetime.timedelta(minutes=1)
            )
            assert services.certificates_sweep(now=later) == len(ids)
        else:
            with client.producer_or_acquire() as producer:
                for pk in ids:
                    client.send_task(
                        "certificates.tasks.certificate_issue_task",
                        args=[pk],
                        producer=producer,
                    )
        enqueued = time.perf_counter() - start
        deadline = start + args.timeout
        done = 0
        while time.perf_counter() < deadline:
            done = Certificate.objects.filter(status="issued").exclude(pdf="").count()
            connection.close()
            if done >= args.count:
                break
            time.sleep(0.5)
        pipeline = time.perf_counter() - start
        worker_cpu = cpu_seconds(p.pid for p in workers) - worker_cpu
    finally:
        for proc in workers:
            proc.send_signal(signal.SIGTERM)
        for proc in workers:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()

    from django.db.models import Count, Max, Min

    issued = Certificate.objects.filter(status="issued")
    per_office = issued.values("office", "year").annotate(
        n=Count("pk"), lo=Min("serial"), hi=Max("serial")
    )
    contiguous = all(r["lo"] == 1 and r["hi"] == r["n"] for r in per_office)
    codes_unique = issued.values("code").distinct().count() == issued.count()
    pdf_bytes = sum(p.stat().st_size for p in media.rglob("*.pdf"))
    print("Bare rendering again (load may have changed) …", flush=True)
    bare_wall_after, bare_cpu_after = bare_rendering(sample, args.workers)
    bare_wall = (bare_wall + bare_wall_after) / 2
    bare_cpu = (bare_cpu + bare_cpu_after) / 2
    bare_total = bare_wall * args.count
    load_after = os.getloadavg()[0]
    print()
    print(f"certificates issued with PDF : {done} / {args.count}")
    print(f"enqueueing                   : {enqueued:.1f} s")
    print(
        f"pipeline (enqueue → last PDF): {pipeline:.1f} s "
        f"({args.count / pipeline:.0f}/s, {1000 * pipeline / args.count:.1f} ms each)"
    )
    print(
        f"bare rendering, same workers : {bare_total:.1f} s "
        f"({1000 * bare_wall:.1f} ms each; mean of before and after)"
    )
    print(f"ratio pipeline / bare, wall  : {pipeline / bare_total:.2f} (target ≤ 1.5)")
    per_cert_cpu = worker_cpu / args.count
    print(
        f"CPU per certificate          : workers {1000 * per_cert_cpu:.1f} ms, "
        f"bare {1000 * bare_cpu:.1f} ms → ratio "
        f"{per_cert_cpu / bare_cpu:.2f} (PostgreSQL's own CPU not included)"
    )
    print(
        f"load average (1 min)         : {load_before:.1f} before bare, "
        f"{load_pipeline:.1f} at pipeline start, {load_after:.1f} at the end "
        f"({os.cpu_count()} CPUs)"
    )
    print(f"numbers contiguous per office: {contiguous} ({len(per_office)} offices)")
    print(f"codes unique                 : {codes_unique}")
    print(
        f"PDF storage                  : {pdf_bytes / 1e6:.0f} MB "
        f"({pdf_bytes / max(done, 1) / 1e3:.0f} kB each)"
    )
    if not args.keep:
        connection.close()
        shutil.rmtree(media, ignore_errors=True)
        drop_database(f"{args.postgres}/{args.database}")
    ok = done == args.count and contiguous and codes_unique
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
