"""Courses: Wagtail pages (catalogue → course → module → lesson), enrolment, progress."""
