"""Coordinator dashboard: completion by office, reminders and digests, exports."""
