"""A learner with one of everything the apps record about a person, for the privacy
tests (public pages, export, erasure): distinctive NIP and e-mail, a completed
course with lesson progress and a knowledge-check answer, a quiz attempt with an
answer, a scenario play with an answer, an issued certificate, two-factor
authentication, a reminder, a digest choice and a row in a coordinator's upload.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from allauth.mfa.models import Authenticator
from django.utils import timezone

from certificates import services as certificate_services
from certificates.models import Certificate
from courses.models import (
    CheckAnswer,
    CourseCompletion,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    ModulePage,
)
from dashboard.models import DigestSubscription, ReminderSent
from lms.accounts.models import StaffImport, User
from quizzes.models import Attempt, AttemptAnswer, QuizPage
from quizzes.practice import services as practice_services
from quizzes.practice.models import ScenarioAnswer, ScenarioPage, ScenarioPlay
from tests.courses.conftest import ensure_site_tree
from tests.courses.factories import course_with_lessons
from tests.factories import UserFactory, build_office_tree
from tests.practice.factories import scenario_page
from tests.quizzes import factories as quiz_factories

NIP = "198703152011012004"
EMAIL = "ni.luh.rahasia@kpu.go.id"
NAME = "Ni Luh Rahasia"
TOTP_SECRET = "JBSWY3DPEHPK3PXPRAHASIA"  # noqa: S105


@dataclass
class Records:
    learner: User
    other: User
    coordinator: User
    course: CoursePage
    module: ModulePage
    lessons: list[LessonPage]
    quiz: QuizPage
    scenario: ScenarioPage
    enrolment: Enrolment
    certificate: Certificate
    attempt: Attempt
    play: ScenarioPlay
    staff_import: StaffImport


def nip_patterns(nip: str = NIP) -> list[re.Pattern]:
    """The NIP as 18 digits, or with any spaces, dots or dashes between digits
    (as people write it: 19870315 201101 2 004)."""
    return [re.compile(r"[\s.\-]{0,2}".join(re.escape(d) for d in nip))]


def email_patterns(email: str = EMAIL) -> list[re.Pattern]:
    local, domain = email.split("@")
    at = r"(?:@|%40|&#64;|&#x40;)"
    return [re.compile(re.escape(local) + at + re.escape(domain), re.IGNORECASE)]


def leaks(text: str, *, nip: str = NIP, email: str = EMAIL) -> list[str]:
    """What of the NIP or the e-mail appears in `text`."""
    found = []
    for pattern in nip_patterns(nip) + email_patterns(email):
        match = pattern.search(text)
        if match:
            found.append(match.group(0))
    return found


def _learning_records(user: User, course, module, lessons, quiz, scenario, now):
    enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=now)
    for lesson in lessons:
        LessonProgress.objects.create(
            enrolment=enrolment, attempt=1, lesson=lesson, completed_at=now
        )
    CheckAnswer.objects.create(
        enrolment=enrolment,
        attempt=1,
        lesson=lessons[0],
        block_id="cek-1",
        selected=[0],
        correct=True,
        answered_at=now,
    )
    question = quiz.fixed_questions.first().question
    attempt = Attempt.objects.create(
        user=user,
        quiz=quiz,
        number=1,
        state=Attempt.State.FINISHED,
        pass_mark=70,
        started_at=now,
        finished_at=now,
        finished_by=Attempt.FinishedBy.LEARNER,
        points_earned=Decimal(1),
        points_possible=Decimal(1),
        score=Decimal("100.00"),
        passed=True,
    )
    AttemptAnswer.objects.create(
        attempt=attempt,
        slot=0,
        question=question,
        response={"choice": 1},
        saved_at=now,
        fraction=Decimal(1),
        points=Decimal(1),
    )
    play = practice_services.play_start(user=user, page=scenario, now=now)
    ScenarioAnswer.objects.create(
        play=play,
        seq=1,
        step_id=play.current_step,
        kind="decision",
        value={"choice": "a"},
        correct=True,
        points=2,
        next_step="selesai",
        answered_at=now,
    )
    return enrolment, attempt, play


def _issued_certificate(enrolment: Enrolment, now) -> Certificate:
    completion = CourseCompletion.objects.create(
        enrolment=enrolment, attempt=1, completed_at=now, score=90
    )
    # The receiver wrote the pending row; the task would issue it after commit.
    pending = Certificate.objects.get(completion=completion)
    return certificate_services.certificate_issue(certificate=pending, issued_at=now)


def build(*, now: datetime.datetime | None = None) -> Records:
    now = now or timezone.now()
    tree = build_office_tree()
    learner = UserFactory(
        email=EMAIL,
        full_name=NAME,
        nip=NIP,
        office=tree.badung,
        language="id",
    )
    other = UserFactory(
        email="orang.lain@kpu.go.id",
        full_name="Orang Lain",
        nip="199001012015031001",
        office=tree.badung,
    )
    coordinator = UserFactory(
        email="koordinator.bali@kpu.go.id",
        full_name="Koordinator Bali",
        office=tree.bali,
        coordinates=tree.bali,
    )
    course = course_with_lessons(
        ensure_site_tree(), lessons=2, title="Dasar-Dasar KIP", slug="dasar-kip"
    )
    module = ModulePage.objects.child_of(course).get()
    lessons = list(LessonPage.objects.child_of(module).order_by("path"))
    quiz = quiz_factories.quiz_page(module, [quiz_factories.single()], title="Kuis")
    scenario = scenario_page(module)

    enrolment, attempt, play = _learning_records(
        learner, course, module, lessons, quiz, scenario, now
    )
    _learning_records(other, course, module, lessons, quiz, scenario, now)
    certificate = _issued_certificate(enrolment, now)

    Authenticator.objects.create(
        user=learner, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET}
    )
    ReminderSent.objects.create(
        kind=ReminderSent.Kind.DUE_7,
        recipient=learner,
        enrolment=enrolment,
        due_on=timezone.localdate(now),
    )
    DigestSubscription.objects.create(user=learner, active=False)
    staff_import = StaffImport.objects.create(
        owner=coordinator,
        file_name="pegawai-badung.csv",
        rows=[
            {
                "line": 2,
                "name": NAME,
                "email": EMAIL.upper(),
                "nip": "19870315 201101 2 004",
                "employment_type": "PNS",
                "office_code": "51.03",
            },
            {
                "line": 3,
                "name": "Orang Lain",
                "email": "orang.lain@kpu.go.id",
                "nip": "",
                "employment_type": "PNS",
                "office_code": "51.03",
            },
        ],
    )
    return Records(
        learner=learner,
        other=other,
        coordinator=coordinator,
        course=course,
        module=module,
        lessons=lessons,
        quiz=quiz,
        scenario=scenario,
        enrolment=enrolment,
        certificate=certificate,
        attempt=attempt,
        play=play,
        staff_import=staff_import,
    )
