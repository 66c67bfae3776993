#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""UDP echo for the VM tests that check a selector with a port.

  udp_echo.py serve ADDR PORT            echo every datagram until killed
  udp_echo.py send SRC DST PORT COUNT    COUNT datagrams from SRC (any port)
                                         to DST:PORT, one at a time, each
                                         waiting up to 3 s for its echo;
                                         prints "udp=ECHOED/COUNT", exits 0
                                         only if all came back
"""
import socket
import sys


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def serve(addr, port):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.bind((addr, port))
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)


def send(src, dst, port, count):
    s = socket.socket(family(dst), socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.settimeout(3)
    echoed = 0
    for i in range(count):
        msg = b"kipsec udp echo %d" % i
        s.sendto(msg, (dst, port))
        try:
            while s.recv(65535) != msg:
                pass
            echoed += 1
        except socket.timeout:
            pass
    print("udp=%d/%d" % (echoed, count))
    return 0 if echoed == count else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 6 and sys.argv[1] == "send":
        sys.exit(send(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))
    else:
        sys.exit(__doc__)
