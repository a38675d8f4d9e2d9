"""Admin views: uploading a course package (docs/course-format.md, "Uploading")."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .forms import CoursePackageForm
from .models import CourseIndexPage
from .package import PackageError, package_import
from .permissions import user_can_import_courses


def course_import_view(request):
    catalogue = CourseIndexPage.objects.first()
    if not user_can_import_courses(request.user, catalogue):
        raise PermissionDenied
    form = CoursePackageForm(
        request.POST or None, request.FILES or None, catalogue=catalogue
    )
    reports = None
    if request.method == "POST" and form.is_valid():
        try:
            reports = package_import(
                upload=form.cleaned_data["package"],
                kind=form.kind,
                course=form.cleaned_data["course"],
                catalogue=catalogue,
                user=request.user,
            )
        except PackageError as exc:
            form.add_error("package", exc.message)
    return render(
        request, "courses/admin/import.html", {"form": form, "reports": reports}
    )
