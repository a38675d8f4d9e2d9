"""Serving Wagtail pages with fewer queries: routing and view restrictions.

Every lesson, quiz and scenario page sits five levels below the site root
(home → catalogue → course → module → page). Wagtail's `Page.route` walks the
URL one slug at a time, two queries per level (the child, then its specific
row), and its `on_serve_page` hook asks for the view restrictions of the page
and all its ancestors (two more). On the lesson page that was 11 of 17 queries
and over half of its time.

- `PathRoutingMixin` (on the site root, HomePage) finds the pages for every
  prefix of the URL in one query by their `url_path`, which Wagtail keeps in
  step with slugs and moves, and then loads only the page that answers — the
  same result as the walk, in two queries. A page type that overrides `route`
  (a routable page) still gets the rest of the path, exactly as in the walk.
- `CachedViewRestrictionsMixin` skips the restriction queries while the site has
  no page view restriction at all (the usual case: Akademi PPID's pages are
  public or guarded by enrolment, not by Wagtail's privacy settings). Whether
  any exist is cached and forgotten whenever one is saved or deleted
  (`courses.signals`).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from wagtail.models import Page, PageViewRestriction

VIEW_RESTRICTIONS_CACHE_KEY = "lms:pages:view-restrictions-exist"


def _overrides_route(model: type | None) -> bool:
    return model is None or model.route is not Page.route


class PathRoutingMixin:
    """Route a URL below this page with two queries instead of two per level."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "".join(f"{slug}/" for slug in path_components[:depth])
            for depth in range(1, len(path_components) + 1)
        ]
        chain = list(
            Page.objects.filter(
                url_path__in=prefixes, path__startswith=self.path, depth__gt=self.depth
            ).order_by("depth")
        )
        # The walk stops at the first page whose type routes the rest itself;
        # otherwise at the deepest page the URL names (a missing slug below it
        # is a 404 there, as in the walk).
        parent = self
        for index, page in enumerate(chain):
            if page.depth != self.depth + index + 1:
                break  # not a contiguous chain (inconsistent url_path): walk instead
            remaining = path_components[index + 1 :]
            if _overrides_route(page.specific_class) or page is chain[-1]:
                page._cached_parent_obj = parent
                if page.specific_class is None:
                    raise Http404
                return page.specific.route(request, remaining)
            parent = page
        return super().route(request, path_components)


def view_restrictions_exist() -> bool:
    # Forgotten on every change (below); the timeout only bounds how long a process
    # with its own memory cache (the embedded default) could miss another's change.
    return cache.get_or_set(
        VIEW_RESTRICTIONS_CACHE_KEY, PageViewRestriction.objects.exists, timeout=300
    )


def forget_view_restrictions(**kwargs) -> None:
    # Now, and again once the change is committed: a request that recomputed
    # the flag in between would otherwise have cached what it could not yet see.
    cache.delete(VIEW_RESTRICTIONS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(VIEW_RESTRICTIONS_CACHE_KEY))


class CachedViewRestrictionsMixin:
    """No restriction queries while the site has no view restriction at all."""

    def get_view_restrictions(self):
        if not view_restrictions_exist():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
