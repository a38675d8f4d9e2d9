"""Account pages the project adds to allauth's (the profile, one's own data and
deleting the account) and the coordinator's staff import and invitations."""

import csv
import json

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lms.offices.permissions import offices_visible_to, require_staff_manager
from lms.uploads import size_text

from .forms import AccountEraseForm, ProfileForm, StaffImportUploadForm
from .models import StaffImport
from .permissions import (
    staff_import_for_user_or_404,
    staff_member_for_user_or_404,
    user_can_be_invited_again,
    user_can_erase_account,
)
from .selectors import skipped_rows, staff_import_preview
from .services import (
    StaffImportError,
    account_data_export,
    account_erase,
    invitations_enqueue,
    staff_import_cancel,
    staff_import_confirm,
    staff_import_create,
)
from .staff_csv import MAX_ROWS


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_GET
def my_data(request):
    return render(request, "accounts/my_data.html")


@login_required
@require_GET
@never_cache
def my_data_download(request):
    now = timezone.now()
    document = account_data_export(user=request.user, now=now)
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = f"data-saya-akademi-ppid-{timezone.localdate(now).isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@never_cache
def account_delete(request):
    """GET: what deletion means and the form; POST: erase, sign out, say so."""
    if not user_can_erase_account(request.user, request.user):
        raise PermissionDenied
    # Typing the password again is limited like changing it (allauth's limit),
    # so that a borrowed session cannot be used to guess it here.
    if request.method == "POST" and not ratelimit.consume(
        request, action="change_password", user=request.user
    ):
        messages.error(request, _("Too many attempts. Wait a minute and try again."))
        return redirect("accounts:account_delete")
    form = AccountEraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_erase(account=request.user, actor=request.user)
        logout(request)
        return render(request, "accounts/account_deleted.html")
    return render(request, "accounts/account_delete.html", {"form": form})


@login_required
def staff_import_upload(request):
    require_staff_manager(request.user)
    form = StaffImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        staff_import = staff_import_create(
            owner=request.user, file_name=form.cleaned_data["file"].name, rows=form.rows
        )
        return redirect("offices:staff_import", pk=staff_import.pk)
    return render(
        request,
        "accounts/staff_import_upload.html",
        {
            "form": form,
            "max_rows": MAX_ROWS,
            "max_size": size_text(settings.LMS_STAFF_IMPORT_MAX_BYTES),
        },
    )


@login_required
def staff_import_detail(request, pk):
    """GET: the preview (or the result); POST: confirm or cancel."""
    require_staff_manager(request.user)
    staff_import = staff_import_for_user_or_404(request.user, pk)
    if request.method == "POST":
        return _staff_import_act(request, staff_import)
    context = {"staff_import": staff_import}
    if staff_import.status == StaffImport.Status.PENDING:
        preview = staff_import_preview(staff_import=staff_import, actor=request.user)
        only_problems = request.GET.get("show") == "problems"
        context |= {
            "preview": preview,
            "rows": preview.problems if only_problems else preview.checks,
            "only_problems": only_problems,
        }
    elif staff_import.status == StaffImport.Status.DONE:
        context["skipped"] = skipped_rows(staff_import)
    return render(request, "accounts/staff_import_detail.html", context)


def _staff_import_act(request, staff_import):
    if request.POST.get("action") == "cancel":
        staff_import_cancel(staff_import=staff_import)
        messages.info(request, _("The import was cancelled. Nothing was imported."))
        return redirect("offices:staff_import_upload")
    try:
        result = staff_import_confirm(staff_import=staff_import, actor=request.user)
    except StaffImportError as exc:
        messages.error(request, str(exc))
    except IntegrityError:
        messages.error(
            request,
            _(
                "Nothing was imported: some accounts changed while you were "
                "importing. Check the preview again and confirm."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "Import finished: %(created)s new, %(updated)s updated, "
                "%(skipped)s skipped."
            )
            % {
                "created": result.created,
                "updated": result.updated,
                "skipped": len(result.skipped),
            },
        )
    return redirect("offices:staff_import", pk=staff_import.pk)


@login_required
def staff_import_sample(request):
    """A sample file with the Indonesian column names and offices in scope."""
    require_staff_manager(request.user)
    visible = offices_visible_to(request.user).active().order_by("-level", "code")
    codes = list(visible.values_list("code", flat=True)[:2]) or ["51.03"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contoh-impor-pegawai.csv"'
    response.write("\ufeff")  # so that Excel opens it as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["nama", "email", "nip", "jenis_kepegawaian", "kode_kantor"])
    writer.writerow(
        ["Ni Luh Putu Sari", "sari@example.org", "199001012015032001", "PNS", codes[0]]
    )
    writer.writerow(["Made Wirawan", "wirawan@example.org", "", "magang", codes[-1]])
    return response


@login_required
@require_POST
def staff_invite_again(request, pk):
    require_staff_manager(request.user)
    member = staff_member_for_user_or_404(request.user, pk)
    if not user_can_be_invited_again(member):
        raise Http404
    invitations_enqueue(user_ids=[member.pk], resend=True)
    messages.success(
        request,
        _("A new invitation is on its way to %(email)s.") % {"email": member.email},
    )
    return redirect("offices:staff_list")
