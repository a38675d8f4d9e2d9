"""The seed scenarios shipped as data in `library/*.json`, one scenario per file."""

from __future__ import annotations

import json
from pathlib import Path

from quizzes.scenarios.model import Scenario, ScenarioFormatError, Text

LIBRARY = Path(__file__).parent / "library"


def library_path() -> Path:
    return LIBRARY


def load_library(directory: Path = LIBRARY) -> tuple[Scenario, ...]:
    """Every scenario in `directory`, by file name; the file's stem must be the slug."""
    scenarios = []
    for path in sorted(directory.glob("*.json")):
        scenario = Scenario.from_dict(json.loads(path.read_text(encoding="utf-8")))
        if scenario.slug != path.stem:
            raise ScenarioFormatError(
                Text(
                    f"berkas {path.name} berisi slug {scenario.slug!r}",
                    f"file {path.name} holds slug {scenario.slug!r}",
                ),
                field="slug",
            )
        scenarios.append(scenario)
    return tuple(scenarios)
