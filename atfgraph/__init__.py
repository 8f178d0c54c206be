"""atfgraph: records about counter-terrorism cooperation → a checked RDF knowledge graph.

The library API: :func:`build` and :func:`validate` take a data folder; :func:`load` reads one into a store
without checking; :class:`Report` holds located problems. Errors derive from :class:`AtfgraphError`.
"""

from atfgraph._version import __version__
from atfgraph.checks import Report
from atfgraph.errors import AtfgraphError, DataError, Location, OutputError, Problem, QueryError, Severity, UsageError
from atfgraph.export import Format
from atfgraph.loader import Build, load
from atfgraph.pipeline import BuildResult, build, validate

__all__ = [
    "AtfgraphError",
    "Build",
    "BuildResult",
    "DataError",
    "Format",
    "Location",
    "OutputError",
    "Problem",
    "QueryError",
    "Report",
    "Severity",
    "UsageError",
    "__version__",
    "build",
    "load",
    "validate",
]
