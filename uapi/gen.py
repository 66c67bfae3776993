#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate the uapi header and the kernel's netlink policies/ops from kipsec.yaml.

Linux 6.1 predates tools/net/ynl, so this is a small generator for the subset
of the genetlink spec format kipsec uses. It refuses anything it does not
understand rather than guessing.

    gen.py            write uapi/linux/kipsec.h, kmod/nl_gen.h, kmod/nl_gen.c
    gen.py --check    exit 1 if any of them differs from what the spec gives
"""
import os
import sys
import textwrap

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = os.path.join(ROOT, "uapi", "kipsec.yaml")
OUTPUTS = {
    "uapi/linux/kipsec.h": "header",
    "kmod/nl_gen.h": "kheader",
    "kmod/nl_gen.c": "ksource",
    "tools/nl_names.h": "names",
}
TYPES = {"pad", "u32", "u64", "s32", "s64", "string", "flag", "nest", "binary"}
ATTR_KEYS = {"name", "type", "doc", "checks", "multi-attr", "nested-attributes", "enum"}
BANNER = "/* Do not edit: generated from uapi/kipsec.yaml by uapi/gen.py */"


class SpecError(Exception):
    pass


def cname(s):
    return s.upper().replace("-", "_")


def lname(s):
    return s.lower().replace("-", "_")


def load(path):
    with open(path) as f:
        spec = yaml.safe_load(f)
    if spec.get("protocol") != "genetlink":
        raise SpecError("protocol must be genetlink")
    sets = {}
    for s in spec.get("attribute-sets", []):
        for a in s["attributes"]:
            extra = set(a) - ATTR_KEYS
            if extra:
                raise SpecError(f"{s['name']}.{a['name']}: unknown keys {sorted(extra)}")
            if a["type"] not in TYPES:
                raise SpecError(f"{s['name']}.{a['name']}: unsupported type {a['type']}")
            if "doc" not in a:
                raise SpecError(f"{s['name']}.{a['name']}: every attribute needs a doc")
        sets[s["name"]] = s
    for s in sets.values():
        for a in s["attributes"]:
            if a["type"] == "nest" and a.get("nested-attributes") not in sets:
                raise SpecError(f"{s['name']}.{a['name']}: nest without a known attribute set")
    for op in spec["operations"]["list"]:
        if op.get("attribute-set") not in sets:
            raise SpecError(f"op {op['name']}: unknown attribute-set")
        names = {a["name"] for a in sets[op["attribute-set"]]["attributes"]}
        if not any(k in op for k in ("do", "dump", "event")):
            raise SpecError(f"op {op['name']}: needs do, dump or event")
        if "event" in op and ("do" in op or "dump" in op):
            raise SpecError(f"op {op['name']}: an event has no handlers")
        for an in op.get("event", {}).get("attributes", []):
            if an not in names:
                raise SpecError(f"op {op['name']} event: unknown attribute {an}")
        for mode in ("do", "dump"):
            for part in ("request", "reply"):
                for an in op.get(mode, {}).get(part, {}).get("attributes", []):
                    if an not in names:
                        raise SpecError(f"op {op['name']} {mode} {part}: unknown attribute {an}")
    enums = {d["name"]: d for d in spec.get("definitions", [])}
    for s in sets.values():
        for a in s["attributes"]:
            if "enum" in a and a["enum"] not in enums:
                raise SpecError(f"{s['name']}.{a['name']}: unknown enum {a['enum']}")
            a["_set"] = s["name"]
            if "enum" in a:
                d = enums[a["enum"]]
                a["_range"] = (d.get("value-start", 0), d.get("value-start", 0) + len(d["entries"]) - 1)
    return spec, sets


def attr_enum(setname, attr):
    return f"KIPSEC_A_{cname(setname)}_{cname(attr['name'])}"


def comment(text, indent=" * ", width=76):
    out = []
    for para in text.strip().split("\n\n"):
        lines = textwrap.wrap(" ".join(para.split()), width - len(indent)) or [""]
        out += [(indent + l).rstrip() for l in lines]
    return out


def describe_attr(sets, setname, a, depth, seen):
    pad = "  " * depth
    t = a["type"]
    if t == "string" and "checks" in a:
        t += f" (max {a['checks']['max-len']} bytes)"
    if t == "nest":
        t += f" ({a['nested-attributes']})"
    if a.get("multi-attr"):
        t += ", repeated"
    if "enum" in a:
        t += f", enum kipsec_{lname(a['enum'])}"
    lines = [f" *   {pad}{attr_enum(setname, a)}: {t}"]
    lines += comment(a["doc"], indent=f" *   {pad}    ")
    if a["type"] == "nest" and a["nested-attributes"] not in seen:
        ns = a["nested-attributes"]
        for na in sets[ns]["attributes"]:
            lines += describe_attr(sets, ns, na, depth + 1, seen | {ns})
    return lines


def gen_header(spec, sets):
    o = ["/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */",
         BANNER, "", "#ifndef _UAPI_LINUX_KIPSEC_H", "#define _UAPI_LINUX_KIPSEC_H", "",
         "/*"]
    o += comment(spec["doc"])
    o += [" *", " * Commands and their attributes:"]
    for op in spec["operations"]["list"]:
        s = op["attribute-set"]
        byname = {a["name"]: a for a in sets[s]["attributes"]}
        o += [" *", f" * KIPSEC_CMD_{cname(op['name'])}" +
              (" (CAP_NET_ADMIN)" if "admin-perm" in op.get("flags", []) else "")]
        o += comment(op["doc"], indent=" *   ")
        for mode in ("do", "dump", "event"):
            for part in ("request", "reply", None):
                where = op.get(mode, {})
                attrs = where.get("attributes") if part is None else where.get(part, {}).get("attributes")
                if attrs is None:
                    continue
                label = f"{mode} {part}" if part else f"{mode} (multicast group events)"
                o.append(f" *  {label}:" + ("" if attrs else " no attributes"))
                for an in attrs:
                    o += describe_attr(sets, s, byname[an], 0, {s})
    o += [" */", "",
          f"#define {cname(spec['c-family-name'])}\t\"{spec['name']}\"",
          f"#define {cname(spec['c-version-name'])}\t1", ""]
    for d in spec.get("definitions", []):
        if d["type"] != "enum":
            raise SpecError(f"definition {d['name']}: only enums are supported")
        o += ["/**", f" * enum kipsec_{lname(d['name'])} - {d['doc']}"]
        v = d.get("value-start", 0)
        body = []
        for e in d["entries"]:
            n = f"KIPSEC_{cname(d['name'])}_{cname(e['name'])}"
            o.append(f" * @{n}: {e['doc']}")
            body.append(f"\t{n} = {v},")
            v += 1
        o += [" */", f"enum kipsec_{lname(d['name'])} {{"] + body + ["};", ""]
    for s in sets.values():
        u = cname(s["name"])
        o += ["enum {", f"\tKIPSEC_A_{u}_UNSPEC,"]
        o += [f"\t{attr_enum(s['name'], a)}," for a in s["attributes"]]
        o += ["", f"\t__KIPSEC_A_{u}_MAX,",
              f"\tKIPSEC_A_{u}_MAX = (__KIPSEC_A_{u}_MAX - 1)", "};", ""]
    o += ["enum {", "\tKIPSEC_CMD_UNSPEC,"]
    o += [f"\tKIPSEC_CMD_{cname(op['name'])}," for op in spec["operations"]["list"]]
    o += ["", "\t__KIPSEC_CMD_MAX,", "\tKIPSEC_CMD_MAX = (__KIPSEC_CMD_MAX - 1)", "};", ""]
    for g in spec.get("mcast-groups", {}).get("list", []):
        o.append(f"#define KIPSEC_MCGRP_{cname(g['name'])}\t\"{g['name']}\"")
    o += ["", "#endif /* _UAPI_LINUX_KIPSEC_H */"]
    return "\n".join(o) + "\n"


def policy_entry(a):
    t = a["type"]
    checks = a.get("checks", {})
    if "_range" in a:
        return f"NLA_POLICY_RANGE(NLA_U32, {a['_range'][0]}, {a['_range'][1]})"
    if t == "string":
        if "max-len" in checks:
            return f"{{ .type = NLA_NUL_STRING, .len = {checks['max-len']} }}"
        return "{ .type = NLA_NUL_STRING }"
    if t == "nest":
        return f"NLA_POLICY_NESTED(kipsec_{lname(a['nested-attributes'])}_nl_policy)"
    if t == "binary":
        if "exact-len" in checks:
            return f"NLA_POLICY_EXACT_LEN({checks['exact-len']})"
        if "min-len" in checks and "max-len" in checks:
            return f"NLA_POLICY_RANGE(NLA_BINARY, {checks['min-len']}, {checks['max-len']})"
        if "max-len" in checks:
            return f"{{ .type = NLA_BINARY, .len = {checks['max-len']} }}"
        return "{ .type = NLA_BINARY }"
    nla = {"u32": "NLA_U32", "u64": "NLA_U64", "s32": "NLA_S32", "s64": "NLA_S64",
           "flag": "NLA_FLAG"}[t]
    if ("min" in checks or "max" in checks) and max(checks.get("min", 0), checks.get("max", 0)) > 32767:
        # nla_policy's inline min/max are s16: larger bounds go in a range struct.
        return f"NLA_POLICY_FULL_RANGE({nla}, &{range_name(a)})"
    if "min" in checks and "max" in checks:
        return f"NLA_POLICY_RANGE({nla}, {checks['min']}, {checks['max']})"
    if "min" in checks:
        return f"NLA_POLICY_MIN({nla}, {checks['min']})"
    if "max" in checks:
        return f"NLA_POLICY_MAX({nla}, {checks['max']})"
    return f"{{ .type = {nla} }}"


def range_name(a):
    return f"kipsec_{lname(a['_set'])}_{lname(a['name'])}_range"


def full_ranges(sets):
    """Range structs for bounds that do not fit nla_policy's s16 min/max."""
    o = []
    for s in sets.values():
        for a in s["attributes"]:
            c = a.get("checks", {})
            if a["type"] in ("u32", "u64") and ("min" in c or "max" in c) and \
                    max(c.get("min", 0), c.get("max", 0)) > 32767:
                o += [f"static struct netlink_range_validation {range_name(a)} = {{",
                      f"\t.min = {c.get('min', 0)},",
                      f"\t.max = {c.get('max', 'U32_MAX' if a['type'] == 'u32' else 'U64_MAX')},",
                      "};", ""]
    return o


def request_policies(spec, sets):
    """One policy per op: the union of its do and dump request attributes,
    so anything else is rejected as unsupported. An op whose requests carry
    no attributes gets a policy that rejects them all. Nested sets reachable
    from a request get full policies of their own (innermost first)."""
    pols, nested = [], []

    def want(ns):
        for a in sets[ns]["attributes"]:
            if a["type"] == "nest" and a["nested-attributes"] not in nested:
                want(a["nested-attributes"])
        if ns not in nested:
            nested.append(ns)

    for op in spec["operations"]["list"]:
        if "event" in op:
            continue
        s = op["attribute-set"]
        byname = {a["name"]: a for a in sets[s]["attributes"]}
        attrs = []
        for mode in ("do", "dump"):
            for n in op.get(mode, {}).get("request", {}).get("attributes", []):
                if n not in attrs:
                    attrs.append(n)
        pname = f"kipsec_{lname(op['name'])}_nl_policy"
        members = sorted((byname[n] for n in attrs), key=lambda a: sets[s]["attributes"].index(a))
        maxname = attr_enum(s, members[-1]) if members else None
        pols.append((op, pname, s, members, maxname))
        for a in members:
            if a["type"] == "nest":
                want(a["nested-attributes"])
    return pols, nested


def gen_kheader(spec, sets):
    pols, nested = request_policies(spec, sets)
    o = ["/* SPDX-License-Identifier: GPL-2.0 */", BANNER, "",
         "#ifndef _KIPSEC_NL_GEN_H", "#define _KIPSEC_NL_GEN_H", "",
         "#include <net/genetlink.h>", "", "#include \"../uapi/linux/kipsec.h\"", ""]
    for ns in nested:
        o.append(f"extern const struct nla_policy kipsec_{lname(ns)}_nl_policy[KIPSEC_A_{cname(ns)}_MAX + 1];")
    for op, pname, s, members, maxname in pols:
        o.append(f"extern const struct nla_policy {pname}[{maxname or 1} + 1];")
    o.append("")
    handlers = [op for op in spec["operations"]["list"] if "event" not in op]
    for op in handlers:
        if "do" in op:
            o.append(f"int kipsec_nl_{lname(op['name'])}_doit(struct sk_buff *skb, struct genl_info *info);")
        if "dump" in op:
            o.append(f"int kipsec_nl_{lname(op['name'])}_dumpit(struct sk_buff *skb, struct netlink_callback *cb);")
    groups = spec.get("mcast-groups", {}).get("list", [])
    o += ["", "enum kipsec_nl_mcgrp {"]
    o += [f"\tKIPSEC_NLGRP_{cname(g['name'])}," for g in groups]
    o += ["};", "",
          f"extern const struct genl_ops kipsec_nl_ops[{len(handlers)}];",
          f"extern const struct genl_multicast_group kipsec_nl_mcgrps[{len(groups)}];",
          "", "#endif /* _KIPSEC_NL_GEN_H */"]
    return "\n".join(o) + "\n"


def wrap(line):
    """Kernel style: break a too-long "[X] = value," after the "="."""
    if len(line.expandtabs(8)) <= 100 or " = " not in line:
        return line
    head, tail = line.split(" = ", 1)
    return f"{head} =\n\t\t{tail}"


def gen_ksource(spec, sets):
    pols, nested = request_policies(spec, sets)
    o = ["// SPDX-License-Identifier: GPL-2.0", BANNER, "", "#include \"nl_gen.h\"", ""]
    o += full_ranges(sets)
    for ns in nested:
        o.append(f"const struct nla_policy kipsec_{lname(ns)}_nl_policy[KIPSEC_A_{cname(ns)}_MAX + 1] = {{")
        o += [wrap(f"\t[{attr_enum(ns, a)}] = {policy_entry(a)},") for a in sets[ns]["attributes"]
              if a["type"] != "pad"]
        o += ["};", ""]
    for op, pname, s, members, maxname in pols:
        o.append(f"const struct nla_policy {pname}[{maxname or 1} + 1] = {{")
        o += [wrap(f"\t[{attr_enum(s, a)}] = {policy_entry(a)},") for a in members]
        if not members:
            o.append("\t[1] = { .type = NLA_REJECT },")
        o += ["};", ""]
    ops = [op for op in spec["operations"]["list"] if "event" not in op]
    o.append(f"const struct genl_ops kipsec_nl_ops[{len(ops)}] = {{")
    for op in ops:
        n = lname(op["name"])
        o += ["\t{", f"\t\t.cmd\t\t= KIPSEC_CMD_{cname(op['name'])},"]
        if "do" in op:
            o.append(f"\t\t.doit\t\t= kipsec_nl_{n}_doit,")
        if "dump" in op:
            o.append(f"\t\t.dumpit\t\t= kipsec_nl_{n}_dumpit,")
        mine = [p for p in pols if p[0] is op][0]
        o += [f"\t\t.policy\t\t= {mine[1]},", f"\t\t.maxattr\t= {mine[4] or 1},"]
        if "admin-perm" in op.get("flags", []):
            o.append("\t\t.flags\t\t= GENL_UNS_ADMIN_PERM,")
        o.append("\t},")
    o += ["};", ""]
    groups = spec.get("mcast-groups", {}).get("list", [])
    o.append(f"const struct genl_multicast_group kipsec_nl_mcgrps[{len(groups)}] = {{")
    for g in groups:
        o.append(f"\t[KIPSEC_NLGRP_{cname(g['name'])}] = {{ .name = KIPSEC_MCGRP_{cname(g['name'])}, "
                 ".flags = GENL_MCAST_CAP_NET_ADMIN },")
    o.append("};")
    return "\n".join(o) + "\n"


def gen_names(spec, sets):
    """Attribute and command names for userspace: error messages and JSON keys."""
    o = ["/* SPDX-License-Identifier: GPL-2.0 */", BANNER, "",
         "#ifndef KIPSEC_NL_NAMES_H", "#define KIPSEC_NL_NAMES_H", "",
         "#include <linux/kipsec.h>", ""]
    for s in sets.values():
        o.append(f"static const char *const kipsec_{lname(s['name'])}_attr_names[KIPSEC_A_{cname(s['name'])}_MAX + 1] "
                 "__attribute__((unused)) = {")
        o += [f"\t[{attr_enum(s['name'], a)}] = \"{a['name']}\"," for a in s["attributes"]]
        o += ["};", ""]
    o += ["#endif /* KIPSEC_NL_NAMES_H */"]
    return "\n".join(o) + "\n"


def main():
    check = "--check" in sys.argv[1:]
    try:
        spec, sets = load(SPEC)
        gens = {"names": gen_names, "header": gen_header, "kheader": gen_kheader, "ksource": gen_ksource}
        texts = {rel: gens[kind](spec, sets) for rel, kind in OUTPUTS.items()}
    except (SpecError, KeyError) as e:
        print(f"gen.py: {SPEC}: {e}", file=sys.stderr)
        return 1
    stale = []
    for rel, text in texts.items():
        path = os.path.join(ROOT, rel)
        old = open(path).read() if os.path.exists(path) else None
        if old == text:
            continue
        if check:
            stale.append(rel)
        else:
            with open(path, "w") as f:
                f.write(text)
    if stale:
        print("gen.py: out of date with uapi/kipsec.yaml (run `make gen`): " + " ".join(stale),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
