"""bench_seed: synthetic, clearly marked, refuses production, and the aggregates
match the records it wrote."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.test import override_settings

from courses.models import CourseCompletion, CoursePage, Enrolment
from dashboard.models import CompletionStat
from lms.accounts.models import User
from lms.offices.models import Office


@pytest.fixture
def seeded(catalogue):
    out = io.StringIO()
    call_command("bench_seed", learners=120, courses=4, batch=50, stdout=out)
    return out.getvalue()


def test_a_small_run_fills_every_table_and_marks_it_synthetic(seeded):
    learners = User.objects.filter(email__endswith="@synthetic.invalid")
    assert learners.count() == 120
    assert all(
        name.startswith("SYNTHETIC ")
        for name in learners.values_list("full_name", flat=True)
    )
    assert Office.objects.count() == 553
    assert CoursePage.objects.filter(title__startswith="SYNTHETIC Kursus").count() == 4
    assert Enrolment.objects.filter(user__in=learners, source="assigned").count() == 120
    assert CourseCompletion.objects.count() > 0
    assert "Synthetic data: 120 learners" in seeded


def test_the_aggregates_match_the_records(seeded):
    national = Office.objects.get(parent__isnull=True)
    total = CompletionStat.objects.filter(
        office=national, course__isnull=True, employment_type=""
    ).aggregate(enrolled=Sum("enrolled"), completed=Sum("completed"))
    assert total["enrolled"] == Enrolment.objects.count()
    assert (
        total["completed"]
        == CourseCompletion.objects.values("enrolment").distinct().count()
    )


def test_certificates_and_quiz_attempts_when_those_apps_exist(seeded):
    from dashboard.selectors import certificate_model, quiz_attempt_model

    completions = CourseCompletion.objects.count()
    if certificate_model() is not None:
        certificates = certificate_model().objects.filter(status="issued")
        assert certificates.count() == completions
        assert (
            certificates.filter(holder_name__startswith="SYNTHETIC").count()
            == completions
        )
    if quiz_attempt_model() is not None:
        assert quiz_attempt_model().objects.filter(passed=True).count() == completions


def test_a_second_run_needs_to_be_asked_for(seeded):
    with pytest.raises(CommandError, match="already has 120 synthetic learners"):
        call_command("bench_seed", learners=10, courses=4, stdout=io.StringIO())
    call_command(
        "bench_seed", learners=10, courses=4, allow_existing=True, stdout=io.StringIO()
    )
    assert User.objects.filter(email__endswith="@synthetic.invalid").count() == 130


@override_settings(LMS_ENVIRONMENT="production")
def test_it_refuses_to_run_under_production_settings(db):
    with pytest.raises(CommandError, match="refuses to run under production settings"):
        call_command("bench_seed", learners=10, courses=1, stdout=io.StringIO())
    assert not User.objects.filter(email__endswith="@synthetic.invalid").exists()
