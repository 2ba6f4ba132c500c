"""ip-address-in-text: IPv4 and IPv6 addresses in text cells (RULES.md section 1).

An IP address is personal data (CJEU C-582/14, Breyer); every literal that
Python's ipaddress module parses counts, version numbers such as 1.2.3 do not.
"""

from __future__ import annotations

from publisher.rules._identifiers import IdentifierParams, IdentifierRule
from publisher.rules.base import rules


@rules.register
class IpAddressInText(IdentifierRule[IdentifierParams]):
    type = "ip-address-in-text"
    example = """\
- id: ip-address-in-text
  type: ip-address-in-text
  severity: block
  params:
    columns: [log_message]
"""
    kinds = ("ip-address",)
    what = "an IP address"
