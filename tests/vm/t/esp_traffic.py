#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Agents for esp_interop.sh, one per namespace, running for the whole test
so that a case starts no Python and no "ip netns exec" (each costs from a
few tenths of a second to seconds under QEMU TCG).

  esp_traffic.py agent [--serve PORT]

With --serve, also TCP on PORT (read everything until the peer's FIN, send
back its SHA-256, close) and UDP on PORT (echo each datagram), dual-stack,
listening before the first command is read. Reads one command per line on
stdin and answers each with exactly one line on stdout:

  hello                          -> "hello"
  run OUT CMD...                 CMD (shell words) in this namespace, its
                                 output to OUT -> "rc=N"
  pings SRC DST COUNT INTERVAL SIZE,SIZE...
                                 ICMP echoes, one sender per size, concurrently;
                                 up to 10 s for late replies
                                 -> "SIZE=RECEIVED/COUNT ..."
  traffic SRC DST PORT TCP_BYTES UDP_COUNT UDP_SIZE
                                 -> "tcp=ok|... udp=N/M"
  udp SRC DST PORT COUNT SIZE    the UDP echo burst alone -> "udp=N/M"
  udpgso SRC DST PORT SEG COUNT  one UDP datagram of COUNT segments of SEG
                                 bytes (UDP_SEGMENT: one GSO packet through
                                 the stack), not to be fragmented
                                 -> "gso=sent" or "gso=ERRNO"
  pmtu SRC DST BIG SMALL
      1. an ICMP(v6) echo of BIG data bytes that may not be fragmented
         (ping -M do -s BIG) must fail with EMSGSIZE or bring back an ICMP
         "frag needed" / "packet too big" on the error queue; an answer
         (it was fragmented) or silence is the bug;
      2. the same once more must fail with EMSGSIZE at once (the path MTU
         is known now) or on the error queue;
      3. an echo of SMALL data bytes, not to be fragmented, must be answered.
                                 -> "pmtu=ok first=... second=... small=..."
  sa-packets FILE SPI...         parse `kipsec -j sa show` output
                                 -> "SPI=PACKETS ..." (-1: SPI not listed)
  stats-delta BEFORE AFTER ALLOWED,...
                                 two `kipsec -j stats` outputs or two copies
                                 of /proc/net/xfrm_stat -> "ok" or
                                 "name+N ..." for counters that rose and are
                                 not allowed
Only addresses inside the test's own namespaces are ever used.
"""
import errno
import hashlib
import json
import os
import re
import select
import shlex
import socket
import struct
import subprocess
import sys
import threading
import time

from icmp_ping import echo_pkt, echo_reply_seq, ping

SERVING = threading.Event()

IP_MTU_DISCOVER = 10
IP_PMTUDISC_DO = 2
IP_RECVERR = 11
IPV6_MTU_DISCOVER = 23		# IPV6_PMTUDISC_DO is 2 too
IPV6_RECVERR = 25
UDP_SEGMENT = 103


# --- server -------------------------------------------------------------------
def tcp_conn(c):
    try:
        c.settimeout(30)
        data = bytearray()
        while True:
            b = c.recv(65536)
            if not b:
                break
            data += b
        c.sendall(hashlib.sha256(data).digest())
    except OSError:
        pass
    finally:
        c.close()


def tcp_server(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(16)
    return s


def server(port):
    t = tcp_server(port)
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    u.bind(("::", port))

    def udp_loop():
        while True:
            d, a = u.recvfrom(65536)
            try:
                u.sendto(d, a)
            except OSError:
                pass

    threading.Thread(target=udp_loop, daemon=True).start()
    SERVING.set()
    while True:
        c, _ = t.accept()
        threading.Thread(target=tcp_conn, args=(c,), daemon=True).start()


# --- agent --------------------------------------------------------------------
def fam(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def tcp_test(src, dst, port, nbytes):
    data = os.urandom(nbytes)
    s = socket.socket(fam(dst), socket.SOCK_STREAM)
    s.settimeout(6)
    try:
        s.bind((src, 0))
        t0 = time.monotonic()
        s.connect((dst, port))
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        got = bytearray()
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += b
        dt = time.monotonic() - t0
    except OSError as e:
        # Reset, not FIN: a half-dead connection must not retransmit into
        # the next case, whose policies may leave it in the clear.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        return "tcp=error:%s" % (errno.errorcode.get(e.errno, str(e)) if e.errno else
                                 type(e).__name__)
    finally:
        s.close()
    if bytes(got) != hashlib.sha256(data).digest():
        return "tcp=checksum-mismatch(%d bytes back)" % len(got)
    return "tcp=ok:%.2fs" % dt


def udp_test(src, dst, port, count, size):
    s = socket.socket(fam(dst), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    seen = set()
    try:
        s.bind((src, 0))
        tag = os.urandom(8)
        for i in range(count):
            s.sendto(tag + struct.pack("!I", i) + b"u" * (size - 12), (dst, port))
        end = time.monotonic() + 3
        while len(seen) < count:
            left = end - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select([s], [], [], left)
            if not r:
                break
            d = s.recv(65536)
            if d[:8] == tag and len(d) == size:
                seen.add(struct.unpack("!I", d[8:12])[0])
    except OSError as e:
        return "udp=error:%s/%d" % (errno.errorcode.get(e.errno, str(e)), count)
    finally:
        s.close()
    return "udp=%d/%d" % (len(seen), count)


def dont_fragment(s, v6):
    """The socket's packets may not be fragmented (IP(V6)_PMTUDISC_DO)."""
    if v6:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, IP_PMTUDISC_DO)
    else:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO)


def udp_gso(src, dst, port, seg, count):
    s = socket.socket(fam(dst), socket.SOCK_DGRAM)
    try:
        s.bind((src, 0))
        dont_fragment(s, ":" in dst)
        s.setsockopt(socket.IPPROTO_UDP, UDP_SEGMENT, seg)
        s.sendto(b"g" * (seg * count), (dst, port))
    except OSError as e:
        return "gso=%s" % errno.errorcode.get(e.errno, str(e))
    finally:
        s.close()
    return "gso=sent"


def echo_df(src, dst, size, ident, seq, wait=1.0):
    """One ICMP(v6) echo that may not be fragmented; returns what happened."""
    v6 = ":" in dst
    fam, lvl = (socket.AF_INET6, socket.IPPROTO_IPV6) if v6 else (socket.AF_INET, socket.IPPROTO_IP)
    recverr = IPV6_RECVERR if v6 else IP_RECVERR
    s = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
    try:
        s.bind((src, 0))
        dont_fragment(s, v6)
        s.setsockopt(lvl, recverr, 1)
        try:
            s.sendto(echo_pkt(v6, ident, seq, os.urandom(size)), (dst, 0))
        except OSError as e:
            if e.errno == errno.EMSGSIZE:
                return "emsgsize"
            return "send-error:%s" % errno.errorcode.get(e.errno, str(e))
        end = time.monotonic() + wait
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return "silent"
            r, _, x = select.select([s], [], [s], left)
            try:
                d, anc, _, _ = s.recvmsg(65536, 512, socket.MSG_ERRQUEUE | socket.MSG_DONTWAIT)
                for clvl, typ, data in anc:
                    if clvl == lvl and typ == recverr and len(data) >= 16:
                        ee_errno, origin, etype, ecode, _pad, info = struct.unpack("=IBBBBI", data[:12])
                        return "err:%s(origin=%d type=%d code=%d mtu=%d)" % (
                            errno.errorcode.get(ee_errno, ee_errno), origin, etype, ecode, info)
                return "err:?"
            except BlockingIOError:
                pass
            if not r:
                continue
            if echo_reply_seq(v6, s.recv(65536), ident) == seq:
                return "reply"
    finally:
        s.close()


def pmtu_test(src, dst, big, small):
    ident = os.getpid() & 0xFFFF
    first = echo_df(src, dst, big, ident, 1)
    second = echo_df(src, dst, big, ident, 2)
    sm = echo_df(src, dst, small, ident, 3, wait=2.0)
    # Refused: at once (the path MTU is known), or by an ICMP error on the
    # error queue. A reply means the packet was fragmented in spite of DF.
    refused = lambda r: r == "emsgsize" or r.startswith("err:EMSGSIZE")
    good = refused(first) and refused(second) and sm == "reply"
    return "pmtu=%s first=%s second=%s small=%s" % ("ok" if good else "fail", first, second, sm)


def spi_of(v):
    if isinstance(v, str):
        return int(v, 0) if v.lower().startswith("0x") else int(v)
    return int(v)


def walk(o):
    if isinstance(o, dict):
        yield o
        for v in o.values():
            yield from walk(v)
    elif isinstance(o, list):
        for v in o:
            yield from walk(v)


def packets_in(o):
    """The SA's packet counter: 'packets' directly or in a nested stats object."""
    if isinstance(o.get("packets"), int):
        return o["packets"]
    for k in ("stats", "counters", "lifetime", "current"):
        v = o.get(k)
        if isinstance(v, dict):
            p = packets_in(v)
            if p is not None:
                return p
    return None


def sa_packets(path, spis):
    with open(path) as f:
        doc = json.load(f)
    got = {}
    for o in walk(doc):
        if "spi" in o:
            try:
                got[spi_of(o["spi"])] = packets_in(o)
            except (TypeError, ValueError):
                pass
    res = []
    for s in spis:
        v = got.get(int(s, 0), -1)
        res.append("%s=%s" % (s, "none" if v is None else v))
    return " ".join(res)


def flat_counters(path):
    with open(path) as f:
        txt = f.read()
    try:
        doc = json.loads(txt)
    except ValueError:
        doc = None
    out = {}
    if doc is None:
        lines = txt.splitlines()
        for i, line in enumerate(lines):
            p = line.split()
            # /proc/net/xfrm_stat, snmp6: "Name <spaces> N"
            if len(p) == 2 and p[1].lstrip("-").isdigit():
                out[p[0]] = int(p[1])
            # /proc/net/snmp, netstat: "Ip: Name..." then "Ip: values..."
            elif (len(p) > 2 and p[0].endswith(":") and i + 1 < len(lines)
                  and lines[i + 1].split()[:1] == [p[0]] and not p[1].lstrip("-").isdigit()):
                vals = lines[i + 1].split()
                for k, v in zip(p[1:], vals[1:]):
                    if v.lstrip("-").isdigit():
                        out[p[0][:-1] + k] = int(v)
        return out
    for o in walk(doc):
        for k, v in o.items():
            if isinstance(v, int) and not isinstance(v, bool):
                out[k] = v
    return out


def delta(before, after, allowed):
    """"ok" or the counters that rose and are not ALLOWED (comma-separated;
    "*" allows all); then "; also NAME+N..." for the allowed ones that rose."""
    a = flat_counters(before)
    b = flat_counters(after)
    allow = set(x.replace("-", "_") for x in allowed.split(",") if x)
    rose = [k for k in sorted(b) if b[k] > a.get(k, 0)]
    bad = ["%s+%d" % (k, b[k] - a.get(k, 0)) for k in rose
           if k.replace("-", "_") not in allow and "*" not in allow]
    ok = ["%s+%d" % (k, b[k] - a.get(k, 0)) for k in rose
          if k.replace("-", "_") in allow or "*" in allow]
    return (" ".join(bad) if bad else "ok") + ("; also " + " ".join(ok) if ok else "")


def pings(src, dst, count, interval, sizes):
    """One pinger per size, all at once: "SIZE=RECEIVED/COUNT ..."."""
    sizes = [int(x) for x in sizes.split(",")]
    res = [None] * len(sizes)
    base = (os.getpid() * 8) & 0xFFFF

    def one(k):
        res[k] = ping(src, dst, int(count), float(interval), sizes[k], (base + k) & 0xFFFF)

    threads = [threading.Thread(target=one, args=(k,)) for k in range(len(sizes))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return " ".join(res)


def run(out, cmd):
    """Run CMD (shell words) here, in this namespace, output to OUT."""
    with open(out, "w") as f:
        return "rc=%d" % subprocess.run(shlex.split(cmd), stdout=f, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL).returncode


def agent():
    for line in sys.stdin:
        w = line.split()
        if not w:
            continue
        try:
            if w[0] == "hello":
                r = "hello"
            elif w[0] == "pings":
                r = pings(w[1], w[2], w[3], w[4], w[5])
            elif w[0] == "run":
                r = run(w[1], line.split(None, 2)[2])
            elif w[0] == "traffic":
                src, dst, port, nb, cnt, size = w[1], w[2], int(w[3]), int(w[4]), int(w[5]), int(w[6])
                r = tcp_test(src, dst, port, nb) + " " + udp_test(src, dst, port, cnt, size)
            elif w[0] == "udp":
                r = udp_test(w[1], w[2], int(w[3]), int(w[4]), int(w[5]))
            elif w[0] == "udpgso":
                r = udp_gso(w[1], w[2], int(w[3]), int(w[4]), int(w[5]))
            elif w[0] == "pmtu":
                r = pmtu_test(w[1], w[2], int(w[3]), int(w[4]))
            elif w[0] == "sa-packets":
                r = sa_packets(w[1], w[2:])
            elif w[0] == "stats-delta":
                r = delta(w[1], w[2], w[3] if len(w) > 3 else "")
            else:
                r = "error: unknown command %s" % w[0]
        except Exception as e:  # one answer line per command, whatever happens
            r = "error: %s: %s" % (type(e).__name__, str(e).replace("\n", " "))
        print(r, flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] != ["agent"]:
        sys.exit(__doc__)
    if sys.argv[2:3] == ["--serve"]:
        threading.Thread(target=server, args=(int(sys.argv[3]),), daemon=True).start()
        SERVING.wait(10)
    agent()
