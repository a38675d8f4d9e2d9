"""Akademi PPID: the project package and the platform core."""

from .celery import app as celery_app

__all__ = ["celery_app"]
