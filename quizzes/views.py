"""Learner views: the quiz page, an attempt (question pages, autosave, submit), review.

Each view parses, fetches with permission, calls one service and renders. The
question pages carry slot numbers and opaque option tokens only; nothing that
says which option is right reaches the browser before the attempt is finished.
"""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.rich_text import expand_db_html

from courses.rendering import sanitise_html

from . import policy, services
from .layout import AnswerRefused, parse_form
from .models import QuizPage
from .permissions import attempt_for_user_or_404, live_quiz_or_404
from .presenters import attempt_page, review_items
from .selectors import attempt_review_flags, quiz_question_count, quiz_state

ACTIONS = {"save", "prev", "next", "submit", "goto"}


def refusal_message(exc: services.AttemptRefused) -> str:
    if exc.code == services.NOT_ENROLLED:
        return _("Enrol in the course first to take this quiz.")
    if exc.code == services.EMPTY_QUIZ:
        return _("This quiz has no questions yet.")
    if exc.code == policy.LIMIT_REACHED:
        return _("You have used all attempts allowed for this quiz.")
    if exc.code == policy.WAIT and exc.not_before:
        when = formats.date_format(timezone.localtime(exc.not_before), "j F Y H:i")
        return _("You can start the next attempt from %(when)s.") % {"when": when}
    return _("You cannot start an attempt now.")


def closed_message(code: str) -> str:
    if code == services.TIME_UP:
        return _(
            "The time limit has passed: answers sent after it were not saved. "
            "Your attempt was graded with the answers saved before the deadline."
        )
    if code == services.STALE:
        return _(
            "This page is out of date (the attempt changed in another tab or "
            "window). Your answers from it were not saved."
        )
    return _(
        "This attempt has already been submitted; answers sent from an old page "
        "were not saved."
    )


def refused_answer_message(exc: AnswerRefused) -> str:
    if exc.code == "unknown_question":
        return _(
            "The form contains an answer to a question that is not in your attempt."
        )
    if exc.code == "bad_date":
        return _("Question %(n)s: enter the date as DD-MM-YYYY.") % {"n": exc.slot}
    if exc.code == "bad_position":
        return _("Question %(n)s: choose a position from the list.") % {"n": exc.slot}
    if exc.code == "too_long":
        return _("Question %(n)s: the answer is too long.") % {"n": exc.slot}
    return _("Question %(n)s: that option is not part of this question.") % {
        "n": exc.slot
    }


def _version(request) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def quiz_landing(request, quiz):
    """QuizPage.serve: the rules, the learner's attempts and the start button."""
    state = quiz_state(quiz=quiz, user=request.user, now=timezone.now())
    return render(
        request,
        "quizzes/quiz_page.html",
        {
            "page": quiz,
            "self": quiz,
            "state": state,
            "intro_html": sanitise_html(expand_db_html(quiz.intro), rich_text=True),
            "question_count": quiz_question_count(quiz),
        },
    )


@login_required
@require_POST
def attempt_start(request, quiz_id):
    quiz = live_quiz_or_404(quiz_id)
    try:
        attempt = services.attempt_start(
            user=request.user, quiz=quiz, now=timezone.now()
        )
    except services.AttemptRefused as exc:
        messages.error(request, refusal_message(exc))
        return HttpResponseRedirect(quiz.url)
    return redirect("quizzes:attempt", pk=attempt.pk)


def _page_number(raw, pages: int) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), pages)


def _page_count(attempt) -> int:
    """Question pages of an attempt (reads only the quiz's page size)."""
    per_page = (
        QuizPage.objects.filter(pk=attempt.quiz_id)
        .values_list("questions_per_page", flat=True)
        .get()
    )
    return max(1, math.ceil(len(attempt.layout) / per_page))


def _on_page(attempt, number: int):
    url = reverse("quizzes:attempt", args=[attempt.pk])
    return redirect(f"{url}?hal={number}")


@login_required
def attempt_view(request, pk):
    if request.method == "POST":
        # Saving and submitting need the attempt only, not its quiz page.
        attempt = attempt_for_user_or_404(request.user, pk, with_quiz=False)
        return _attempt_post(request, attempt, timezone.now())
    attempt = attempt_for_user_or_404(request.user, pk)
    now = timezone.now()
    if not attempt.is_open:
        return redirect("quizzes:review", pk=attempt.pk)
    if policy.is_overdue(attempt.deadline, now):
        services.attempt_finish_overdue(attempt_id=attempt.pk, now=now)
        messages.warning(request, closed_message(services.TIME_UP))
        return redirect("quizzes:review", pk=attempt.pk)
    per_page = attempt.quiz.questions_per_page
    pages = max(1, math.ceil(len(attempt.layout) / per_page))
    number = _page_number(request.GET.get("hal"), pages)
    context = attempt_page(attempt, number, per_page=per_page)
    context.update({"pages": pages, "page_range": range(1, pages + 1)})
    return render(request, "quizzes/attempt.html", context)


def _attempt_post(request, attempt, now):
    action = request.POST.get("action", "save")
    action = action if action in ACTIONS else "save"
    if request.POST.get("goto"):
        action = "goto"
    try:
        responses = parse_form(attempt.layout, request.POST)
        if action == "submit":
            attempt = services.attempt_submit(
                attempt_id=attempt.pk,
                user_id=request.user.pk,
                version=_version(request),
                responses=responses,
                now=now,
            )
            if attempt.finished_by == attempt.FinishedBy.TIME_UP:
                messages.warning(request, closed_message(services.TIME_UP))
            return redirect("quizzes:review", pk=attempt.pk)
        services.attempt_save_answers(
            attempt_id=attempt.pk,
            user_id=request.user.pk,
            version=_version(request),
            responses=responses,
            now=now,
        )
    except AnswerRefused as exc:
        messages.error(request, refused_answer_message(exc))
        pages = _page_count(attempt)
        return _on_page(attempt, _page_number(request.POST.get("page"), pages))
    except services.AttemptClosed as exc:
        messages.error(request, closed_message(exc.code))
        return redirect("quizzes:review", pk=attempt.pk)
    pages = _page_count(attempt)
    current = _page_number(request.POST.get("page"), pages)
    if action == "next":
        current = min(current + 1, pages)
    elif action == "prev":
        current = max(current - 1, 1)
    elif action == "goto":
        current = _page_number(request.POST.get("goto"), pages)
    else:
        messages.success(request, _("Your answers have been saved."))
    return _on_page(attempt, current)


@login_required
@require_POST
def attempt_autosave(request, pk):
    """One question's answer, posted by attempt.js on change. JSON in and out."""
    attempt = attempt_for_user_or_404(request.user, pk, with_quiz=False)
    try:
        responses = parse_form(attempt.layout, request.POST)
        if not responses:
            raise AnswerRefused("unknown_question")
        services.attempt_save_answers(
            attempt_id=attempt.pk,
            user_id=request.user.pk,
            version=_version(request),
            responses=responses,
            now=timezone.now(),
        )
    except AnswerRefused as exc:
        return JsonResponse(
            {"ok": False, "error": refused_answer_message(exc)}, status=400
        )
    except services.AttemptClosed as exc:
        return JsonResponse(
            {
                "ok": False,
                "error": closed_message(exc.code),
                "review": reverse("quizzes:review", args=[attempt.pk]),
            },
            status=409,
        )
    return JsonResponse({"ok": True, "saved": sorted(responses)})


@login_required
def attempt_review(request, pk):
    attempt = attempt_for_user_or_404(request.user, pk)
    if attempt.is_open:
        now = timezone.now()
        if not (
            policy.is_overdue(attempt.deadline, now)
            and services.attempt_finish_overdue(attempt_id=attempt.pk, now=now)
        ):
            return redirect("quizzes:attempt", pk=attempt.pk)
        attempt.refresh_from_db()
    flags = attempt_review_flags(attempt)
    items = review_items(attempt, answers=flags["answers"], feedback=flags["feedback"])
    return render(
        request,
        "quizzes/review.html",
        {"attempt": attempt, "quiz": attempt.quiz, "flags": flags, "items": items},
    )
