"""`load`: PyYAML's safe loader, minus anchors and aliases.

The safe loader builds no objects, but an alias is a reference: nine lists of
nine references to the list before ("billion laughs" in YAML) load in
microseconds and explode into billions of items the moment anything walks or
prints them. Nothing uploaded to the platform needs anchors, so they are refused.
Standard library and PyYAML only (used by the pure content-format reader).
"""

from __future__ import annotations

import yaml


class AliasesRefused(yaml.YAMLError):
    pass


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise AliasesRefused(f"YAML aliases (*name) are not allowed ({mark})")
        return super().compose_node(parent, index)


def load(stream):
    """Like `yaml.safe_load`; raises `AliasesRefused` (a YAMLError) on an alias."""
    return yaml.load(stream, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader
