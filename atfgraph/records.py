"""Records as read from files: raw field values with the lines they came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from atfgraph.errors import Location


@dataclass(frozen=True)
class Record:
    """One record as written by an analyst, before any checking.

    ``fields`` holds the raw values (strings, numbers, lists, mappings) under their field names, ``kind`` and
    ``id`` excluded; ``lines`` gives the line of each field (and of each list item as ``name[i]``) so that
    problems found later can point at the exact place.
    """

    kind: str
    id: str
    fields: Mapping[str, Any]
    location: Location
    lines: Mapping[str, int] = field(default_factory=dict)

    def at(self, name: str) -> Location:
        """The location of a field of this record (the record's own location when the field has no line)."""
        line = self.lines.get(name) or self.lines.get(name.split("[")[0].split(".")[0])
        if line:
            return Location(self.location.file, line)
        return self.location


@dataclass(frozen=True)
class InputFile:
    """An input file: its path relative to the data folder and the sha256 of its bytes."""

    path: str
    sha256: str
