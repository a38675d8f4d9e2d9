"""Authorisation matrix over every URL the project defines.

The list of URLs is generated from the URL conf, so a new URL without a row in
ACCESS fails `test_every_project_url_has_a_row`. Each row names who may open the
URL; the matrix then requests it (GET, or an empty POST where the URL takes only
POST, with placeholder ids where the URL takes arguments) as each role and
checks the class of answer:

- anonymous on anything but a public URL → redirect to the login page;
- a role that may not use the URL → 403 or 404 (never the page, never a 500);
- a role that may → not redirected to login and not refused (200, or 404 for a
  placeholder id that does not exist, 400 for an endpoint that needs
  parameters, a redirect back to a form).

The apps' own tests check the right answers with real objects (in scope → 200,
out of scope → 404); this matrix makes sure nothing is left open by accident.
Third-party URL trees (allauth, the Wagtail and Django admins, Wagtail's page
serving) are covered by their own login requirements and tested elsewhere; the
project's own views mounted inside the Wagtail admin have their own table,
ADMIN_ACCESS, checked the same way (`test_admin_matrix`).
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import UserFactory, build_office_tree

PUBLIC = "public"  # anyone, signed in or not
MEMBER = "member"  # any signed-in user
COORDINATOR = "coordinator"  # coordinators (in scope) and administrators
INSTRUCTOR = "instructor"  # instructors and administrators (Wagtail admin views)
ADMIN = "admin"  # administrators only

ACCESS = {
    "healthz": PUBLIC,
    "switch_language": PUBLIC,
    "accounts:profile": MEMBER,
    "accounts:my_data": MEMBER,
    "accounts:my_data_download": MEMBER,
    "accounts:account_delete": MEMBER,
    # Coordinator pages
    "offices:staff_list": COORDINATOR,
    "offices:staff_invite_again": COORDINATOR,
    "offices:staff_import_upload": COORDINATOR,
    "offices:staff_import_sample": COORDINATOR,
    "offices:staff_import": COORDINATOR,
    "dashboard:home": COORDINATOR,
    "dashboard:learners": COORDINATOR,
    "dashboard:transcript": COORDINATOR,
    "dashboard:summary": COORDINATOR,
    "dashboard:export_learners": COORDINATOR,
    "dashboard:export_offices": COORDINATOR,
    "dashboard:refresh": COORDINATOR,
    "dashboard:unsubscribe": PUBLIC,  # signed token, no login
    "courses:assignments": COORDINATOR,
    "courses:assignment_reapply": COORDINATOR,
    "certificates:register": COORDINATOR,
    "certificates:register_export": COORDINATOR,
    "certificates:register_detail": COORDINATOR,
    "certificates:register_pdf": COORDINATOR,
    "certificates:register_revoke": COORDINATOR,
    "certificates:register_reissue": COORDINATOR,
    "certificates:bundle_create": COORDINATOR,
    "certificates:bundle": COORDINATOR,
    "certificates:bundle_download": COORDINATOR,
    # Public tools and verification
    "deadlines:calculator": PUBLIC,
    "deadlines:calculator_json": PUBLIC,
    "certificates:verify": PUBLIC,
    "certificates:verify_code": PUBLIC,
    "certificates:issuer": PUBLIC,
    "certificates:credential_key": PUBLIC,
    "certificates:revocations": PUBLIC,
    "courses:search": PUBLIC,
    # Learning
    "courses:my_learning": MEMBER,
    "courses:enrol": MEMBER,
    "courses:retake": MEMBER,
    "courses:lesson_done": MEMBER,
    "courses:check_answer": PUBLIC,  # readers may try knowledge checks
    "quizzes:start": MEMBER,
    "quizzes:attempt": MEMBER,
    "quizzes:autosave": MEMBER,
    "quizzes:review": MEMBER,
    "certificates:mine": MEMBER,
    "certificates:mine_pdf": MEMBER,
    "certificates:mine_credential": MEMBER,
    "practice:start": MEMBER,
    "practice:play": MEMBER,
    "practice:result": MEMBER,
}

# The project's own views inside the Wagtail admin (registered from wagtail_hooks
# or viewsets under /admin/). Wagtail refuses in its own ways: no admin access →
# the login page; admin access but no permission → a redirect to the dashboard.
ADMIN_ACCESS = {
    "courses_admin_import": INSTRUCTOR,
    "quizzes_admin:import": INSTRUCTOR,
    "quizzes_admin:export": INSTRUCTOR,
    "quizzes_admin:analysis_index": INSTRUCTOR,
    "quizzes_admin:analysis": INSTRUCTOR,
    "quizzes_admin:analysis_csv": INSTRUCTOR,
    "practice_admin:index": INSTRUCTOR,
    "practice_admin:diagram": INSTRUCTOR,
    "practice_admin:analytics": INSTRUCTOR,
    "practice_admin:analytics_csv": INSTRUCTOR,
    "practice_admin:preview_answer": INSTRUCTOR,
    "certificate_layouts:edit": INSTRUCTOR,
    "certificate_layouts:preview_pdf": INSTRUCTOR,
    "deadlines_calendar": ADMIN,
    "deadlines_calendar_remove": ADMIN,
    "office_admin:index": ADMIN,
    "office_admin:index_results": ADMIN,
    "office_admin:edit": ADMIN,
    "office_admin:merge": ADMIN,
    "wagtailusers_users:index": ADMIN,
    "wagtailusers_users:index_results": ADMIN,
    "wagtailusers_users:add": ADMIN,
    "wagtailusers_users:edit": ADMIN,
    "wagtailusers_users:delete": ADMIN,
}
PROJECT_PACKAGES = ("lms", "courses", "quizzes", "certificates", "dashboard")

# URL trees owned by libraries; the prefixes stay listed so a new one is a choice.
THIRD_PARTY_PREFIXES = ("akun/", "admin/", "django-admin/", "documents/", "")
THIRD_PARTY_MODULES = ("allauth", "wagtail", "django.contrib.admin")

ROLES = ["anonymous", "learner", "intern", "coordinator", "instructor", "admin"]
ALLOWED = {
    PUBLIC: set(ROLES),
    MEMBER: set(ROLES) - {"anonymous"},
    COORDINATOR: {"coordinator", "admin"},
    INSTRUCTOR: {"instructor", "admin"},
    ADMIN: {"admin"},
}
PLACEHOLDER = {
    "int": "987654",
    "str": "AAAA-BBBB-CCCC",
    "slug": "tidak-ada",
    "path": "x",
}


def project_urls():
    """(name, example path) for every URL the project itself defines."""
    found = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                module = getattr(pattern.urlconf_module, "__name__", "")
                if not module or module.startswith(THIRD_PARTY_MODULES):
                    continue
                ns = pattern.namespace or namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.append((name, example_path(prefix + str(pattern.pattern))))

    walk(get_resolver().url_patterns, "", None)
    return found


def example_path(route: str) -> str:
    """Fill a route's converters with placeholders that match no real object."""
    if route.startswith("^") or "(?P<" in route:  # a regex route
        route = route.replace("^", "").replace("$", "").replace("\\", "")
        route = re.sub(r"\(\?P<fmt>[^)]*\)", "csv", route)
        route = re.sub(r"\(\?P<\w+>[^)]*\)", PLACEHOLDER["str"], route)
    route = re.sub(
        r"<(?:(\w+):)?\w+>", lambda m: PLACEHOLDER.get(m.group(1) or "str", "x"), route
    )
    return "/" + route


@pytest.fixture
def role_users(db):
    tree = build_office_tree()
    return {
        "anonymous": None,
        "learner": UserFactory(office=tree.badung),
        "intern": UserFactory(office=tree.klaten, employment_type="magang"),
        "coordinator": UserFactory(office=tree.bali, coordinates=tree.bali),
        "instructor": UserFactory(office=tree.national, instructor=True),
        "admin": UserFactory(office=tree.national, admin=True),
    }


def test_every_project_url_has_a_row():
    names = {name for name, _path in project_urls()}
    missing = sorted(names - set(ACCESS))
    assert not missing, f"URLs without a row in the authorisation matrix: {missing}"
    stale = sorted(set(ACCESS) - names)
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, role_users, role):
    user = role_users[role]
    if user is not None:
        client.force_login(user)
    failures = []
    for name, path in project_urls():
        access = ACCESS[name]
        response = client.get(path)
        if response.status_code == 405:  # a POST-only endpoint: try it as a form post
            response = client.post(path, {})
        status = response.status_code
        to_login = status == 302 and "/akun/login/" in response.get("Location", "")
        if status >= 500:
            failures.append(f"{name} {path}: {status}")
        elif role == "anonymous" and access != PUBLIC:
            if not to_login:
                failures.append(f"{name} {path}: anonymous got {status}, not login")
        elif role in ALLOWED[access]:
            if to_login or status == 403:
                failures.append(f"{name} {path}: {role} refused ({status})")
        elif status not in (403, 404):
            failures.append(f"{name} {path}: {role} got {status}, expected 403/404")
    assert not failures, "\n".join(failures)


def project_admin_urls():
    """(name, example path) for the project's views under the Wagtail admin."""
    found = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                module = getattr(pattern.callback, "__module__", "") or ""
                if prefix.startswith("admin/") and module.startswith(PROJECT_PACKAGES):
                    name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                    found.append((name, example_path(prefix + str(pattern.pattern))))

    walk(get_resolver().url_patterns, "", None)
    return found


def test_every_project_admin_url_has_a_row():
    names = {name for name, _path in project_admin_urls()}
    missing = sorted(names - set(ADMIN_ACCESS))
    assert not missing, f"admin URLs without a row in ADMIN_ACCESS: {missing}"
    stale = sorted(set(ADMIN_ACCESS) - names)
    assert not stale, f"rows for admin URLs that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_admin_matrix(client, role_users, role):
    user = role_users[role]
    if user is not None:
        client.force_login(user)
    failures = []
    for name, path in project_admin_urls():
        response = client.get(path)
        if response.status_code == 405:
            response = client.post(path, {})
        status, location = response.status_code, response.get("Location", "")
        to_login = status == 302 and "/akun/login/" in location
        refused = (
            to_login
            or status in (403, 404)
            or (status == 302 and location.rstrip("/").endswith("/admin"))
        )
        if status >= 500:
            failures.append(f"{name} {path}: {status}")
        elif role == "anonymous":
            if not to_login:
                failures.append(f"{name} {path}: anonymous got {status}, not login")
        elif role in ALLOWED[ADMIN_ACCESS[name]]:
            if status != 404 and refused:
                failures.append(f"{name} {path}: {role} refused ({status})")
        elif not refused:
            failures.append(f"{name} {path}: {role} got {status}, expected refusal")
    assert not failures, "\n".join(failures)
