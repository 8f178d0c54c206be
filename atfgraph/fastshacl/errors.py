"""What can go wrong besides data not conforming: a shapes graph that is not SHACL, or not supported here."""

from __future__ import annotations

from atfgraph.fastshacl.terms import Term


class ShapesError(ValueError):
    """The shapes graph is not well-formed SHACL, or a query in it breaks SHACL's rules (a "failure")."""


class UnsupportedFeature(ShapesError):
    """The shapes graph uses a SHACL feature this validator does not implement; ``feature`` names it."""

    def __init__(self, feature: str, where: Term | None = None) -> None:
        self.feature = feature
        place = f" (on {where.n3()})" if where is not None else ""
        super().__init__(f"unsupported SHACL feature: {feature}{place}")


class ValidationFailure(RuntimeError):
    """Validation could not be completed (a SPARQL constraint reported ``?failure true``)."""
