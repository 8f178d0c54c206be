"""Writing a view to a file whose suffix says what it is: ``.html`` (interactive), ``.png`` or ``.svg`` (static)."""

from __future__ import annotations

import enum
from pathlib import Path

from atfgraph.errors import UsageError
from atfgraph.export import StagedFiles
from atfgraph.network.timeline import LaneBy
from atfgraph.viz.html import render_html
from atfgraph.viz.scene import Scene
from atfgraph.viz.static import ImageFormat, render_image


class OutputKind(enum.Enum):
    """What ``viz`` can write, by file suffix."""

    HTML = "html"
    PNG = "png"
    SVG = "svg"

    @classmethod
    def of(cls, path: Path) -> OutputKind:
        """The output kind a path's suffix asks for; :class:`UsageError` for any other suffix."""
        suffix = path.suffix.lower().lstrip(".")
        if suffix == "htm":
            return cls.HTML
        try:
            return cls(suffix)
        except ValueError:
            raise UsageError(f"cannot tell what to write from '{path.name}': end the name in .html, .png or .svg") \
                from None


def render(scene: Scene, kind: OutputKind, lane_by: LaneBy = LaneBy.TOPIC) -> bytes:
    """The bytes of a view as a page or an image."""
    if kind is OutputKind.HTML:
        return render_html(scene, lane_by).encode("utf-8")
    return render_image(scene, ImageFormat(kind.value), lane_by)


def write(scene: Scene, path: Path, lane_by: LaneBy = LaneBy.TOPIC) -> Path:
    """Render a view to ``path`` (its suffix picks the format), replacing the file only once it is complete."""
    content = render(scene, OutputKind.of(path), lane_by)
    with StagedFiles() as staged:
        staged.add(path, content)
        staged.commit()
    return path


__all__ = ["OutputKind", "render", "write"]
