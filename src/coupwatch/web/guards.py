"""What the server checks before a request reaches a route: the Host header and the size of a request body;
and how input is shown back in an error (short, and always valid JSON).

Both checks are plain ASGI middleware so that a refused request is answered before its body is read.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Sequence

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALLOWED_HOSTS_ENV = "COUPWATCH_ALLOWED_HOSTS"
# The names a browser on this machine uses, and the name of Starlette's and schemathesis' test clients.
DEFAULT_ALLOWED_HOSTS = ("localhost", "127.0.0.1", "::1", "testserver")
# A scenario request with the most scenarios and changes the API allows is under 8 KiB.
MAX_BODY_BYTES = 64 * 1024
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
ECHO_CHARACTERS = 80


def shorten(text: str, limit: int = ECHO_CHARACTERS) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was: an error never echoes a whole input."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


def echo(value: object) -> str | int | float | bool | None:
    """A received value as it may appear in a JSON error: numbers and booleans as they are (NaN and the
    infinities as their JSON-ish names, which strict JSON cannot carry), anything else as short text."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    return shorten(value if isinstance(value, str) else repr(value))


def json_error(status: int, detail: str, headers: Sequence[tuple[bytes, bytes]] = ()) -> tuple[Message, Message]:
    """The two ASGI messages of a JSON error reply ``{"detail": ...}``."""
    body = json.dumps({"detail": detail}).encode()
    start: Message = {"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers]}
    return start, {"type": "http.response.body", "body": body}


# ---- Host header ---------------------------------------------------------------------------------------------

def allowed_hosts(extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The defaults, the hosts in COUPWATCH_ALLOWED_HOSTS (comma-separated) and ``extra``, lower-cased."""
    configured = os.environ.get(ALLOWED_HOSTS_ENV, "").split(",")
    hosts = [*DEFAULT_ALLOWED_HOSTS, *configured, *extra]
    return tuple(dict.fromkeys(h.strip().lower().strip("[]") for h in hosts if h.strip()))


def serve_hosts(bind: str, extra: Sequence[str]) -> None:
    """Add the address the server binds to (unless it is every address) and ``extra`` to COUPWATCH_ALLOWED_HOSTS,
    where the app of every server worker reads them."""
    wildcard = bind in ("0.0.0.0", "::", "")
    hosts = [os.environ.get(ALLOWED_HOSTS_ENV, ""), *([] if wildcard else [bind]), *extra]
    os.environ[ALLOWED_HOSTS_ENV] = ",".join(h for h in hosts if h)


def host_name(header: str) -> str:
    """The host of a Host header without its port: ``[::1]:8000`` gives ``::1``, ``Example.org.:80``
    gives ``example.org``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0].rstrip(".") if header.count(":") == 1 else header.rstrip(".")


def host_allowed(name: str, allowed: Sequence[str]) -> bool:
    """``*`` allows any host, ``*.example.org`` its subdomains and itself, anything else that exact host."""
    for pattern in allowed:
        if pattern == "*" or name == pattern:
            return True
        if pattern.startswith("*.") and (name == pattern[2:] or name.endswith(pattern[1:])):
            return True
    return False


class TrustedHosts:
    """Answers 400 to a request whose Host header names a host the server was not told it serves.

    A web page on another site can make a browser send requests here under that site's name (DNS rebinding);
    checking the name keeps such pages from reading the API.
    """

    def __init__(self, app: ASGIApp, hosts: Sequence[str]) -> None:
        self.app = app
        self.hosts = tuple(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        header = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
        if host_allowed(host_name(header), self.hosts):
            await self.app(scope, receive, send)
            return
        detail = (f"the Host header {shorten(header)!r} is not a name this server answers to (allowed: "
                  f"{', '.join(self.hosts)}). Fix: use one of those names, or start the server with "
                  f"`coupwatch serve --allowed-host NAME` (or set {ALLOWED_HOSTS_ENV}=NAME,...)")
        for message in json_error(400, detail):
            await send(message)


# ---- request body size ---------------------------------------------------------------------------------------

class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a body without a declared length passes the limit. An HTTPException, so
    that the app's error handler answers it (FastAPI turns other errors while reading a body into a 400)."""

    def __init__(self, detail: str) -> None:
        super().__init__(413, detail, headers={"connection": "close"})


class BodyLimit:
    """Answers 413 to a request body over ``limit`` bytes: at once when Content-Length says so, and otherwise as
    soon as the bytes received pass the limit, so an oversized body is never held in memory whole."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    def _detail(self, size: str) -> str:
        return (f"the request body is {size}; this server takes at most {self.limit:,} bytes. Fix: send fewer "
                "scenarios or changes per request (see /docs)")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send, self._detail(f"{int(declared):,} bytes"))
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self._detail(f"over {self.limit:,} bytes"))
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge as exc:  # raised where no error handler runs
            if started:
                raise
            await self._refuse(send, exc.detail)

    async def _refuse(self, send: Send, detail: str) -> None:
        # The client may still be sending: closing after the reply keeps it from reusing a half-read connection.
        start, body = json_error(413, detail, [(b"connection", b"close")])
        await send(start)
        await send(body)

