#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A steady ICMP echo stream that counts every answer.

icmp_stream.py -c COUNT -i INTERVAL [-s SRC] [-w WAIT] [-p PAD] DST

Sends COUNT echo requests INTERVAL seconds apart (on a fixed schedule, not
after each answer), waits WAIT seconds (default 3) for the last answers and
prints "sent N received M lost K" and the lost sequence numbers. Exit 0
iff every request was answered. A request the local stack refuses (a
policy without SA drops it: EPERM) counts as lost, and the stream goes on.
PAD bytes more in each request (and answer) make a byte rate for byte
lifetimes.
Needs a raw socket (root).
"""
import argparse
import os
import select
import socket
import struct
import sys
import time

from icmp_ping import csum


def request(ident, seq, pad=0):
    payload = struct.pack("!d", time.time()) + b"kipsec-stream" * 3 + b"p" * pad
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    return struct.pack("!BBHHH", 8, 0, csum(hdr + payload), ident, seq) + payload


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-c", type=int, required=True)
    ap.add_argument("-i", type=float, required=True)
    ap.add_argument("-s", default=None)
    ap.add_argument("-w", type=float, default=3.0)
    ap.add_argument("-p", type=int, default=0)
    ap.add_argument("dst")
    a = ap.parse_args()
    sk = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    if a.s:
        sk.bind((a.s, 0))
    ident = os.getpid() & 0xFFFF
    got = set()
    start = time.monotonic()
    sent = 0
    end = None
    while True:
        now = time.monotonic()
        if sent < a.c and now >= start + sent * a.i:
            try:
                sk.sendto(request(ident, sent, a.p), (a.dst, 0))
            except OSError:
                pass    # dropped on the way out (no SA yet: EPERM): lost
            sent += 1
            if sent == a.c:
                end = time.monotonic() + a.w
            continue
        if end is not None and (now >= end or len(got) == a.c):
            break
        due = end if sent == a.c else start + sent * a.i
        r, _, _ = select.select([sk], [], [], max(0.0, min(due - now, 0.5)))
        if not r:
            continue
        pkt, _ = sk.recvfrom(65535)
        ihl = (pkt[0] & 0x0F) * 4
        if len(pkt) < ihl + 8:
            continue
        typ, _, _, rid, seq = struct.unpack("!BBHHH", pkt[ihl:ihl + 8])
        if typ == 0 and rid == ident and seq < a.c:
            got.add(seq)
    lost = sorted(set(range(a.c)) - got)
    print("sent %d received %d lost %d%s" % (sent, len(got), len(lost),
          (" (seq %s)" % " ".join(map(str, lost[:50]))) if lost else ""))
    return 0 if not lost else 1


if __name__ == "__main__":
    sys.exit(main())
