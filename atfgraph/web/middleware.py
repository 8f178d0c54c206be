"""Checks and headers on every exchange: the request size limit, and the headers that keep pages offline.

The request size limit applies to the body (413, checked against ``Content-Length`` and again while the
body is read, since a chunked body has no length) and to the query string (414). Every response gets a
Content-Security-Policy that allows nothing but this server (no CDN, no inline script, no other origin),
``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer``.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atfgraph.web.errors import WebError, json_error

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
"""Pages load scripts and styles only from this server; data for scripts travels in JSON data blocks."""

SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


class RequestTooLarge(WebError):
    """The request body is over the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, "Request too large", f"the request body is over the limit of {limit} bytes")


class SecurityHeaders:
    """Adds the security headers to every response, error pages from the outermost handler included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


class SizeLimit:
    """Refuses a request whose body or query string is over ``limit`` bytes."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.limit:
            error = WebError(414, "URI too long", f"the query string is over the limit of {self.limit} bytes; "
                                                  "send a long query by POST")
            await json_error(error.error)(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name.lower() == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    await json_error(WebError(400, "Bad request", "the Content-Length header is not a number")
                                     .error)(scope, receive, send)
                    return
                if length > self.limit:
                    await json_error(RequestTooLarge(self.limit).error)(scope, receive, send)
                    return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise RequestTooLarge(self.limit)  # answered by the app's handler for WebError
            return message

        await self.app(scope, counted, send)


__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "RequestTooLarge", "SecurityHeaders", "SizeLimit"]
