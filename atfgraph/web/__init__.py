"""``atfgraph serve``: a read-only SPARQL 1.1 endpoint and an analyst's web UI over one graph.

::

    from atfgraph.web import Limits, Settings, create_app, load_source
    app = create_app(load_source(data=Path("data")), Settings(limits=Limits(timeout=5)))
    # then serve ``app`` with uvicorn (``atfgraph serve`` does)

Modules, from the ground up: ``settings`` (limits), ``negotiation`` and ``errors`` (the one error shape),
``safety`` (the query check), ``formats`` (answer formats), ``source`` (the graph), ``describe``, ``network``,
``tasks`` and ``service`` (the work done in worker processes), ``sandbox`` and ``pool`` (the processes),
``paths`` and ``views`` (links and what pages show), ``middleware``, ``protocol``, ``pages``, ``saved``
(routes), and ``app`` (the factory). See ``docs/serve.md``.
"""

from atfgraph.web.app import create_app
from atfgraph.web.errors import HttpError, WebError
from atfgraph.web.formats import TRUNCATED_HEADER, Format
from atfgraph.web.paths import Links, mount_path
from atfgraph.web.settings import Limits, Settings
from atfgraph.web.source import GraphSource, load_source

__all__ = ["TRUNCATED_HEADER", "Format", "GraphSource", "HttpError", "Limits", "Links", "Settings", "WebError",
           "create_app", "load_source", "mount_path"]
