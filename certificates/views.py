"""Certificate pages: public verification, the learner's list, the coordinators'
register with exports and bundles, and the published credential documents.

Public contract URLs (keep them stable): /sertifikat/verifikasi/ and
/sertifikat/verifikasi/<code>/ (printed on every certificate as a QR code),
/sertifikat/issuer.json, /sertifikat/keys/<key-id>.json, /sertifikat/revocations.json.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lms.offices.permissions import office_for_user_or_404, offices_visible_to

from . import codes, credentials, exports, ratelimit, selectors, services
from .forms import BundleForm, ReasonForm, RegisterFilterForm, VerifyForm
from .models import CertificateBundle, CredentialKey
from .permissions import require_register_access

# --- Public verification -------------------------------------------------------


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Cache-Control"] = "no-store"
    return response


def _verify_page(request, template: str, context: dict, status: int = 200):
    return _noindex(render(request, template, context, status=status))


def _over_limit(request) -> HttpResponse | None:
    limit, period = ratelimit.verify_limit()
    if ratelimit.hit(request, "verify", limit=limit, period=period):
        response = _verify_page(
            request, "certificates/verify_limited.html", {"period": period}, 429
        )
        response["Retry-After"] = str(period)
        return response
    return None


def _verify_lookup(request, text: str) -> HttpResponse:
    text = text[:100]  # a code is 28 symbols; anything longer is not one
    problem, normalised, certificate = selectors.lookup_code(text)
    context = {"form": VerifyForm(initial={"code": text}), "entered": text}
    if problem is codes.CodeProblem.MALFORMED:
        return _verify_page(
            request,
            "certificates/verify_typo.html",
            {**context, "malformed": True},
            400,
        )
    if problem is codes.CodeProblem.CHECK_FAILED:
        return _verify_page(request, "certificates/verify_typo.html", context, 400)
    if certificate is None:
        return _verify_page(request, "certificates/verify_not_found.html", context, 404)
    context.update(
        certificate=certificate,
        state=certificate.state_on(timezone.localdate()),
        code=codes.display(normalised),
    )
    return _verify_page(request, "certificates/verify_result.html", context)


@require_GET
@never_cache
def verify(request):
    if not request.GET.get("code", "").strip():
        return _verify_page(
            request, "certificates/verify_form.html", {"form": VerifyForm()}
        )
    return _over_limit(request) or _verify_lookup(request, request.GET["code"])


@require_GET
@never_cache
def verify_code(request, code: str):
    return _over_limit(request) or _verify_lookup(request, code)


# --- Learner -------------------------------------------------------------------


@login_required
def mine(request):
    rows = selectors.certificates_for_learner(request.user)
    return render(
        request,
        "certificates/mine.html",
        {"certificates": rows, "today": timezone.localdate()},
    )


def _pdf_response(certificate, *, inline: bool) -> HttpResponse:
    data = services.certificate_pdf_bytes(certificate=certificate)
    name = f"sertifikat-{certificate.number.replace('/', '-')}.pdf"
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


def _credential_response(certificate) -> HttpResponse:
    document = credentials.signed_credential(certificate)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = f"kredensial-{certificate.number.replace('/', '-')}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def mine_pdf(request, pk: int):
    certificate = selectors.certificate_for_owner_or_404(request.user, pk)
    return _pdf_response(certificate, inline="inline" in request.GET)


@login_required
def mine_credential(request, pk: int):
    certificate = selectors.certificate_for_owner_or_404(request.user, pk)
    return _credential_response(certificate)


# --- Coordinators: register, exports, revocation, bundles ----------------------


def _register_filters(request):
    """(office or None, cleaned filter data, form); out-of-scope office → 404."""
    office = None
    if request.GET.get("office"):
        office = office_for_user_or_404(request.user, request.GET["office"])
    form = RegisterFilterForm(
        request.GET or None, courses=selectors.register_courses(request.user)
    )
    data = form.cleaned_data if form.is_valid() else {}
    return office, data, form


def _register_rows(request):
    office, data, form = _register_filters(request)
    rows = selectors.register_rows(
        request.user,
        office=office,
        course_id=data.get("course"),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    return office, rows, form


@login_required
def register(request):
    require_register_access(request.user)
    office, rows, form = _register_rows(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    offices = list(offices_visible_to(request.user).order_by("code"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certificates/register.html",
        {
            "page": page,
            "form": form,
            "offices": offices,
            "office": office,
            "query": query.urlencode(),
            "bundle_form": BundleForm(
                offices=offices,
                initial={"office": office.pk if office else None},
            ),
        },
    )


@login_required
def register_export(request, fmt: str):
    require_register_access(request.user)
    _office, rows, _form = _register_rows(request)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(
            exports.register_csv(rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.register_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = (
        f'attachment; filename="register-sertifikat-{stamp}.{fmt}"'
    )
    return response


@login_required
def register_detail(request, pk: int):
    require_register_access(request.user)
    certificate = selectors.certificate_in_scope_or_404(request.user, pk)
    return render(
        request,
        "certificates/register_detail.html",
        {
            "certificate": certificate,
            "form": ReasonForm(),
            "log_entries": selectors.certificate_history(certificate),
        },
    )


@login_required
def register_pdf(request, pk: int):
    require_register_access(request.user)
    certificate = selectors.certificate_in_scope_or_404(request.user, pk)
    return _pdf_response(certificate, inline=True)


def _reason_action(request, pk: int, action):
    require_register_access(request.user)
    certificate = selectors.certificate_in_scope_or_404(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            result = action(
                certificate=certificate,
                by=request.user,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return result
    else:
        messages.error(request, _("Give a reason."))
    return None


@login_required
@require_POST
def register_revoke(request, pk: int):
    if _reason_action(request, pk, services.certificate_revoke):
        messages.success(request, _("The certificate has been revoked."))
    return redirect("certificates:register_detail", pk=pk)


@login_required
@require_POST
def register_reissue(request, pk: int):
    new = _reason_action(request, pk, services.certificate_reissue)
    if new:
        messages.success(
            request,
            _("A new certificate %(number)s replaces it.") % {"number": new.number},
        )
        return redirect("certificates:register_detail", pk=new.pk)
    return redirect("certificates:register_detail", pk=pk)


@login_required
@require_POST
def bundle_create(request):
    require_register_access(request.user)
    # An office outside the scope (or not an office id at all) is a 404, as on GET.
    office = office_for_user_or_404(request.user, request.POST.get("office"))
    form = BundleForm(request.POST, offices=[office])
    if not form.is_valid():
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
        return redirect("certificates:register")
    bundle = services.bundle_request(
        user=request.user,
        office=office,
        date_from=form.cleaned_data["date_from"],
        date_to=form.cleaned_data["date_to"],
    )
    return redirect("certificates:bundle", pk=bundle.pk)


@login_required
def bundle(request, pk: int):
    require_register_access(request.user)
    item = selectors.bundle_for_user_or_404(request.user, pk)
    running = item.status in (
        CertificateBundle.Status.QUEUED,
        CertificateBundle.Status.RUNNING,
    )
    return render(
        request, "certificates/bundle.html", {"bundle": item, "running": running}
    )


@login_required
def bundle_download(request, pk: int):
    require_register_access(request.user)
    item = selectors.bundle_for_user_or_404(request.user, pk)
    if item.status != CertificateBundle.Status.DONE or not item.file:
        raise Http404
    name = f"sertifikat-{item.office.code}-{item.date_from}-{item.date_to}.zip"
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=name)


# --- Published credential documents --------------------------------------------


def _json(document: dict) -> JsonResponse:
    response = JsonResponse(
        document, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def issuer(request):
    return _json(credentials.issuer_profile())


@require_GET
def credential_key(request, key_id: str):
    credentials.publish_current_key()
    key = get_object_or_404(CredentialKey, key_id=key_id)
    return _json(credentials.multikey_document(key))


@require_GET
def revocations(request):
    return _json(credentials.revocation_list(selectors.revoked_credentials()))


# --- Wagtail admin: PDF preview of a layout --------------------------------------


def layout_preview_response(layout) -> HttpResponse:
    from .layouts import render_certificate, sample_certificate

    certificate = sample_certificate(layout, today=timezone.localdate())
    response = HttpResponse(
        render_certificate(certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'inline; filename="pratinjau-sertifikat.pdf"'
    return response


def layout_preview(request, pk: int):
    """Admin-only (mounted through wagtail_hooks): the saved layout as a PDF."""
    from .models import CertificateLayout

    return layout_preview_response(get_object_or_404(CertificateLayout, pk=pk))
