#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ICMP echo over raw sockets, for the VM tests.

  icmp_ping.py [-c COUNT] [-i INTERVAL] [-s SIZE] [-w WAIT] [-I SRC] DST

sends COUNT echoes of SIZE data bytes INTERVAL seconds apart, then waits up
to WAIT seconds after the last one for the missing replies; prints
"SIZE=RECEIVED/COUNT" and exits 0 only if every echo was answered.

Why not busybox ping: after its last request busybox waits only about two
round trips for the reply (its -W applies only while nothing has come back
yet), so under a loaded QEMU TCG host a late last reply was counted lost
although both sides' SA counters showed it delivered.
"""
import argparse
import errno
import os
import select
import socket
import struct
import sys
import time


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def echo_pkt(v6, ident, seq, payload):
    """An ICMP(v6) echo request; the kernel fills in ICMPv6 checksums."""
    typ = 128 if v6 else 8
    hdr = struct.pack("!BBHHH", typ, 0, 0, ident, seq)
    return struct.pack("!BBHHH", typ, 0, 0 if v6 else csum(hdr + payload), ident, seq) + payload


def echo_reply_seq(v6, d, ident):
    """The sequence number of D if it is an echo reply to IDENT, else None.
    Raw IPv4 sockets hand over the IP header too, IPv6 ones do not."""
    off = 0 if v6 else (d[0] & 15) * 4
    if len(d) < off + 8:
        return None
    t, _c, _ck, i, q = struct.unpack("!BBHHH", d[off:off + 8])
    return q if t == (129 if v6 else 0) and i == ident else None


def ping(src, dst, count, interval, size, ident, wait=10.0):
    """COUNT echoes of SIZE data bytes, INTERVAL apart, then up to WAIT
    seconds for the missing replies: "SIZE=RECEIVED/COUNT".

    A send that fails (a rare transient EFAULT from native xfrm's 4in6
    output was seen once) is retried once; a second failure is the result."""
    v6 = ":" in dst
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_RAW,
                      socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
    try:
        s.bind((src, 0))
        payload = os.urandom(size)
        got = set()
        t_next = time.monotonic()
        seq = 0
        while True:
            now = time.monotonic()
            if seq < count and now >= t_next:
                seq += 1
                for attempt in (1, 2):
                    try:
                        s.sendto(echo_pkt(v6, ident, seq, payload), (dst, 0))
                        break
                    except OSError as e:
                        if attempt == 2:
                            return "%d=send-error:%s" % (size, errno.errorcode.get(e.errno, e))
                        time.sleep(interval)
                t_next = time.monotonic() + interval
                end = t_next - interval + wait
                continue
            if len(got) == count:
                break
            timeout = (t_next if seq < count else end) - now
            if seq == count and timeout <= 0:
                break
            r, _, _ = select.select([s], [], [], max(timeout, 0))
            while r:
                try:
                    q = echo_reply_seq(v6, s.recv(65536, socket.MSG_DONTWAIT), ident)
                except BlockingIOError:
                    break
                if q is not None and 1 <= q <= seq:
                    got.add(q)
        return "%d=%d/%d" % (size, len(got), count)
    finally:
        s.close()


def main():
    ap = argparse.ArgumentParser(description="ICMP echo; exit 0 if all answered")
    ap.add_argument("-c", type=int, default=3, dest="count")
    ap.add_argument("-i", type=float, default=0.2, dest="interval")
    ap.add_argument("-s", type=int, default=56, dest="size")
    ap.add_argument("-w", type=float, default=10.0, dest="wait")
    ap.add_argument("-I", dest="src", default=None)
    ap.add_argument("dst")
    a = ap.parse_args()
    src = a.src or ("::" if ":" in a.dst else "0.0.0.0")
    r = ping(src, a.dst, a.count, a.interval, a.size, os.getpid() & 0xFFFF, a.wait)
    print(r)
    return 0 if r == "%d=%d/%d" % (a.size, a.count, a.count) else 1


if __name__ == "__main__":
    sys.exit(main())
