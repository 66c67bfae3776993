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
    esp_fuzz.py ahsend IFACE DSTMAC MODE SRC DST INSRC INDST SPI KEYHEX SEQ0 N SEED PORT CTL
        the same for an AH SA with HMAC-SHA-256-128 (KEYHEX: its 32-byte key).
        Half the packets carry a valid ICV around a mutated payload; the
        other half reach the code before the ICV check: random IPv4 options
        or IPv6 hop-by-hop, destination and routing headers in front of AH,
        AH length and next-header fields, truncations (their ICV may then
        fail). Prints "sent N controls C unsigned U" (U: packets whose ICV
        was not computed over what was sent).
"""
import hashlib
import hmac
import os
import random
import socket
import struct
import sys
import time

from ah_icv import zero_mutable
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


class Wire:
    """Ethernet frames from IFACE to DSTMAC, paced: the veth's receive
    backlog must not overflow (a lost control would look like a kipsec bug)."""

    def __init__(self, iface, dstmac, v6):
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        self.s.bind((iface, 0))
        mac = bytes.fromhex(dstmac.replace(":", ""))
        self.eth = mac + self.s.getsockname()[4] + (b"\x86\xdd" if v6 else b"\x08\x00")
        self.sent = 0

    def send(self, pkt):
        self.s.send(self.eth + pkt)
        self.sent += 1
        if self.sent % 32 == 0:
            time.sleep(0.02)


def send(iface, dstmac, mode, src, dst, insrc, indst, spi, keyhex, seq0, n, seed, port, ctl):
    raw = bytes.fromhex(keyhex)
    key, salt = raw[:-4], raw[-4:]
    spi, seq0, n, ctl, port = int(spi, 0), int(seq0), int(n), int(ctl), int(port)
    r = random.Random(int(seed))
    g = Gen(mode, src, dst, insrc, indst, port, r)
    wire = Wire(iface, dstmac, ":" in dst)
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
        wire.send(ip6(src, dst, 50, e) if ":" in dst else ip4(src, dst, 50, e))
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


# --- AH ------------------------------------------------------------------------------
AH_ICV = 16	# HMAC-SHA-256-128


def ah_packet(key, v6, src, dst, spi, seq, body, nh):
    """A valid AH packet: outer header, AH (64-bit aligned in IPv6, 32 in
    IPv4) with the ICV over the zeroed outer header, AH and @body."""
    hlen = 32 if v6 else 28
    ah = struct.pack("!BBHII", nh & 0xFF, hlen // 4 - 2, 0, spi, seq) + bytes(hlen - 12)
    outer = ip6(src, dst, 51, ah + body) if v6 else ip4(src, dst, 51, ah + body)
    fixed = 40 if v6 else 20
    icv = hmac.new(key, zero_mutable(outer[:fixed]) + ah + body, hashlib.sha256).digest()[:AH_ICV]
    return outer[:fixed] + ah[:12] + icv + ah[12 + AH_ICV:] + body


def ip4_opts(r):
    """IPv4 options, well-formed or not (multiple of 4 bytes, at most 40)."""
    o = bytearray()
    while len(o) < r.choice([4, 8, 12, 20, 40]):
        t = r.choice([0, 1, 7, 68, 130, 131, 133, 134, 137, 148, 149, r.randrange(256)])
        if t in (0, 1):
            o.append(t)
            continue
        n = r.choice([2, 3, 4, 7, 8, 11, r.randrange(256)])
        data = bytearray(r.randbytes(max(n - 2, 0)))
        if t in (7, 131, 137, 68) and data:	# a pointer, in range or not
            data[0] = r.choice([4, 5, 8, n + 1, r.randrange(256)])
        o += bytes([t, n]) + data
    o = o[:40]
    o += bytes(-len(o) % 4)
    return bytes(o)


def ip6_ext(r, nh):
    """One IPv6 extension header in front of @nh: (its protocol number, bytes)."""
    kind = r.choice([0, 60, 43, 44, r.randrange(256)])
    n = r.choice([0, 0, 1, 2, r.randrange(8)])	# length in 8-byte units after the first 8
    body = bytearray(r.randbytes(6 + 8 * n))
    if kind in (0, 60) and r.randrange(2):	# TLV options, some with the "may change" bit
        off = 0
        while off < len(body):
            t = r.choice([0, 1, 0x05, 0x23, 0x3E, 0xC2, r.randrange(256)])
            if t == 0:
                body[off] = 0
                off += 1
                continue
            ln = r.choice([0, 1, 2, 4, r.randrange(256)])
            body[off] = t
            if off + 1 < len(body):
                body[off + 1] = ln
            off += 2 + ln
    if kind == 43 and len(body) >= 2:		# routing: type 0, 2, 3, 4; segments left
        body[0] = r.choice([0, 2, 3, 4, r.randrange(256)])
        body[1] = r.choice([0, 0, 1, r.randrange(256)])
    return kind, bytes([nh, n]) + bytes(body)


def ah_broken(r, key, v6, src, dst, spi, seq, body, nh):
    """An AH packet broken before the ICV check; its ICV may or may not hold."""
    pkt = bytearray(ah_packet(key, v6, src, dst, spi, seq, body, nh))
    fixed = 40 if v6 else 20
    m = r.randrange(5)
    if m == 0 and not v6:			# IPv4 options in front of AH
        opts = ip4_opts(r)
        pkt[fixed:fixed] = opts
        pkt[0] = 0x40 | (5 + len(opts) // 4)
    elif m == 0:				# IPv6 extension headers in front of AH
        nxt, chain = 51, b""
        for _ in range(r.randrange(1, 4)):
            nxt, hdr = ip6_ext(r, nxt)
            chain = hdr + chain
        pkt[fixed:fixed] = chain
        pkt[6] = nxt
    elif m == 1:				# AH's length field
        pkt[fixed + 1] = r.choice([0, 1, 2, 3, 4, 5, 6, 7, 255, r.randrange(256)])
    elif m == 2:				# AH's next header
        pkt[fixed] = r.choice([0, 4, 6, 17, 41, 43, 50, 51, 59, 255, r.randrange(256)])
    elif m == 3:				# truncated anywhere after the fixed header
        del pkt[r.randrange(fixed, len(pkt) + 1):]
    else:					# bits flipped in AH or the payload
        for _ in range(r.randrange(1, 4)):
            i = r.randrange(fixed, len(pkt))
            pkt[i] ^= 1 << r.randrange(8)
    if v6:
        struct.pack_into("!H", pkt, 4, len(pkt) - 40)
    else:
        struct.pack_into("!H", pkt, 2, len(pkt))
        struct.pack_into("!H", pkt, 10, 0)
        hl = (pkt[0] & 0x0F) * 4
        struct.pack_into("!H", pkt, 10, csum(bytes(pkt[:hl])))
    return bytes(pkt)


def ahsend(iface, dstmac, mode, src, dst, insrc, indst, spi, keyhex, seq0, n, seed, port, ctl):
    key = bytes.fromhex(keyhex)
    spi, seq0, n, ctl, port = int(spi, 0), int(seq0), int(n), int(ctl), int(port)
    r = random.Random(int(seed))
    g = Gen(mode, src, dst, insrc, indst, port, r)
    v6 = ":" in dst
    wire = Wire(iface, dstmac, v6)
    controls = unsigned = 0
    for i in range(n):
        seq = seq0 + i
        if i % ctl == 0:
            body, nh = g.control(f"{spi:x}-{controls}")
            pkt = ah_packet(key, v6, src, dst, spi, seq, body, nh)
            controls += 1
        elif r.randrange(2) or i == n - 1:	# the last one signed: seq-in reaches it
            body, nh = g.inner(r.randbytes(r.randrange(0, 200)))
            body, nh, _, _ = g.mutate(body, nh)
            pkt = ah_packet(key, v6, src, dst, spi, seq, body, nh)
        else:
            body, nh = g.inner(r.randbytes(r.randrange(0, 200)))
            pkt = ah_broken(r, key, v6, src, dst, spi, seq, body, nh)
            unsigned += 1
        wire.send(pkt)
    print(f"sent {n} controls {controls} unsigned {unsigned}", flush=True)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"send": send, "recv": recv, "ahsend": ahsend}[cmd](*args)
