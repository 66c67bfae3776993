#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Flood an IKEv1 responder with Main Mode first messages (each a new
initiator cookie, one acceptable proposal: AES-128, SHA-256, PSK, group 14)
and count the answers.

  ike_flood.py SRC DST COUNT [WAIT]

sends COUNT messages from SRC (port chosen by the kernel) to DST:500, then
listens WAIT seconds (default 3) and prints "sent N answered M" (M: distinct
cookies the responder answered with a Main Mode message).
"""
import os
import socket
import struct
import sys
import time


def attr(t, v):
    return struct.pack("!HH", 0x8000 | t, v)   # basic (TV) attribute


def mm1(icky):
    attrs = (attr(1, 7) + attr(14, 128) + attr(2, 4) + attr(3, 1) + attr(4, 14) +
             attr(11, 1) + attr(12, 28800))
    transform = struct.pack("!BBHBBH", 0, 0, 8 + len(attrs), 1, 1, 0) + attrs
    proposal = struct.pack("!BBHBBBB", 0, 0, 8 + len(transform), 1, 1, 0, 1) + transform
    sa = struct.pack("!BBHII", 0, 0, 12 + len(proposal), 1, 1) + proposal
    return icky + bytes(8) + struct.pack("!BBBBII", 1, 0x10, 2, 0, 0, 28 + len(sa)) + sa


def main():
    src, dst, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    wait = float(sys.argv[4]) if len(sys.argv) > 4 else 3.0
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    mine = set()
    for _ in range(count):
        icky = os.urandom(8)
        mine.add(icky)
        s.sendto(mm1(icky), (dst, 500))
    answered = set()
    end = time.monotonic() + wait
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if len(d) >= 28 and d[:8] in mine and d[18] == 2:
            answered.add(d[:8])
    print("sent %d answered %d" % (count, len(answered)))


if __name__ == "__main__":
    main()
