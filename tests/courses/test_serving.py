"""Serving pages: one-query routing and cached view restrictions (courses.serving).

The routing must give what Wagtail's slug-by-slug walk gives — the same page, the
same 404s — in a fixed number of queries however deep the page sits.
"""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from courses.models import HomePage, LessonPage, ModulePage

from .factories import LessonPageFactory, ModulePageFactory, course_with_lessons


def walk(home: HomePage, path: str):
    """Wagtail's own routing from the site root, bypassing the mixin."""
    components = [part for part in path.split("/") if part]
    return Page.route(home, RequestFactory().get(path), components)


def fast(home: HomePage, path: str):
    components = [part for part in path.split("/") if part]
    return home.route(RequestFactory().get(path), components)


def outcome(route, home, path):
    try:
        result = route(home, path)
    except Http404:
        return "404"
    return (type(result.page), result.page.pk, result.args, result.kwargs)


def relative(page) -> str:
    home = HomePage.objects.get()
    return page.url_path[len(home.url_path) - 1 :]


@pytest.fixture
def tree(catalogue):
    course = course_with_lessons(catalogue, lessons=2, modules=2)
    module = ModulePage.objects.child_of(course).first()
    hidden_module = ModulePageFactory(parent=course, live=False)
    behind_hidden = LessonPageFactory(parent=hidden_module)
    draft = LessonPageFactory(parent=module, live=False)
    return {
        "home": HomePage.objects.get(),
        "course": course,
        "module": module,
        "hidden_module": hidden_module,
        "behind_hidden": behind_hidden,
        "draft": draft,
    }


def test_every_page_routes_as_wagtails_walk_routes_it(tree):
    home = tree["home"]
    paths = [relative(page) for page in Page.objects.descendant_of(home)]
    paths += [
        relative(tree["module"]) + "tidak-ada/",  # a missing child
        relative(LessonPage.objects.live().first()) + "lebih/dalam/",  # below a leaf
        "/tidak-ada/sama-sekali/",
        "/kursus/tidak-ada/",
    ]
    assert len(paths) > 10
    for path in paths:
        assert outcome(fast, home, path) == outcome(walk, home, path), path


def test_drafts_are_not_served_but_a_live_page_under_a_draft_is(tree):
    # Wagtail checks only the page that answers; the mixin must not be stricter.
    home = tree["home"]
    assert outcome(fast, home, relative(tree["draft"])) == "404"
    assert outcome(fast, home, relative(tree["hidden_module"])) == "404"
    assert fast(home, relative(tree["behind_hidden"])).page == tree["behind_hidden"]


def test_routing_takes_two_queries_at_any_depth(tree):
    home = tree["home"]
    lesson = LessonPage.objects.live().descendant_of(tree["module"]).first()
    for page in (tree["course"], tree["module"], lesson):
        path = relative(page)
        with CaptureQueriesContext(connection) as captured:
            assert fast(home, path).page == page
        assert len(captured) == 2, [q["sql"] for q in captured]


def test_a_page_type_that_routes_itself_gets_the_rest_of_the_path(tree, monkeypatch):
    seen = []

    def route(self, request, path_components):
        seen.append((self.pk, list(path_components)))
        return Page.route(self, request, path_components)

    # As a RoutablePageMixin would: the module answers for what lies below it.
    monkeypatch.setattr(ModulePage, "route", route)
    home, module = tree["home"], tree["module"]
    lesson = LessonPage.objects.live().child_of(module).first()
    assert fast(home, relative(lesson)).page == lesson
    assert seen == [(module.pk, [lesson.slug])]
    assert outcome(fast, home, relative(module) + "laporan/") == "404"
    assert seen[-1] == (module.pk, ["laporan"])


def test_the_lesson_page_queries_do_not_grow_with_depth(client, tree, learner):
    lesson = LessonPage.objects.live().descendant_of(tree["module"]).first()
    client.force_login(learner)
    client.get(lesson.url)  # warm the caches a running server keeps warm
    with CaptureQueriesContext(connection) as captured:
        assert client.get(lesson.url).status_code == 200
    sql = [q["sql"] for q in captured]
    # session user with roles, site, root page, the chain, the lesson; no
    # view-restriction and no role query.
    assert sum('FROM "wagtailcore_page"' in q for q in sql) <= 3, sql
    assert not any("wagtailcore_pageviewrestriction" in q for q in sql), sql
    assert not any("offices_coordinatorscope" in q and "EXISTS" not in q for q in sql)


def test_a_view_restriction_applies_as_soon_as_it_is_saved(client, tree):
    lesson = LessonPage.objects.live().descendant_of(tree["module"]).first()
    assert client.get(lesson.url).status_code == 200  # caches "none exist"
    restriction = PageViewRestriction.objects.create(
        page=tree["course"], restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert "/akun/login/" in response["Location"]
    restriction.delete()
    assert client.get(lesson.url).status_code == 200


def test_restrictions_are_checked_as_wagtail_does_while_any_exists(tree):
    lesson = LessonPage.objects.live().descendant_of(tree["module"]).first()
    other = LessonPage.objects.live().exclude(pk=lesson.pk).first()
    restriction = PageViewRestriction.objects.create(
        page=tree["module"], restriction_type=PageViewRestriction.LOGIN
    )
    assert list(lesson.get_view_restrictions()) == [restriction]
    assert list(Page.get_view_restrictions(lesson)) == [restriction]
    assert list(other.get_view_restrictions()) == list(
        Page.get_view_restrictions(other)
    )
