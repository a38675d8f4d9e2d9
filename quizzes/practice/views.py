"""Learner views under /latihan/, and the editor's preview play.

Each view parses, fetches with permission, calls one service and renders. An answer
is a plain form POST carrying the id of the step it answers; after an accepted
answer the browser is redirected (POST/redirect/GET), and the play page shows the
feedback on the last answer above the next step, so a reload never answers twice
and a play resumes as it was on any device. A refused answer re-renders the step
with the learner's input and the reason, and writes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from quizzes import scenarios as engine
from quizzes.scenarios import PlayState, Scenario, ScenarioError, ScenarioInputError

from . import services
from .adapters import kip_oracle, localized
from .forms import AnswerFormatError, parse_answer, posted_values, problem_rows
from .permissions import live_scenario_or_404, play_for_user_or_404
from .presenters import debrief_view, play_view
from .selectors import scenario_course

STALE_CODES = ("not_current", "finished", "ending")


def refusal_message(code: str) -> str:
    if code == services.NOT_ENROLLED:
        return _("Enrol in the course first to practise this scenario.")
    if code == services.NO_REPLAY:
        return _(
            "This scenario can be played once per course attempt, and you have "
            "finished it. Your earlier plays are listed below."
        )
    if code == services.NOT_LIVE:
        return _("This scenario is not published.")
    return _(
        "This scenario cannot be played right now. Please tell the course instructor."
    )


def stale_message() -> str:
    return _(
        "That step had already been answered (in another tab, or by a second click), "
        "so this answer was not recorded. Here is where your case stands now."
    )


def read_answer(scenario: Scenario, state: PlayState, post) -> tuple[str, object]:
    """(step id, answer value) from a POST; the engine refuses a stale step itself."""
    step_id = post.get("step", "")
    if state.finished or step_id != state.current or not scenario.has_step(step_id):
        return step_id, None
    return step_id, parse_answer(scenario.step(step_id), post)


@login_required
@require_POST
def play_start(request, page_id):
    page = live_scenario_or_404(page_id)
    try:
        play = services.play_start(user=request.user, page=page, now=timezone.now())
    except services.PlayRefused as exc:
        messages.error(request, refusal_message(exc.code))
        return redirect(page.url)
    return redirect("practice:play", pk=play.pk)


@login_required
@require_http_methods(["GET", "POST"])
def play(request, pk):
    play = play_for_user_or_404(request.user, pk)
    if play.is_finished and request.method != "POST":
        return redirect("practice:result", pk=play.pk)
    scenario = play.snapshot.scenario()
    state = PlayState.from_dict(play.state)
    oracle = kip_oracle()
    posted, error = None, ""
    if request.method == "POST":
        try:
            step_id, value = read_answer(scenario, state, request.POST)
            services.play_answer(
                play=play,
                step_id=step_id,
                value=value,
                now=timezone.now(),
                oracle=oracle,
            )
        except ScenarioInputError as exc:
            if exc.code in STALE_CODES:
                messages.warning(request, stale_message())
                return redirect("practice:play", pk=play.pk)
            posted, error = (
                posted_values(scenario.step(state.current), request.POST),
                (localized(exc.message)),
            )
        except AnswerFormatError as exc:
            posted, error = (
                posted_values(scenario.step(state.current), request.POST),
                (exc.message),
            )
        else:
            return redirect("practice:play", pk=play.pk)
    view = play_view(scenario, state, oracle=oracle, posted=posted, error=error)
    return render(
        request,
        "practice/play.html",
        {
            "play": play,
            "page": play.page,
            "course": scenario_course(play.page),
            "view": view,
            "form_action": reverse("practice:play", args=[play.pk]),
        },
    )


@login_required
def play_result(request, pk):
    play = play_for_user_or_404(request.user, pk)
    if not play.is_finished:
        return redirect("practice:play", pk=play.pk)
    scenario = play.snapshot.scenario()
    state = PlayState.from_dict(play.state)
    oracle = kip_oracle()
    return render(
        request,
        "practice/result.html",
        {
            "play": play,
            "page": play.page,
            "course": scenario_course(play.page),
            "view": play_view(scenario, state, oracle=oracle),
            "debrief": debrief_view(scenario, state, oracle=oracle),
            "can_replay": play.page.allow_replay and play.page.live,
        },
    )


# --- the editor's preview (Wagtail preview mode "play") -------------------------------


def preview_error_key(page_id) -> str:
    return f"{services.preview_key(page_id)}:error"


def preview_play(request, page):
    """The scenario as the editor has it in the form, played in the session.

    Nothing is recorded. Answers go to an admin view (admin_views.PreviewAnswerView),
    which redirects back here; a new page must be saved once before it can be
    answered, because that view finds the page by id.
    """
    check = page.scenario_check(course_slug="")
    scenario = check.scenario
    context = {"page": page, "preview": True, "problems": problem_rows(check)}
    if scenario is None or not scenario.steps:
        return render(request, "practice/preview_unavailable.html", context)
    if page.pk:
        state = services.preview_state(
            session=request.session, page_id=page.pk, scenario=scenario
        )
        context["form_action"] = reverse(
            "practice_admin:preview_answer", args=[page.pk]
        )
        error = request.session.pop(preview_error_key(page.pk), "")
    else:
        state, error = engine.start(scenario), ""
    context["in_panel"] = bool(getattr(request, "in_preview_panel", False))
    oracle = kip_oracle()
    try:
        context["view"] = play_view(scenario, state, oracle=oracle, error=error)
        if state.finished:
            context["debrief"] = debrief_view(scenario, state, oracle=oracle)
    except ScenarioError as exc:
        context["broken"] = str(exc)
        return render(request, "practice/preview_unavailable.html", context)
    template = "practice/result.html" if state.finished else "practice/play.html"
    return render(request, template, context)
