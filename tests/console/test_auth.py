"""Who may read the console."""

from __future__ import annotations

import base64

import pytest

from streams.console.auth import Credentials, authorised, is_loopback


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.8.0.1", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.4", False), ("console.example.org", False),
])
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) == loopback


def test_without_credentials_everyone_is_let_in() -> None:
    assert authorised(None, Credentials())


def test_token_and_basic() -> None:
    both = Credentials(token="t0k", user="ana", password="pw")
    assert authorised("Bearer t0k", both)
    assert authorised(_basic("ana", "pw"), both)
    for header in (None, "", "Bearer", "Bearer t0", "bearer t0kx", _basic("ana", "px"),
                   _basic("bob", "pw"), "Basic !!!", "Basic " + base64.b64encode(b"anapw").decode()):
        assert not authorised(header, both), header
    assert not authorised(_basic("ana", "pw"), Credentials(token="t0k"))  # basic not configured
