"""CSRF protection on every URL the site answers, generated from the URL conf.

Every URL pattern (ours, allauth's, the Wagtail and Django admins', Wagtail's page
serving) is found by walking the resolver, filled with placeholder arguments and
checked to resolve back to itself. Then, signed in with the role that may use it,
a POST without a CSRF token must be refused by the CSRF check itself — the test
points CSRF_FAILURE_VIEW at a marker view, so a 403 from a permission check does
not count. For our own URLs and allauth's, the same POST with a valid token must
get past the check, which proves the refusal was about the token.

CSRF rejection happens in middleware before the view runs, so a POST to a URL
that only answers GET is refused too: nothing can be added that escapes the check
unless it is marked csrf_exempt, and every such view must be listed, with its
reason, in CSRF_EXEMPT (or, for Django REST framework views, in DRF_ENFORCED).
A URL from a package this file does not know fails `test_every_url_is_classified`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.http import HttpResponseForbidden
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.factories import UserFactory, build_office_tree
from tests.test_authorisation_matrix import ACCESS, ADMIN, COORDINATOR, MEMBER, PUBLIC

OURS = ("lms", "courses", "quizzes", "certificates", "dashboard")
# Who the URL belongs to, from the module of its view.
OWNERS = {
    **dict.fromkeys(OURS, "project"),
    "allauth": "allauth",
    "wagtail": "wagtail",
    "modelcluster": "wagtail",
    "taggit": "django-admin",
    "django": "django",
}
# csrf_exempt views reachable on the site, and why that is safe.
CSRF_EXEMPT = {
    "dashboard:unsubscribe": (
        "RFC 8058 one-click unsubscribe: mail clients POST without a token. The "
        "signed, per-user token in the URL is the credential, and the only change "
        "is the digest subscription, shown and reversible on the page."
    ),
}
# Django REST framework marks its views csrf_exempt and checks the token itself
# (SessionAuthentication.enforce_csrf) for signed-in users; the Wagtail admin API.
DRF_ENFORCED = "wagtailadmin_api:"

ROLE_FOR_ACCESS = {
    PUBLIC: "learner",
    MEMBER: "learner",
    COORDINATOR: "coordinator",
    ADMIN: "admin",
}
SAMPLES = ("987654", "AAAA-BBBB-CCCC", "x", "csv", "")
MARKER = "X-Test-CSRF-Rejected"


def csrf_rejected(request, reason=""):
    """CSRF_FAILURE_VIEW for these tests: a 403 that says it came from the check."""
    response = HttpResponseForbidden(reason)
    response[MARKER] = "1"
    return response


@dataclass(frozen=True)
class Url:
    name: str
    route: str
    path: str
    owner: str
    callback: object

    @property
    def exempt(self) -> bool:
        return bool(getattr(self.callback, "csrf_exempt", False))

    @property
    def in_admin(self) -> bool:
        return self.path.startswith(("/admin/", "/django-admin/"))


def _fill_group(body: str) -> str:
    """A sample string that the regex group `body` matches in full."""
    body = re.sub(r"^\?P<\w+>|^\?:", "", body)
    for alternative in body.split("|"):
        if re.fullmatch(r"[\w-]+", alternative):
            return alternative
    for sample in SAMPLES:
        if re.fullmatch(body, sample):
            return sample
    return "x"


def _fill_regex(route: str) -> str:
    out, i = [], 0
    while i < len(route):
        char = route[i]
        if char == "\\" and i + 1 < len(route):
            out.append(route[i + 1])
            i += 2
        elif char == "(":
            depth, j = 1, i + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(route[j], 0)
                j += 1
            optional = j < len(route) and route[j] in "*?"
            out.append("" if optional else _fill_group(route[i + 1 : j - 1]))
            i = j + (1 if optional else 0)
        elif char in "^$":
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def sample_path(route: str) -> str:
    """Fill a route's converters and regex groups with values matching no object."""
    placeholders = {"int": "987654", "path": "x", "slug": "tidak-ada"}
    route = re.sub(
        r"(?<!\?P)<(?:(\w+):)?\w+>",
        lambda m: placeholders.get(m.group(1) or "str", "AAAA-BBBB-CCCC"),
        route,
    )
    return "/" + _fill_regex(route)


def _owner(callback) -> str:
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    module = (view or callback).__module__
    return OWNERS.get(module.split(".")[0], f"unknown ({module})")


def all_urls() -> list[Url]:
    found = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                ns = f"{namespace}:{ns}" if namespace and ns else ns or namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = pattern.name or route
                if namespace and pattern.name:
                    name = f"{namespace}:{pattern.name}"
                found.append(
                    Url(
                        name=name,
                        route=route,
                        path=sample_path(route),
                        owner=_owner(pattern.callback),
                        callback=pattern.callback,
                    )
                )

    walk(get_resolver().url_patterns, "", None)
    return found


def resolves_to_itself(url: Url) -> bool:
    try:
        # ResolverMatch.route drops the "^" of regex patterns it joins.
        return resolve(url.path).route.replace("^", "") == url.route.replace("^", "")
    except Resolver404:
        return False


URLS = all_urls()
PROJECT = [u for u in URLS if u.owner == "project"]
ALLAUTH = [u for u in URLS if u.owner == "allauth"]
LIBRARY_ADMIN = [u for u in URLS if u.owner in ("wagtail", "django", "django-admin")]


@pytest.fixture
def users(db):
    tree = build_office_tree()
    return {
        "learner": UserFactory(office=tree.badung),
        "coordinator": UserFactory(office=tree.bali, coordinates=tree.bali),
        "admin": UserFactory(office=tree.national, admin=True),
    }


def role_for(url: Url) -> str:
    if url.in_admin:
        return "admin"
    if url.owner == "project":
        return ROLE_FOR_ACCESS[ACCESS[url.name]]
    return "learner"


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def rejected_by_csrf(response) -> bool:
    if response.get(MARKER) == "1":
        return True
    # The Wagtail admin API: DRF's own check answers 403 "CSRF Failed: …".
    return response.status_code == 403 and b"CSRF Failed" in response.content


# --- The inventory --------------------------------------------------------------


def test_every_url_is_classified():
    unknown = sorted(
        f"{u.route} ({u.owner})" for u in URLS if u.owner.startswith("unknown")
    )
    assert not unknown, f"URLs from packages this test does not know: {unknown}"
    our_names = {u.name for u in PROJECT if not u.in_admin}
    missing = sorted(our_names - set(ACCESS))
    assert not missing, f"project URLs without a role in the matrix: {missing}"


def test_our_and_allauth_urls_resolve_to_themselves():
    """Every URL of ours and of allauth is really exercised (not a 404 before the
    middleware could look at the token)."""
    unresolved = [u.route for u in PROJECT + ALLAUTH if not resolves_to_itself(u)]
    assert not unresolved, unresolved


def test_the_csrf_exempt_views_are_the_listed_ones():
    exempt = {u.name for u in URLS if u.exempt and not u.name.startswith(DRF_ENFORCED)}
    assert exempt == set(CSRF_EXEMPT)
    drf = [u for u in URLS if u.exempt and u.name.startswith(DRF_ENFORCED)]
    assert all(hasattr(u.callback, "cls") for u in drf), "not DRF views"


# --- POST without a token ---------------------------------------------------------


@override_settings(CSRF_FAILURE_VIEW="tests.security.test_csrf.csrf_rejected")
@pytest.mark.parametrize("group", ["project", "allauth"])
def test_a_post_without_a_token_is_refused_and_with_one_it_passes(users, group):
    urls = PROJECT if group == "project" else ALLAUTH
    failures = []
    for url in urls:
        if url.name in CSRF_EXEMPT:
            continue
        user = users[role_for(url)]
        response = signed_in(user).post(url.path, {})
        if not rejected_by_csrf(response):
            failures.append(
                f"{url.name} {url.path}: {response.status_code} without a token"
            )
            continue
        client = signed_in(user)
        client.cookies["csrftoken"] = "t" * 32
        response = client.post(url.path, {"csrfmiddlewaretoken": "t" * 32})
        if rejected_by_csrf(response):
            failures.append(f"{url.name} {url.path}: refused even with a valid token")
    assert not failures, "\n".join(failures)


@override_settings(CSRF_FAILURE_VIEW="tests.security.test_csrf.csrf_rejected")
def test_the_admins_refuse_a_post_without_a_token(users):
    """Every Wagtail and Django admin URL that resolves (all but a few regex routes
    with no sample), and our views inside the Wagtail admin, as an administrator."""
    client = signed_in(users["admin"])
    checked, failures = 0, []
    for url in LIBRARY_ADMIN + [u for u in PROJECT if u.in_admin]:
        if not resolves_to_itself(url):
            continue
        checked += 1
        response = client.post(url.path, {})
        if not rejected_by_csrf(response):
            failures.append(f"{url.name} {url.path}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert checked >= 0.9 * len(LIBRARY_ADMIN)


@override_settings(CSRF_FAILURE_VIEW="tests.security.test_csrf.csrf_rejected")
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_unsafe_methods_are_refused_without_a_token_too(users, method):
    failures = []
    for url in PROJECT:
        if url.name in CSRF_EXEMPT:
            continue
        response = getattr(signed_in(users[role_for(url)]), method)(url.path)
        if not rejected_by_csrf(response):
            failures.append(f"{url.name} {url.path}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_the_exempt_unsubscribe_link_changes_nothing_without_its_signed_token(users):
    response = Client(enforce_csrf_checks=True).post(
        "/koordinator/berhenti-langganan/bukan-token/", {"action": "subscribe"}
    )
    assert response.status_code == 404


# --- State never changes on GET ---------------------------------------------------


def test_signing_out_needs_a_post(users):
    client = signed_in(users["learner"])
    response = client.get("/akun/logout/")
    assert response.status_code == 200  # a confirmation form, not a sign-out
    assert "_auth_user_id" in client.session


def test_switching_the_language_needs_a_post(users):
    client = signed_in(users["learner"])
    assert client.get("/bahasa/", {"language": "en"}).status_code == 405
    users["learner"].refresh_from_db()
    assert users["learner"].language != "en"
