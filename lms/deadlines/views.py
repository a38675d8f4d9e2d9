"""The public deadline calculator: an HTML page and the same answers as JSON.

Both are GET-only and need no login. Work per request is bounded: the inputs are
one step, one regime, one date (at most 32 characters) and one flag, and the engine
answers from calendars it has precomputed and cached.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .calculator import answer_as_json
from .forms import DeadlineForm


@require_safe
def calculator(request):
    form = DeadlineForm(request.GET or None)
    answer = form.answer() if form.is_bound else None
    return render(
        request, "deadlines/calculator.html", {"form": form, "answer": answer}
    )


@require_safe
def calculator_json(request):
    form = DeadlineForm(request.GET)
    answer = form.answer()
    if answer is None:
        return JsonResponse(
            {"errors": form.error_dict()},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return JsonResponse(
        answer_as_json(answer), json_dumps_params={"ensure_ascii": False}
    )
