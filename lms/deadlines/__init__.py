"""Django side of the legal engine: stored closures, calendar admin, the calculator."""
