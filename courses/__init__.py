"""Courses: Wagtail pages (catalogue → course → module → lesson) and learning."""
