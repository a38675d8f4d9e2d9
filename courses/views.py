"""HTTP for learners and coordinators; course, module and lesson pages are Wagtail's.

Each view: parse → fetch with permission → one service → redirect or render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import permissions, selectors, services
from .forms import AssignmentForm


@login_required
def my_learning(request):
    dashboard = selectors.learning_dashboard(
        user=request.user, today=timezone.localdate(), request=request
    )
    return render(request, "courses/my_learning.html", {"dashboard": dashboard})


@login_required
@require_POST
def enrol(request, course_id):
    course = permissions.live_course_or_404(course_id)
    try:
        services.enrolment_self_create(
            user=request.user, course=course, now=timezone.now()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You are enrolled. Start with the first lesson."))
    return redirect(course.url)


@login_required
@require_POST
def retake(request, course_id):
    course = permissions.live_course_or_404(course_id)
    enrolment = permissions.enrolment_for_user_or_404(request.user, course)
    try:
        services.enrolment_retake(enrolment=enrolment, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("A new attempt has started; your earlier one is kept.")
        )
    return redirect(course.url)


@login_required
@require_POST
def lesson_done(request, lesson_id):
    lesson = permissions.live_lesson_or_404(lesson_id)
    course = selectors.course_of_lesson(lesson)
    enrolment = permissions.enrolment_for_user_or_404(request.user, course)
    evaluation = services.lesson_complete(
        enrolment=enrolment, lesson=lesson, now=timezone.now()
    )
    if evaluation.newly_completed:
        messages.success(request, _("Congratulations: you have completed this course."))
    next_lesson = selectors.next_lesson(lesson, course)
    return redirect(next_lesson.url if next_lesson else course.url)


@require_POST
def check_answer(request, lesson_id, block_id):
    """Answer a knowledge check without JavaScript: POST, then back to the question."""
    lesson = permissions.live_lesson_or_404(lesson_id)
    if services.check_block(lesson, block_id) is None:
        raise Http404
    enrolment = selectors.enrolment_for_lesson(request.user, lesson)
    selected = request.POST.getlist("option")
    try:
        if enrolment is None:  # readers who are not enrolled: the session only
            outcome = services.check_answer_remember(
                session=request.session,
                lesson=lesson,
                block_id=block_id,
                selected=selected,
            )
        else:
            outcome = services.check_answer_record(
                enrolment=enrolment,
                lesson=lesson,
                block_id=block_id,
                selected=selected,
                now=timezone.now(),
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if outcome.lesson_completed:
            messages.success(request, _("All questions answered: lesson completed."))
    return redirect(f"{lesson.url}#check-{block_id}")


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    page = None
    if query:
        page = Paginator(selectors.lesson_search(query), 20).get_page(
            request.GET.get("page")
        )
    courses = selectors.courses_for_lessons(page.object_list if page else [])
    return render(
        request,
        "courses/search.html",
        {"query": query, "results": page, "courses": courses},
    )


@login_required
def assignments(request):
    if not permissions.user_can_assign_courses(request.user):
        raise Http404
    form = AssignmentForm(
        request.POST or None, user=request.user, today=timezone.localdate()
    )
    if request.method == "POST" and form.is_valid():
        result = services.course_assign(
            **form.cleaned_data, assigned_by=request.user, now=timezone.now()
        )
        messages.success(request, result.message)
        return redirect("courses:assignments")
    items = selectors.assignments_for_coordinator(request.user)
    return render(
        request, "courses/assignments.html", {"form": form, "assignments": items}
    )


@login_required
@require_POST
def assignment_reapply(request, pk):
    if not permissions.user_can_assign_courses(request.user):
        raise Http404
    assignment = permissions.assignment_for_user_or_404(request.user, pk)
    result = services.assignment_apply(assignment=assignment, now=timezone.now())
    messages.success(request, result.message)
    return redirect("courses:assignments")
