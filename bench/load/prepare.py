"""Learners, sessions and the plan locust reads; run by bench/bench_load.py.

    python bench/load/prepare.py USERS COURSE_SLUG PLAN_PATH

Runs under the load test's settings (the environment bench_load.py builds), so
the sessions land where the server reads them (cached_db: PostgreSQL and Redis).
Creates USERS + 1 learners in one office, enrolled through the courses service in
COURSE_SLUG (the extra one only warms the server up), and writes the lessons, the
quiz with an answer key by the texts shown, and the scenario with its best answers.
"""

import json
import sys
from pathlib import Path

import django

django.setup()
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: support.py

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import timezone  # noqa: E402
from support import signed_in_sessions  # noqa: E402

from courses.models import CoursePage, LessonPage  # noqa: E402
from courses.services import enrolment_self_create  # noqa: E402
from lms.offices.models import Office  # noqa: E402
from quizzes.models import Choice, QuizDraw, QuizPage  # noqa: E402
from quizzes.practice.adapters import kip_oracle  # noqa: E402
from quizzes.practice.models import ScenarioPage  # noqa: E402
from quizzes.practice.services import snapshot_for  # noqa: E402
from quizzes.scenarios import (  # noqa: E402
    ChecklistStep,
    ClassificationStep,
    DeadlineStep,
    DecisionStep,
    deadline_for,
)


def learners(count: int, course: CoursePage) -> list:
    office = Office.objects.filter(level=Office.Level.REGENCY).order_by("code").first()
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(
                email=f"load{i:04d}@kpu.go.id",
                full_name=f"Peserta Beban {i:04d}",
                password="!",  # unusable: they arrive signed in
                office=office,
            )
            for i in range(count)
        ]
    )
    now = timezone.now()
    for user in users:
        enrolment_self_create(user=user, course=course, now=now)
    return users


def answer_key(quiz: QuizPage) -> dict:
    """What a learner who studied knows, by the text shown on the page."""
    categories = QuizDraw.objects.filter(quiz=quiz).values("category")
    choices = Choice.objects.filter(question__category__in=categories)
    order = {}
    for question_id in (
        choices.filter(question__kind="ordering")
        .values_list("question_id", flat=True)
        .distinct()
    ):
        steps = Choice.objects.filter(question_id=question_id).order_by(
            "sort_order", "pk"
        )
        order.update({c.text: position for position, c in enumerate(steps, start=1)})
    right = choices.filter(is_correct=True, question__kind__in=("single", "multiple"))
    matching = choices.filter(question__kind="matching").exclude(text="")
    return {
        "choices": sorted({c.text for c in right}),
        "order": order,
        "pairs": {c.text: c.match_text for c in matching},
        "short": sorted({c.text for c in choices.filter(question__kind="short")}),
    }


def scenario_plan(course: CoursePage) -> dict | None:
    """The course's scenario and its best answer per step, as form fields: the
    course completes only when its required scenario is passed too."""
    page = ScenarioPage.objects.live().descendant_of(course).order_by("path").first()
    if page is None:
        return None
    scenario = snapshot_for(page=page, now=timezone.now()).scenario()
    answers = {}
    for step in scenario.steps:
        fields: list[tuple[str, str]] = []
        if isinstance(step, DecisionStep):
            fields.append(("choice", max(step.choices, key=lambda c: c.points).id))
        elif isinstance(step, DeadlineStep):
            due = deadline_for(scenario, step, oracle=kip_oracle()).due
            fields.append(("date", due.isoformat()))
        elif isinstance(step, ClassificationStep):
            fields.extend((f"item-{item.id}", item.answer_key) for item in step.items)
        elif isinstance(step, ChecklistStep):
            fields.extend(("element", e.id) for e in step.elements if e.correct)
        answers[step.id] = fields
    return {"id": page.pk, "url": page.url, "answers": answers}


def main() -> None:
    count, slug, plan_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    course = CoursePage.objects.live().get(slug=slug)
    quiz = QuizPage.objects.live().child_of(course).get()
    keys = signed_in_sessions(learners(count + 1, course))
    lessons = [
        {"id": lesson.pk, "url": lesson.url}
        for lesson in LessonPage.objects.live().descendant_of(course).order_by("path")
    ]
    plan = {
        "cookie": settings.SESSION_COOKIE_NAME,
        "sessions": keys[:-1],
        "warmup_session": keys[-1],
        "lessons": lessons,
        "quiz": {"id": quiz.pk, "url": quiz.url},
        "key": answer_key(quiz),
        "scenario": scenario_plan(course),
    }
    with open(plan_path, "w", encoding="utf-8") as fh:
        json.dump(plan, fh)
    print(f"{count} learners, {len(lessons)} lessons, quiz {quiz.url}")


if __name__ == "__main__":
    main()
