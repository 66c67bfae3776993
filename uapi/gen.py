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
        for mode in ("do", "dump"):
            for part in ("request", "reply"):
                for an in op.get(mode, {}).get(part, {}).get("attributes", []):
                    if an not in names:
                        raise SpecError(f"op {op['name']} {mode} {part}: unknown attribute {an}")
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
        for mode in ("do", "dump"):
            for part in ("request", "reply"):
                attrs = op.get(mode, {}).get(part, {}).get("attributes")
                if attrs is None:
                    continue
                o.append(f" *  {mode} {part}:" + ("" if attrs else " no attributes"))
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
    if t == "string":
        if "max-len" in checks:
            return f"{{ .type = NLA_NUL_STRING, .len = {checks['max-len']} }}"
        return "{ .type = NLA_NUL_STRING }"
    if t == "nest":
        return f"NLA_POLICY_NESTED(kipsec_{lname(a['nested-attributes'])}_nl_policy)"
    if t == "binary":
        if "exact-len" in checks:
            return f"NLA_POLICY_EXACT_LEN({checks['exact-len']})"
        if "max-len" in checks:
            return f"{{ .type = NLA_BINARY, .len = {checks['max-len']} }}"
        return "{ .type = NLA_BINARY }"
    nla = {"u32": "NLA_U32", "u64": "NLA_U64", "s32": "NLA_S32", "s64": "NLA_S64",
           "flag": "NLA_FLAG"}[t]
    if "min" in checks and "max" in checks:
        return f"NLA_POLICY_RANGE({nla}, {checks['min']}, {checks['max']})"
    if "max" in checks:
        return f"NLA_POLICY_MAX({nla}, {checks['max']})"
    return f"{{ .type = {nla} }}"


def request_policies(spec, sets):
    """Per-op policies list only the op's request attributes; nested sets
    used by a request get a full policy of their own."""
    pols, nested = [], []
    for op in spec["operations"]["list"]:
        s = op["attribute-set"]
        byname = {a["name"]: a for a in sets[s]["attributes"]}
        for mode in ("do", "dump"):
            attrs = op.get(mode, {}).get("request", {}).get("attributes")
            if not attrs:
                continue
            pname = f"kipsec_{lname(op['name'])}_{mode}_nl_policy"
            members = [byname[n] for n in attrs]
            maxattr = max(members, key=lambda a: sets[s]["attributes"].index(a))
            pols.append((op, mode, pname, s, members, attr_enum(s, maxattr)))
            for a in members:
                if a["type"] == "nest" and a["nested-attributes"] not in nested:
                    nested.append(a["nested-attributes"])
    return pols, nested


def gen_kheader(spec, sets):
    pols, nested = request_policies(spec, sets)
    o = ["/* SPDX-License-Identifier: GPL-2.0 */", BANNER, "",
         "#ifndef _KIPSEC_NL_GEN_H", "#define _KIPSEC_NL_GEN_H", "",
         "#include <net/genetlink.h>", "", "#include \"../uapi/linux/kipsec.h\"", ""]
    for ns in nested:
        o.append(f"extern const struct nla_policy kipsec_{lname(ns)}_nl_policy[KIPSEC_A_{cname(ns)}_MAX + 1];")
    for op, mode, pname, s, members, maxname in pols:
        o.append(f"extern const struct nla_policy {pname}[{maxname} + 1];")
    o.append("")
    for op in spec["operations"]["list"]:
        if "do" in op:
            o.append(f"int kipsec_nl_{lname(op['name'])}_doit(struct sk_buff *skb, struct genl_info *info);")
        if "dump" in op:
            o.append(f"int kipsec_nl_{lname(op['name'])}_dumpit(struct sk_buff *skb, struct netlink_callback *cb);")
    groups = spec.get("mcast-groups", {}).get("list", [])
    o += ["", "enum kipsec_nl_mcgrp {"]
    o += [f"\tKIPSEC_NLGRP_{cname(g['name'])}," for g in groups]
    o += ["};", "",
          f"extern const struct genl_ops kipsec_nl_ops[{len(spec['operations']['list'])}];",
          f"extern const struct genl_multicast_group kipsec_nl_mcgrps[{len(groups)}];",
          "", "#endif /* _KIPSEC_NL_GEN_H */"]
    return "\n".join(o) + "\n"


def gen_ksource(spec, sets):
    pols, nested = request_policies(spec, sets)
    o = ["// SPDX-License-Identifier: GPL-2.0", BANNER, "", "#include \"nl_gen.h\"", ""]
    for ns in nested:
        o.append(f"const struct nla_policy kipsec_{lname(ns)}_nl_policy[KIPSEC_A_{cname(ns)}_MAX + 1] = {{")
        o += [f"\t[{attr_enum(ns, a)}] = {policy_entry(a)}," for a in sets[ns]["attributes"]]
        o += ["};", ""]
    for op, mode, pname, s, members, maxname in pols:
        o.append(f"const struct nla_policy {pname}[{maxname} + 1] = {{")
        o += [f"\t[{attr_enum(s, a)}] = {policy_entry(a)}," for a in members]
        o += ["};", ""]
    ops = spec["operations"]["list"]
    o.append(f"const struct genl_ops kipsec_nl_ops[{len(ops)}] = {{")
    for op in ops:
        n = lname(op["name"])
        o += ["\t{", f"\t\t.cmd\t\t= KIPSEC_CMD_{cname(op['name'])},"]
        if "do" in op:
            o.append(f"\t\t.doit\t\t= kipsec_nl_{n}_doit,")
        if "dump" in op:
            o.append(f"\t\t.dumpit\t\t= kipsec_nl_{n}_dumpit,")
        mine = [p for p in pols if p[0] is op]
        if len(mine) > 1:
            raise SpecError(f"op {op['name']}: do and dump requests must share one policy")
        if mine:
            o += [f"\t\t.policy\t\t= {mine[0][2]},", f"\t\t.maxattr\t= {mine[0][5]},"]
        else:
            o += ["\t\t.maxattr\t= 0,"]
        if "admin-perm" in op.get("flags", []):
            o.append("\t\t.flags\t\t= GENL_UNS_ADMIN_PERM,")
        o.append("\t},")
    o += ["};", ""]
    groups = spec.get("mcast-groups", {}).get("list", [])
    o.append(f"const struct genl_multicast_group kipsec_nl_mcgrps[{len(groups)}] = {{")
    for g in groups:
        o.append(f"\t[KIPSEC_NLGRP_{cname(g['name'])}] = {{ .name = KIPSEC_MCGRP_{cname(g['name'])}, "
                 ".flags = GENL_UNS_ADMIN_PERM },")
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
