"""WSGI wrappers for running behind the portal's reverse proxy, possibly under a path prefix.

Forwarded headers (X-Forwarded-For/Proto/Host/Prefix) are honoured only when the request
comes from one of the configured proxy addresses: anybody else could send them too.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import ip_address, ip_network
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
)

WsgiApp = Any


class TrustedProxies:
    """ProxyFix for requests from the given networks; forwarded headers dropped otherwise."""

    def __init__(self, app: WsgiApp, *, hops: int, proxies: Iterable[str]) -> None:
        self.app = app
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)
        self.networks = [ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy]

    def trusted(self, address: str | None) -> bool:
        try:
            remote = ip_address(address or "")
        except ValueError:
            return False
        return any(remote in network for network in self.networks)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        for header in FORWARDED_HEADERS:
            environ.pop(header, None)
        return self.app(environ, start_response)


class PathPrefix:
    """Serve the app under a fixed prefix (e.g. /dan-van) when the proxy passes the path
    through unchanged: the prefix moves from PATH_INFO to SCRIPT_NAME, so every URL the app
    builds carries it. Paths without the prefix are served as they are."""

    def __init__(self, app: WsgiApp, prefix: str) -> None:
        self.app = app
        self.prefix = "/" + prefix.strip("/")

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path == self.prefix or path.startswith(self.prefix + "/"):
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + self.prefix
            environ["PATH_INFO"] = path[len(self.prefix) :] or "/"
        return self.app(environ, start_response)
