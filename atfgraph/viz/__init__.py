"""Drawing network views: one offline HTML page per view, or PNG/SVG images for reports.

::

    from atfgraph.viz import scene, write
    write(scene(entities, ViewRequest(View.COOPERATION)), Path("cooperation.html"))
"""

from atfgraph.viz.html import render_html
from atfgraph.viz.render import OutputKind, render, write
from atfgraph.viz.scene import Scene, scene
from atfgraph.viz.static import ImageFormat, network_image, timeline_image

__all__ = ["ImageFormat", "OutputKind", "Scene", "network_image", "render", "render_html", "scene", "timeline_image",
           "write"]
