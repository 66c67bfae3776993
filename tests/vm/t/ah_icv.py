# SPDX-License-Identifier: GPL-2.0
"""What an AH ICV covers of the fixed IP header (RFC 4302 3.3.3.1), shared
by the host's decoder (tests/esp-decode.py, which checks ICVs on the wire)
and esp_fuzz.py (which forges them)."""


def zero_mutable(iphdr):
    """The fixed IPv4 (20-byte) or IPv6 (40-byte) header @iphdr, without
    options, with the fields AH does not cover zeroed: IPv4 TOS, flags and
    fragment offset, TTL, checksum; IPv6 traffic class, flow label, hop
    limit."""
    h = bytearray(iphdr)
    if h[0] >> 4 == 4:
        h[1] = 0
        h[6:8] = b"\x00\x00"
        h[8] = 0
        h[10:12] = b"\x00\x00"
    else:
        h[0] &= 0xF0
        h[1:4] = b"\x00\x00\x00"
        h[7] = 0
    return bytes(h)
