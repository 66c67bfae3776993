#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Authenticated garbage for esp_fuzz.sh: ESP packets that carry a valid
AES-GCM ICV (RFC 4106, the SA's own key) around malformed contents, so that
what kipsec does after the ICV verified (trailer, padding, next header,
inner IPv4/IPv6 headers, options, extension headers, transport-mode
reassembly of the IP header) gets random input, not just the ICV check.

    esp_fuzz.py recv PORT SECONDS READY STOP
        count the control datagrams ("ctl=<spi>-<n>") arriving on PORT over IPv4
        and IPv6 until STOP exists (or SECONDS pass); print "controls <distinct>
        <total>" (created READY once listening)
    esp_fuzz.py send IFACE DSTMAC MODE SRC DST INSRC INDST SPI KEYHEX SEQ0 N SEED PORT CTL
        N packets with sequence numbers SEQ0.. from SRC to DST (outer, IPv4 or
        IPv6), as Ethernet frames on IFACE to DSTMAC; MODE tunnel (inner
        packets INSRC -> INDST) or transport. Every CTL-th packet is a valid
        UDP datagram "ctl=<spi>-<n>" to PORT (a control: it must arrive); the others
        are mutated. The generator is seeded with SEED: a failing run
        replays exactly. Prints "sent N controls C".
"""
import os
import random
import socket
import struct
import sys
import time

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from icmp_ping import csum


def ip4(src, dst, proto, payload, ttl=64, ident=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0, ttl, proto, 0,
                    socket.inet_pton(socket.AF_INET, src), socket.inet_pton(socket.AF_INET, dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def ip6(src, dst, nh, payload, hlim=64):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nh, hlim,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + payload


def pseudo(src, dst, proto, length):
    if ":" in src:
        return (socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, dst)
                + struct.pack("!IxxxB", length, proto))
    return (socket.inet_pton(socket.AF_INET, src) + socket.inet_pton(socket.AF_INET, dst)
            + struct.pack("!xBH", proto, length))


def udp(src, dst, sport, dport, data):
    h = struct.pack("!HHHH", sport, dport, 8 + len(data), 0)
    c = csum(pseudo(src, dst, 17, 8 + len(data)) + h + data) or 0xFFFF
    return h[:6] + struct.pack("!H", c) + data


def icmp_echo(data, v6=False, src=None, dst=None):
    t = 128 if v6 else 8
    h = struct.pack("!BBHHH", t, 0, 0, 0x4242, 1) + data
    c = csum((pseudo(src, dst, 58, len(h)) if v6 else b"") + h)
    return h[:2] + struct.pack("!H", c) + h[4:]


def tcp_syn(src, dst):
    h = struct.pack("!HHIIBBHHH", 40000, 5001, 1, 0, 5 << 4, 0x02, 65535, 0, 0)
    c = csum(pseudo(src, dst, 6, len(h)) + h)
    return h[:16] + struct.pack("!H", c) + h[18:]


def other_family(a):
    return "10.72.2.1" if ":" in a else "fd72:2::1"


class Gen:
    """One SA's packets: its mode, addresses and the random stream."""

    def __init__(self, mode, src, dst, insrc, indst, port, rnd):
        self.mode, self.src, self.dst = mode, src, dst
        self.insrc, self.indst, self.port, self.r = insrc, indst, port, rnd

    def l4(self, src, dst, data):
        """A valid transport payload and its protocol number."""
        kind = self.r.randrange(4)
        v6 = ":" in src
        if kind == 0:
            return udp(src, dst, 40000, self.port + 1, data), 17
        if kind == 1:
            return icmp_echo(data, v6, src, dst), 58 if v6 else 1
        if kind == 2:
            return tcp_syn(src, dst), 6
        return data, 59 if self.r.randrange(2) else 255

    def inner(self, data):
        """A valid packet as the SA carries it: (payload, next header)."""
        if self.mode == "transport":
            return self.l4(self.src, self.dst, data)
        src, dst = self.insrc, self.indst
        if self.r.randrange(5) == 0:	# 4in6 / 6in4: no policy takes it
            src = other_family(src)
            dst = "fd72:1::1" if ":" in src else "10.72.1.1"
        seg, proto = self.l4(src, dst, data)
        if ":" in src:
            return ip6(src, dst, proto, seg), 41
        return ip4(src, dst, proto, seg, ident=self.r.randrange(65536)), 4

    def control(self, tag):
        data = f"ctl={tag}".encode()
        if self.mode == "transport":
            return udp(self.src, self.dst, 40001, self.port, data), 17
        if ":" in self.insrc:
            return ip6(self.insrc, self.indst, 17, udp(self.insrc, self.indst, 40001,
                                                         self.port, data)), 41
        return ip4(self.insrc, self.indst, 17, udp(self.insrc, self.indst, 40001,
                                                     self.port, data)), 4

    def mutate(self, body, nh):
        """Break the packet somewhere: header fields, lengths, options,
        extension headers, bytes; then maybe the trailer (returned as
        pad-length and next-header overrides, None to keep them)."""
        r = self.r
        b = bytearray(body)
        padlen = padbytes = None
        for _ in range(r.randrange(1, 4)):
            m = r.randrange(12)
            if m == 0 and b:		# flip bits
                for _ in range(r.randrange(1, 4)):
                    b[r.randrange(len(b))] ^= 1 << r.randrange(8)
            elif m == 1:		# truncate
                del b[r.randrange(len(b) + 1):]
            elif m == 2:		# junk appended
                b += r.randbytes(r.randrange(1, 64))
            elif m == 3 and len(b) >= 20 and nh == 4:	# IPv4 header length
                b[0] = (b[0] & 0xF0) | r.randrange(16)
            elif m == 4 and len(b) >= 6:	# IPv4 total / IPv6 payload length
                off = 2 if nh == 4 else 4
                struct.pack_into("!H", b, off, r.choice([0, 1, 19, 20, 21, len(b) - 1,
                                                          len(b) + 1, 0xFFFF,
                                                          r.randrange(65536)]))
            elif m == 5 and len(b) >= 20 and nh == 4:	# IPv4 options of junk
                n = r.choice([4, 8, 20, 40])
                opts = bytes(r.choice([0, 1, 7, 68, 130, 131, 137, 148, r.randrange(256)])
                             for _ in range(n))
                b[0] = 0x40 | (5 + n // 4)
                b[20:20] = opts
                struct.pack_into("!H", b, 2, len(b))
            elif m == 6 and len(b) >= 40 and nh == 41:	# IPv6 extension headers
                ext = r.choice([0, 43, 44, 60, 135, 139, 140, r.randrange(256)])
                hdr = bytes([b[6], 0]) + r.randbytes(6)	# 8 bytes, then the old next header
                b[6] = ext
                b[40:40] = hdr
                struct.pack_into("!H", b, 4, len(b) - 40)
            elif m == 7:		# the version nibble
                if b:
                    b[0] = (b[0] & 0x0F) | (r.randrange(16) << 4)
            elif m == 8:		# pad length, maybe beyond the payload
                padlen = r.choice([0, 1, 2, 3, 254, 255, r.randrange(256)])
            elif m == 9:		# next header
                nh = r.choice([0, 4, 6, 17, 41, 43, 44, 50, 51, 58, 59, 255, r.randrange(256)])
            elif m == 10:		# pad bytes that are not 1, 2, 3, ...
                padbytes = True
            elif m == 11:		# nothing left but the trailer
                b = bytearray()
        return bytes(b), nh, padlen, padbytes


def esp(spi, seq, key, salt, body, nh, padlen=None, padbytes=None, rnd=random):
    """ESP with AES-GCM-128 (RFC 4106): SPI, sequence number, 8-byte IV,
    encrypted payload | padding | pad length | next header, 16-byte ICV."""
    n = (-(len(body) + 2)) % 4
    pad = rnd.randbytes(n) if padbytes else bytes(range(1, n + 1))
    # a pad length other than the padding's, maybe beyond the payload
    plain = body + pad + bytes([n if padlen is None else padlen, nh & 0xFF])
    iv = rnd.randbytes(8)
    aad = struct.pack("!II", spi, seq)
    return aad + iv + AESGCM(key).encrypt(salt + iv, plain, aad)


def send(iface, dstmac, mode, src, dst, insrc, indst, spi, keyhex, seq0, n, seed, port, ctl):
    raw = bytes.fromhex(keyhex)
    key, salt = raw[:-4], raw[-4:]
    spi, seq0, n, ctl, port = int(spi, 0), int(seq0), int(n), int(ctl), int(port)
    r = random.Random(int(seed))
    g = Gen(mode, src, dst, insrc, indst, port, r)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    mac = bytes.fromhex(dstmac.replace(":", ""))
    eth = mac + s.getsockname()[4] + (b"\x86\xdd" if ":" in dst else b"\x08\x00")
    controls = 0
    for i in range(n):
        if i % ctl == 0:
            body, nh = g.control(f"{spi:x}-{controls}")
            e = esp(spi, seq0 + i, key, salt, body, nh, rnd=r)
            controls += 1
        else:
            body, nh = g.inner(r.randbytes(r.randrange(0, 200)))
            body, nh, padlen, padbytes = g.mutate(body, nh)
            e = esp(spi, seq0 + i, key, salt, body, nh, padlen, padbytes, r)
        pkt = ip6(src, dst, 50, e) if ":" in dst else ip4(src, dst, 50, e)
        s.send(eth + pkt)
        # Paced: the veth's receive backlog must not overflow (a lost
        # control would look like a kipsec bug).
        if i % 32 == 31:
            time.sleep(0.02)
    print(f"sent {n} controls {controls}", flush=True)


def recv(port, seconds, ready, stop):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", int(port)))
    s.settimeout(0.5)
    open(ready, "w").close()
    seen = {}
    end = time.time() + float(seconds)
    while time.time() < end and not os.path.exists(stop):
        try:
            data, _ = s.recvfrom(2048)
        except socket.timeout:
            continue
        if data.startswith(b"ctl="):
            seen[data] = seen.get(data, 0) + 1
    print(f"controls {len(seen)} {sum(seen.values())}", flush=True)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"send": send, "recv": recv}[cmd](*args)
