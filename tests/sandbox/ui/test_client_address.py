"""Whose address the join rate limit counts: a trusted proxy's forwarded one, never a forged one."""
from __future__ import annotations

import pytest

from sandbox.ui.identity import client_address

PROXY = "10.0.0.5"


@pytest.mark.parametrize(
    "peer, headers, trusted, expected",
    [
        # No proxy: the connection's own address, whatever the browser writes in headers.
        ("203.0.113.7", {}, [], "203.0.113.7"),
        ("203.0.113.7", {"X-Forwarded-For": "198.51.100.1"}, [], "203.0.113.7"),
        ("203.0.113.7", {"X-Real-IP": "198.51.100.1"}, [PROXY], "203.0.113.7"),
        # A trusted proxy: the address it passed on, so a room behind it is not one person.
        (PROXY, {"X-Forwarded-For": "198.51.100.1"}, [PROXY], "198.51.100.1"),
        (PROXY, {"X-Real-IP": "198.51.100.2"}, ["10.0.0.0/24"], "198.51.100.2"),
        # The rightmost address not itself a trusted proxy: what a client put first is forgeable.
        (PROXY, {"X-Forwarded-For": "1.2.3.4, 198.51.100.1, 10.0.0.9"}, ["10.0.0.0/24"], "198.51.100.1"),
        # A proxy that is not listed is not believed: everyone behind it shares its address.
        (PROXY, {"X-Forwarded-For": "198.51.100.1"}, ["10.0.0.6"], PROXY),
        # Garbage in the header is never an address.
        (PROXY, {"X-Forwarded-For": "not-an-address"}, [PROXY], PROXY),
        ("2001:db8::1", {"X-Forwarded-For": "2001:db8:1::2"}, ["2001:db8::/64"], "2001:db8:1::2"),
        # A proxy on this machine (Streamlit reports no peer for it) when listed.
        (None, {"X-Real-IP": "198.51.100.3"}, ["127.0.0.1"], "198.51.100.3"),
        (None, {"X-Real-IP": "198.51.100.3"}, [], None),
        (None, {}, ["127.0.0.1", "not a network"], None),
    ],
)
def test_client_address_believes_only_trusted_proxies(peer, headers, trusted, expected):
    assert client_address(peer, headers, trusted) == expected
