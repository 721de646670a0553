"""Who may read the console: anyone on loopback, else a bearer token or basic-auth password."""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
from dataclasses import dataclass


@dataclass(frozen=True)
class Credentials:
    """What a request must present; with neither set, every request is let in."""

    token: str | None = None
    user: str = "analyst"
    password: str | None = None

    @property
    def required(self) -> bool:
        return bool(self.token or self.password)

    def challenge(self) -> str:
        """The ``WWW-Authenticate`` of a refusal: basic when a browser can answer it."""
        if self.password:
            return 'Basic realm="streams console", charset="UTF-8"'
        return 'Bearer realm="streams console"'


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the console on this machine."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything


def authorised(header: str | None, credentials: Credentials) -> bool:
    """Whether an ``Authorization`` header satisfies ``credentials`` (compared in constant time)."""
    if not credentials.required:
        return True
    scheme, _, value = (header or "").strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer" and credentials.token:
        return hmac.compare_digest(value.encode(), credentials.token.encode())
    if scheme.lower() == "basic" and credentials.password:
        try:
            user, sep, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        given = f"{user}\x00{password}".encode()
        wanted = f"{credentials.user}\x00{credentials.password}".encode()
        return bool(sep) and hmac.compare_digest(given, wanted)
    return False
