"""A fixed-window request counter per client IP, kept in the Django cache.

Production's cache is Redis (shared by every gunicorn worker); the embedded
default is local memory, so there the limit is per process.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied


def client_ip(request) -> str:
    """The client's address, honouring allauth's trusted-proxy settings."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def verify_limit() -> tuple[int, int]:
    """(requests, seconds) from CERTIFICATES_VERIFY_RATE_LIMIT, default 30 a minute."""
    return tuple(getattr(settings, "CERTIFICATES_VERIFY_RATE_LIMIT", (30, 60)))


def hit(request, scope: str, *, limit: int, period: int) -> bool:
    """Count this request; True when it is over the limit."""
    if limit <= 0:
        return False
    window = int(time.time() // period)
    key = f"rl:{scope}:{client_ip(request)}:{window}"
    if cache.add(key, 1, timeout=period + 1):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period + 1)
        return False
    return count > limit
