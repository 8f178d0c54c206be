"""HTTP content negotiation: which of the media types a server offers a client's ``Accept`` header prefers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header: ``type/subtype`` (either may be ``*``) and its quality."""

    type: str
    subtype: str
    quality: float

    def specificity(self, media_type: str) -> int:
        """How closely this range matches a media type: 3 exactly, 2 by ``type/*``, 1 by ``*/*``, 0 not at all."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return 1
        if self.type != main:
            return 0
        if self.subtype == "*":
            return 2
        return 3 if self.subtype == sub else 0


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed entries are skipped, a bad quality counts as 1."""
    ranges: list[MediaRange] = []
    for item in header.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        main, slash, sub = media.lower().partition("/")
        if not slash or not main or not sub:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = 1.0
        ranges.append(MediaRange(main, sub, quality))
    return ranges


def best_match(accept: str | None, offers: Sequence[str], default: str | None = None) -> str | None:
    """The offer a client prefers, ``None`` when it accepts none of them.

    Each offer takes the quality of the most specific range that matches it; among equal qualities the
    server's order of ``offers`` decides. With no ``Accept`` header (or an empty one), ``default`` (else
    the first offer) is chosen.
    """
    if not offers:
        return None
    if accept is None or not accept.strip():
        return default if default is not None else offers[0]
    ranges = parse_accept(accept)
    if not ranges:
        return default if default is not None else offers[0]
    best: tuple[float, int] | None = None
    chosen: str | None = None
    for index, offer in enumerate(offers):
        matches = [(media.specificity(offer), media.quality) for media in ranges]
        specificity, quality = max(matches, key=lambda match: match[0])
        if specificity == 0 or quality <= 0:
            continue
        rank = (quality, -index)
        if best is None or rank > best:
            best, chosen = rank, offer
    return chosen


__all__ = ["MediaRange", "best_match", "parse_accept"]
