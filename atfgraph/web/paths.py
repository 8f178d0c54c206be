"""Where things are on the server: entity IRIs ↔ page paths, and links for any IRI.

Entities live at ``{base}{kind}/{id}``. The server answers for them at the path part of the base IRI, so
that the graph's IRIs dereference when the server is reached under the base: ``https://example.org/kg/``
maps to ``/kg/``. A ``w3id.org`` base is a permanent identifier whose first path segment names the project
and is dropped by w3id's redirect to the project's server, so ``https://w3id.org/atfgraph/id/`` (the
default) maps to ``/id/``. Any other IRI has a page at ``/resource?iri=…``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

W3ID_HOSTS = frozenset({"w3id.org", "www.w3id.org"})

_PATH_SAFE = "/:@!$&'()*+,;=-._~"
"""Characters left as they are in a page path (the rest are percent-encoded)."""


def mount_path(base: str) -> str:
    """The server path that the IRIs under ``base`` are served at (``/id/`` for the default base)."""
    parts = urlsplit(base)
    path = parts.path or "/"
    if (parts.hostname or "").lower() in W3ID_HOSTS:
        segments = path.lstrip("/").split("/")
        path = "/" + "/".join(segments[1:])
    if not path.startswith("/"):
        path = "/" + path
    return path


@dataclass(frozen=True)
class Links:
    """Links between IRIs and the server's pages."""

    base: str

    @property
    def mount(self) -> str:
        """The path prefix of entity pages."""
        return mount_path(self.base)

    def route(self) -> str:
        """The Starlette route of entity pages (``/id/{rest:path}``)."""
        return f"{self.mount}{{rest:path}}"

    def iri(self, rest: str) -> str:
        """The IRI of an entity page, from the (decoded) path after the mount."""
        return self.base + rest

    def page(self, iri: str) -> str:
        """The server path of an IRI's page: its own path under the base, else ``/resource?iri=…``.

        A hash IRI of an entity (``…/attf#date``) links to its place on the entity's page.
        """
        if iri.startswith(self.base) and len(iri) > len(self.base) and "://" in self.base:
            rest, hash_sign, fragment = iri[len(self.base):].partition("#")
            if rest:
                return self.mount + quote(rest, safe=_PATH_SAFE) + (hash_sign + quote(fragment, safe=_PATH_SAFE))
        owner, hash_sign, fragment = iri.partition("#")
        anchor = hash_sign + quote(fragment, safe=_PATH_SAFE) if hash_sign else ""
        return "/resource?" + urlencode({"iri": owner}) + anchor

    @staticmethod
    def outside(iri: str) -> str | None:
        """The address to link to for a web address (``http``/``https`` only, never ``javascript:``)."""
        scheme = urlsplit(iri).scheme.lower()
        return iri if scheme in ("http", "https") else None


__all__ = ["W3ID_HOSTS", "Links", "mount_path"]
