"""The address of the person behind a request, also when a proxy in front of Baige ends TLS.

Behind a proxy every request comes from the proxy's address (``REMOTE_ADDR``); the person's own is in
``X-Forwarded-For``, which anyone can also send. So the header is read only when the request comes
from one of ``TRUSTED_PROXIES``, and from its right, where each trusted proxy appended the address it
saw: the first address from the right that is not a trusted proxy is the person (what a client wrote
further left is never believed).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(network, strict=False) for network in trusted)


def parse_address(text: str | None) -> IPAddress | None:
    """An address as proxies write it (``203.0.113.7``, ``[2001:db8::1]:443``, ``203.0.113.7:5123``), or None."""
    text = (text or "").strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 client of a dual-stack proxy may be written as ::ffff:203.0.113.7.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind a trusted proxy the right-most untrusted forwarded one."""
    peer = parse_address(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    client = peer
    if not any(client in network for network in networks):
        return str(client)
    for item in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = parse_address(item)
        if address is None:
            # Past a malformed entry nothing further left was written by a proxy of ours.
            break
        client = address
        if not any(client in network for network in networks):
            break
    return str(client)


def client_network(address: str) -> str:
    """The unit that limits count by: the address itself for IPv4, its /64 for IPv6 (one subscriber's block)."""
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)
