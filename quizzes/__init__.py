"""Quizzes and scenario exercises."""
