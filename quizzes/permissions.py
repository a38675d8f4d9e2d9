"""Who may take, review and analyse which quiz.

Fetch and check together: `attempt_for_user_or_404` answers 404 for a missing
attempt and for someone else's alike, so an attempt URL never reveals whether it
exists. Views never test roles inline.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from lms.offices.permissions import user_is_instructor

from .models import Attempt, QuizPage


def attempt_for_user_or_404(user, pk, *, with_quiz: bool = True) -> Attempt:
    """The user's own attempt; 404 for anonymous, missing and not-yours alike.

    `with_quiz=False` leaves the quiz page out (read lazily if ever touched):
    saving and submitting do not need it.
    """
    if not user.is_authenticated:
        raise Http404
    attempts = Attempt.objects.select_related("quiz") if with_quiz else Attempt.objects
    return get_object_or_404(attempts, pk=pk, user_id=user.pk)


def live_quiz_or_404(pk) -> QuizPage:
    return get_object_or_404(QuizPage.objects.live(), pk=pk)


def user_can_analyse_quiz(user, quiz: QuizPage) -> bool:
    """Instructors, and whoever may edit the quiz page in Wagtail."""
    if not user.is_authenticated:
        return False
    if user_is_instructor(user):
        return True
    return quiz.permissions_for_user(user).can_edit()


def quiz_for_analysis_or_404(user, pk) -> QuizPage:
    quiz = get_object_or_404(QuizPage, pk=pk)
    if not user_can_analyse_quiz(user, quiz):
        raise Http404
    return quiz


def user_can_manage_bank(user) -> bool:
    """Import and export of the question bank."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or (
        user.has_perm("quizzes.add_question")
        and user.has_perm("quizzes.change_question")
    )
