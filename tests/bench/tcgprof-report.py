#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Per-function guest instruction counts from tcgprof snapshots.

  tcgprof-report.py DIR [TOP]

DIR holds what tests/bench/prof-inner.sh left: kallsyms (the guest's
/proc/kallsyms), phases.txt (one line per phase: NAME RECEIVED SENT) and,
per phase, the plugin's NAME-0.prof and NAME-1.prof snapshots taken around
it. For each phase, the instructions executed between its two snapshots
are attributed to the kernel function (or "[user]") each translation block
starts in, and divided by the datagrams received. Prints, per phase, the
total and a per-module split, then one table of the TOP functions (40 by
default) side by side, largest first.
"""
import bisect
import sys

USER_TOP = 0xffff800000000000


def load_kallsyms(path):
    syms = []
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) < 3 or p[1] not in "tTwW":
                continue
            mod = p[3].strip("[]") if len(p) > 3 else "vmlinux"
            syms.append((int(p[0], 16), p[2], mod))
    syms.sort()
    return [s[0] for s in syms], syms


def load_prof(path):
    counts = {}
    with open(path) as f:
        for line in f:
            a, n = line.split()
            counts[int(a, 16)] = int(n)
    return counts


def attribute(addrs, syms, before, after):
    """(function, module) -> instructions executed between the snapshots."""
    out = {}
    for vaddr, n in after.items():
        d = n - before.get(vaddr, 0)
        if d <= 0:
            continue
        if vaddr < USER_TOP:
            key = ("[user]", "user")
        else:
            i = bisect.bisect_right(addrs, vaddr) - 1
            key = (syms[i][1], syms[i][2]) if i >= 0 else ("[unknown]", "?")
        out[key] = out.get(key, 0) + d
    return out


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    d = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) == 3 else 40
    addrs, syms = load_kallsyms(f"{d}/kallsyms")
    phases = []
    with open(f"{d}/phases.txt") as f:
        for line in f:
            name, got, sent = line.split()
            phases.append((name, int(got), int(sent)))
    if not phases:
        sys.exit("tcgprof-report: no phases in phases.txt")

    per = {}	# phase -> {(fn, mod): instructions per datagram received}
    print("guest instructions per 64-byte datagram received (sender and receiver")
    print("share the VM: output, veth, input and both iperf3s are all counted)")
    print()
    for name, got, sent in phases:
        if got <= 0:
            print(f"{name}: no datagram received, skipped")
            continue
        a = attribute(addrs, syms, load_prof(f"{d}/{name}-0.prof"),
                      load_prof(f"{d}/{name}-1.prof"))
        per[name] = {k: v / got for k, v in a.items()}
        total = sum(per[name].values())
        mods = {}
        for (_, mod), v in per[name].items():
            mods[mod] = mods.get(mod, 0) + v
        split = ", ".join(f"{m} {v:.0f}" for m, v in
                          sorted(mods.items(), key=lambda x: -x[1]) if v >= 1)
        print(f"{name}: {total:.0f} per datagram ({got} received of {sent} sent): {split}")
    if not per:
        sys.exit("tcgprof-report: no phase received anything")

    names = list(per)
    keys = set()
    for p in per.values():
        keys |= set(p)
    rows = sorted(keys, key=lambda k: -max(per[n].get(k, 0) for n in names))[:top]
    print()
    w = max(len(f"{fn} [{mod}]") for fn, mod in rows)
    print(f"{'function':<{w}} " + " ".join(f"{n:>12}" for n in names))
    for fn, mod in rows:
        label = f"{fn} [{mod}]"
        print(f"{label:<{w}} " + " ".join(f"{per[n].get((fn, mod), 0):12.1f}" for n in names))


if __name__ == "__main__":
    main()
