"""Colours for event types on timelines, shared by the HTML page and the static images."""

from __future__ import annotations

from collections.abc import Iterable

# Tableau 10 reordered so the commonest types (meetings, workshops) get the clearest colours; grey is last.
_PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7",
            "#bab0ac")
_FIXED = {"Meeting": "#4e79a7", "Workshop": "#f28e2b", "Training": "#59a14f", "Attack": "#e15759",
          "Investigation": "#b07aa1", "Working meeting": "#76b7b2", "Joint investigation": "#9c755f",
          "Conference": "#edc948", "Operation": "#ff9da7", "Event": "#bab0ac"}


def type_colours(type_labels: Iterable[str]) -> dict[str, str]:
    """A colour per event type label: the shipped types always get the same one, others the palette in turn."""
    labels = sorted(set(type_labels))
    colours: dict[str, str] = {}
    spare = [colour for colour in _PALETTE if colour not in _FIXED.values()] or list(_PALETTE)
    for index, label in enumerate(label for label in labels if label not in _FIXED):
        colours[label] = spare[index % len(spare)]
    for label in labels:
        if label in _FIXED:
            colours[label] = _FIXED[label]
    return dict(sorted(colours.items()))


__all__ = ["type_colours"]
