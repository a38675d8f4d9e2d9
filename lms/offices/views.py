"""Coordinator pages: the staff list (imports and invitations live in accounts)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from lms.accounts.forms import StaffFilterForm
from lms.accounts.selectors import staff_for_listing

from .permissions import (
    office_for_user_or_404,
    offices_visible_to,
    require_staff_manager,
)

STAFF_PER_PAGE = 50


@login_required
def staff_list(request):
    require_staff_manager(request.user)
    office_id = request.GET.get("office") or None
    office = office_for_user_or_404(request.user, office_id) if office_id else None
    offices = offices_visible_to(request.user).active().order_by("code")
    form = StaffFilterForm(request.GET or None, offices=offices)
    query = request.GET.get("q", "")
    members = staff_for_listing(request.user, office=office, query=query)
    page = Paginator(members, STAFF_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "offices/staff_list.html",
        {"form": form, "page": page, "office": office, "query": query},
    )
