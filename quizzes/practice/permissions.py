"""Who may play, read, analyse and inspect which scenario.

Fetch and check together: `play_for_user_or_404` answers 404 for a missing play and
for someone else's alike, so a play URL never reveals whether it exists.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from lms.offices.permissions import user_is_instructor

from .models import ScenarioPage, ScenarioPlay


def play_for_user_or_404(user, pk) -> ScenarioPlay:
    """The user's own play, with its version and page; 404 for anyone else's."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        ScenarioPlay.objects.select_related("snapshot", "page").defer("page__steps"),
        pk=pk,
        user_id=user.pk,
    )


def live_scenario_or_404(pk) -> ScenarioPage:
    return get_object_or_404(ScenarioPage.objects.live(), pk=pk)


def user_can_analyse_scenario(user, page: ScenarioPage) -> bool:
    """Instructors, and whoever may edit the scenario page in Wagtail."""
    if not user.is_authenticated:
        return False
    if user_is_instructor(user):
        return True
    return page.permissions_for_user(user).can_edit()


def scenario_for_analysis_or_404(user, pk) -> ScenarioPage:
    page = get_object_or_404(ScenarioPage, pk=pk)
    if not user_can_analyse_scenario(user, page):
        raise Http404
    return page
