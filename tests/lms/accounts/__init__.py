"""Tests for lms.accounts."""
