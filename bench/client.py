"""A small HTTP/1.1 client on asyncio for many simulated browsers on 127.0.0.1.

One connection per request (Connection: close), a cookie jar per browser, and the CSRF token read
from each page the way the real pages carry it. It is deliberately lean: the load generator shares
the machine's two cores with the server it measures, so every microsecond it spends is one the
server does not get. It refuses any host but the loopback.
"""
from __future__ import annotations

import asyncio
import ipaddress
import json
import re
import time
from dataclasses import dataclass, field

TOKEN = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


class RequestFailed(Exception):
    """The request got no HTTP answer (refused, reset, timed out); it may be retried."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def json(self):
        return json.loads(self.body)

    def token(self) -> str:
        found = TOKEN.search(self.body)
        if not found:
            raise ValueError(f"no CSRF token in the page (HTTP {self.status})")
        return found.group(1).decode()


@dataclass
class Browser:
    """One simulated browser: its cookies, talking to one server on the loopback."""

    host: str
    port: int
    timeout: float = 60.0
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if not ipaddress.ip_address(self.host).is_loopback:
            raise ValueError("the load harness only talks to 127.0.0.0/8")

    async def request(self, method: str, path: str, *, form: dict | None = None,
                      body: dict | None = None, headers: dict | None = None) -> Response:
        """Send one request and read the whole answer; RequestFailed if none came."""
        payload = b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 "Connection: close", "User-Agent: quiz-bench"]
        if form is not None:
            from urllib.parse import urlencode
            payload = urlencode(form).encode()
            lines.append("Content-Type: application/x-www-form-urlencoded")
        elif body is not None:
            payload = json.dumps(body).encode()
            lines.append("Content-Type: application/json")
        if payload or method == "POST":
            lines.append(f"Content-Length: {len(payload)}")
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + payload
        started = time.perf_counter()
        try:
            data = await asyncio.wait_for(self._exchange(raw), self.timeout)
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as error:
            raise RequestFailed(f"{method} {path}: {type(error).__name__}: {error}") from None
        seconds = time.perf_counter() - started
        head, _, rest = data.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1."):
            raise RequestFailed(f"{method} {path}: no HTTP answer")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        found = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie, _, attributes = value.partition(";")
                key, _, content = cookie.partition("=")
                if "expires=thu, 01 jan 1970" in attributes.lower() or not content:
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = content.strip()
            found[name] = value
        if "chunked" in found.get("transfer-encoding", ""):
            rest = _unchunk(rest)
        elif "content-length" in found and len(rest) < int(found["content-length"]):
            # The server died part way through its answer: the browser saw no answer.
            raise RequestFailed(f"{method} {path}: answer cut short")
        return Response(status, found, rest, seconds)

    async def _exchange(self, raw: bytes) -> bytes:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(raw)
            await writer.drain()
            return await reader.read()
        finally:
            writer.close()

    async def get(self, path: str, **kwargs) -> Response:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs) -> Response:
        return await self.request("POST", path, **kwargs)


def _unchunk(data: bytes) -> bytes:
    out, rest = [], data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out.append(rest[:size])
        rest = rest[size + 2:]
    return b"".join(out)


def path_of(location: str) -> str:
    """Return the path of a redirect's Location (absolute or not)."""
    if location.startswith("http"):
        location = "/" + location.split("/", 3)[3] if location.count("/") >= 3 else "/"
    return location
