#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Attack traffic for esp_attack.sh, with scapy.

    esp_attack.py recv PORT SECONDS READY [STOP]
                                            count UDP datagrams per payload id
                                            (creates file READY once listening;
                                            ends early once file STOP exists)
    esp_attack.py send DST PORT N           N datagrams "id=<i>" from this namespace
    esp_attack.py replay PCAP IFACE TIMES   resend every captured ESP frame TIMES times
    esp_attack.py forge PCAP IFACE KIND     one altered copy of the last ESP frame:
                                            KIND flip (bit flip, fresh sequence number)
                                            or spi (unknown SPI)
    esp_attack.py ah PCAP IFACE INDEX:KIND...
                                            the INDEX-th captured AH frame, its outer IPv4
                                            header changed: KIND src, dst, proto, id, len
                                            (immutable: the ICV covers them), ttl, tos
                                            (mutable: it does not), or none
"""
import collections
import os
import socket
import struct
import sys
import time


def recv(port, seconds, ready, stop=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", int(port)))
    open(ready, "w").close()
    s.settimeout(0.5)
    seen = collections.Counter()
    end = time.time() + float(seconds)
    while time.time() < end and not (stop and os.path.exists(stop)):
        try:
            data, _ = s.recvfrom(2048)
        except socket.timeout:
            continue
        seen[data] += 1
    total = sum(seen.values())
    dups = sum(c - 1 for c in seen.values())
    print(f"distinct {len(seen)} total {total} duplicates {dups}", flush=True)
    ids = sorted(int(d[3:]) for d in seen if d.startswith(b"id=") and d[3:].isdigit())
    print("ids " + " ".join(map(str, ids)), flush=True)


def send(dst, port, n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(int(n)):
        s.sendto(f"id={i}".encode(), (dst, int(port)))
        time.sleep(0.01)


def esp_frames(pcap):
    from scapy.all import rdpcap
    from scapy.layers.inet import IP
    return [p for p in rdpcap(pcap) if IP in p and p[IP].proto == 50]


def replay(pcap, iface, times):
    from scapy.all import sendp
    frames = esp_frames(pcap)
    sendp(frames * int(times), iface=iface, verbose=False)
    print(f"replayed {len(frames) * int(times)}")


def forge(pcap, iface, kind):
    from scapy.all import sendp
    from scapy.layers.inet import IP
    frame = esp_frames(pcap)[-1].copy()
    raw = bytearray(bytes(frame[IP].payload))
    if kind == "flip":
        # A sequence number far ahead (never seen, inside no window check's
        # reach) so the packet is judged by its ICV, then one flipped bit.
        struct.pack_into("!I", raw, 4, struct.unpack_from("!I", raw, 4)[0] + 1000)
        raw[len(raw) // 2] ^= 0x10
    else:
        struct.pack_into("!I", raw, 0, 0xdeadbeef)
    ip = frame[IP]
    ip.remove_payload()
    del ip.chksum
    del ip.len
    sendp(frame / bytes(raw), iface=iface, verbose=False)


def ah(pcap, iface, *cases):
    """For each case INDEX:KIND, send the INDEX-th captured AH frame, its
    outer header altered by KIND, 0.3 s apart. The checksum is recomputed,
    so the IP layer takes it and AH has to judge."""
    from scapy.all import rdpcap
    from scapy.layers.inet import IP
    frames = [p for p in rdpcap(pcap) if IP in p and p[IP].proto == 51]
    for c in cases:
        index, kind = c.split(":")
        ah_one(frames[int(index)].copy(), iface, kind)
        time.sleep(0.3)
    print(f"sent {len(cases)} of {len(frames)} AH frames")


def ah_one(frame, iface, kind):
    from scapy.all import sendp
    from scapy.layers.inet import IP
    ip = frame[IP]
    if kind == "src":
        ip.src = "192.168.70.9"
    elif kind == "dst":
        ip.dst = "192.168.70.3"   # the receiver's too, with an SA of the same SPI and key
    elif kind == "proto":
        ip.proto = 50
    elif kind == "id":
        ip.id ^= 0x0101
    elif kind == "len":
        ip.len -= 4               # the receiver trims 4 payload bytes
    elif kind == "ttl":
        ip.ttl -= 7
    elif kind == "tos":
        ip.tos ^= 0xb8            # DSCP only: ECN left alone
    elif kind != "none":
        raise SystemExit("unknown kind " + kind)
    del ip.chksum
    sendp(frame, iface=iface, verbose=False)


if __name__ == "__main__":
    {"recv": recv, "send": send, "replay": replay, "forge": forge, "ah": ah}[sys.argv[1]](*sys.argv[2:])
