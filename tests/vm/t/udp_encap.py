#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The UDP side of ESP in UDP for natt.sh, standing in for a key daemon.

    udp_encap.py hold PORT LOG READY
        UDP sockets on PORT (IPv4 and IPv6) with UDP_ENCAP = ESPINUDP, as an
        IKE daemon's port-4500 socket (with per-socket bypass policies, see
        bypass()): ESP in UDP goes to the kernel's ESP handlers, the rest
        (IKE with the non-ESP marker) to this socket;
        each datagram it receives is logged to LOG as hex. Creates READY once
        set up; runs until killed.
    udp_encap.py send DST PORT HEX
        one datagram with payload HEX to DST:PORT (from an ephemeral port)

Only addresses inside the test's own namespaces are used.
"""
import select
import socket
import struct
import sys

UDP_ENCAP = 100
UDP_ENCAP_ESPINUDP = 2
IP_XFRM_POLICY = 17
IPV6_XFRM_POLICY = 35
XFRM_INF = (1 << 64) - 1


def bypass(s, fam):
    """Per-socket "allow" policies in and out, as IKE daemons set on their
    sockets: native xfrm checks inbound policy on a UDP socket's datagrams
    before the UDP_ENCAP hand-off, so without it a transport-mode policy
    between the two hosts drops the ESP in UDP (and IKE) it covers. kipsec
    needs none for ESP in UDP of its own SAs."""
    for direction in (0, 1):  # XFRM_POLICY_IN, XFRM_POLICY_OUT
        sel = struct.pack("=16s16sHHHHHBBB3xiI", b"", b"", 0, 0, 0, 0, fam, 0, 0, 0, 0, 0)
        lft = struct.pack("=8Q", XFRM_INF, XFRM_INF, XFRM_INF, XFRM_INF, 0, 0, 0, 0)
        cur = struct.pack("=4Q", 0, 0, 0, 0)
        tail = struct.pack("=IIBBBB", 0, 0, direction, 0, 0, 0)
        info = sel + lft + cur + tail
        info += b"\0" * (-len(info) % 8)
        if fam == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, IP_XFRM_POLICY, info)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, IPV6_XFRM_POLICY, info)


def hold(port, log, ready):
    socks = []
    for fam, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((addr, int(port)))
        s.setsockopt(socket.IPPROTO_UDP, UDP_ENCAP, UDP_ENCAP_ESPINUDP)
        bypass(s, fam)
        socks.append(s)
    open(ready, "w").close()
    with open(log, "a") as f:
        while True:
            for s in select.select(socks, [], [])[0]:
                data, peer = s.recvfrom(65535)
                f.write("%s %s\n" % (peer[0], data.hex()))
                f.flush()


def send(dst, port, hexdata):
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.sendto(bytes.fromhex(hexdata), (dst, int(port)))


if __name__ == "__main__":
    cmds = {"hold": hold, "send": send}
    if sys.argv[1:2] == [] or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])
