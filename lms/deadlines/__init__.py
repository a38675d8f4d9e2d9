"""Django side of the legal engine: stored closures, the calendar admin, the calculator."""
