"""Tests for lms.offices."""
