"""The client's address: X-Forwarded-For is believed only from the proxies of TRUSTED_PROXIES."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from config.client_ip import client_ip, client_network
from config.environment import env_networks


def _request(remote_addr: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, headers=headers)


def test_client_ip_when_no_proxy_trusted_ignores_forwarded_header(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.66", "198.51.100.7")) == "203.0.113.66"


def test_client_ip_when_peer_is_trusted_proxy_is_the_forwarded_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("10.1.2.3", "198.51.100.7")) == "198.51.100.7"


def test_client_ip_when_client_sends_its_own_header_is_the_address_the_proxy_saw(settings):
    """A client's own X-Forwarded-For is kept by the proxy, which appends the address it saw: that one counts."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("10.1.2.3", "198.51.100.7, 192.0.2.1, 203.0.113.66")) == "203.0.113.66"


def test_client_ip_when_peer_is_not_trusted_ignores_forwarded_header(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("203.0.113.66", "198.51.100.7")) == "203.0.113.66"


def test_client_ip_when_two_trusted_proxies_in_a_row_skips_both(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "172.16.0.5"]
    assert client_ip(_request("10.1.2.3", "198.51.100.7, 203.0.113.66, 172.16.0.5")) == "203.0.113.66"


def test_client_ip_when_forwarded_entries_are_malformed_stops_at_them(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("10.1.2.3", "203.0.113.66, not-an-address, 10.4.4.4")) == "10.4.4.4"
    assert client_ip(_request("10.1.2.3", "")) == "10.1.2.3"
    assert client_ip(_request("10.1.2.3")) == "10.1.2.3"


def test_client_ip_when_written_with_ports_brackets_or_mapped_is_the_plain_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8:ffff::/48"]
    assert client_ip(_request("10.1.2.3", "198.51.100.7:5123")) == "198.51.100.7"
    assert client_ip(_request("2001:db8:ffff::1", "[2001:db8:1::7]:443")) == "2001:db8:1::7"
    assert client_ip(_request("::ffff:10.1.2.3", "::ffff:198.51.100.7")) == "198.51.100.7"


def test_client_network_when_ipv6_is_the_subscriber_block():
    assert client_network("2001:db8:1:2:aaaa::7") == "2001:db8:1:2::"
    assert client_network("198.51.100.7") == "198.51.100.7"


def test_env_networks_when_given_reads_and_refuses_garbage():
    assert env_networks({"TRUSTED_PROXIES": "10.0.0.1, 172.16.0.0/12,2001:db8::/32"}, "TRUSTED_PROXIES") == [
        "10.0.0.1/32",
        "172.16.0.0/12",
        "2001:db8::/32",
    ]
    assert env_networks({}, "TRUSTED_PROXIES") == []
    with pytest.raises(ImproperlyConfigured) as refused:
        env_networks({"TRUSTED_PROXIES": "proxy.local"}, "TRUSTED_PROXIES")
    assert str(refused.value) == (
        "TRUSTED_PROXIES: 'proxy.local' is not an IP address or network "
        "('proxy.local' does not appear to be an IPv4 or IPv6 network)."
    )
