#!/usr/bin/env python3
"""Generates core/src/main/java/org/finwidth/vector/panama/FloatActivationKernels.java from
FloatActivationKernels.template.java by writing every helper call out in place.

Why: C2 inlines the Vector API's own methods regardless of its node budget (they are @ForceInline),
but refuses our helper methods once a compilation has more than NodeCountInliningCutoff (18000) nodes
-- which the bigger activation kernels reach -- and a helper that is not inlined boxes every vector
it takes or returns (30x slower, 40 B/element allocated). docs/performance.md, trap 3: "keep big kernels
flat". The template keeps the readable building blocks (exp, erfcx, atan, ...); this script expands
them, specialising boolean flags that are passed as literals (derivative, cos).

Usage: python3 core/src/codegen/flatten.py   (from the repository root; idempotent)
"""
import itertools
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "FloatActivationKernels.template.java")
OUTPUT = os.path.join(HERE, "..", "main", "java", "org", "finwidth", "vector", "panama",
                      "FloatActivationKernels.java")
# Helpers of the small kernels stay methods (switch/yield bodies; far below the node budget).
KEEP = {"ipow", "repuV", "mrepuV", "powRealExact"}

src = open(TEMPLATE).read()

helper_re = re.compile(
    r"((?:  /\*\*(?:(?!\*/).)*\*/\n|  //[^\n]*\n)*)  private static FloatVector (\w+)\(([^)]*)\) \{\n(.*?)\n  \}\n\n?",
    re.S)
helpers = {}
for m in helper_re.finditer(src):
    name = m.group(2)
    if name in KEEP:
        continue
    params = [p.strip().rsplit(None, 1) for p in m.group(3).replace("\n", " ").split(",") if p.strip()]
    helpers[name] = (params, m.group(4))


def statements(body):
    """Splits a body into logical lines ending with ';', '{' or '}'; drops // comments."""
    out, cur = [], ""
    for line in body.split("\n"):
        t = line.strip()
        if not t or t.startswith("//"):
            continue
        cur = (cur + " " + t).strip() if cur else t
        if cur.endswith((";", "{", "}")):
            out.append(cur)
            cur = ""
    assert not cur, cur
    return out


def simplify(lines):
    """Resolves if (true) / if (false) blocks; stops after a return."""
    out, i = [], 0
    while i < len(lines):
        t = lines[i]
        m = re.match(r"if \((true|false)\) \{$", t)
        if m:
            depth, j, then, els, cur = 1, i + 1, [], [], None
            cur = then
            while True:
                u = lines[j]
                if u == "} else {" and depth == 1:
                    cur = els
                    j += 1
                    continue
                if u.startswith("}"):
                    depth -= 1
                if depth == 0:
                    break
                if u.endswith("{"):
                    depth += 1
                cur.append(u)
                j += 1
            chosen = simplify(then if m.group(1) == "true" else els)
            out.extend(chosen)
            if chosen and chosen[-1].startswith("return "):
                return out
            i = j + 1
            continue
        out.append(t)
        if t.startswith("return "):
            return out
        i += 1
    return out


def find_call(stmt):
    """The first helper call in stmt: (name, start, open_paren, close_paren) or None."""
    best = None
    for name in helpers:
        for m in re.finditer(r"(?<![\w.])" + name + r"\(", stmt):
            if best is None or m.start() < best[1]:
                best = (name, m.start(), m.end() - 1)
            break
    if best is None:
        return None
    depth = 0
    for k in range(best[2], len(stmt)):
        if stmt[k] == "(":
            depth += 1
        elif stmt[k] == ")":
            depth -= 1
            if depth == 0:
                return best + (k,)
    raise ValueError(stmt)


def split_args(s):
    args, depth, cur = [], 0, ""
    for ch in s:
        if ch == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    if cur.strip():
        args.append(cur.strip())
    return args


counter = itertools.count()


def expand(stmt, indent):
    call = find_call(stmt)
    if call is None:
        return [indent + stmt]
    name, start, op, cp = call
    params, body = helpers[name]
    args = split_args(stmt[op + 1:cp])
    assert len(args) == len(params), (name, args)
    uid = next(counter)
    pre, subst = [], {}
    for (ptype, pname), arg in zip(params, args):
        if ptype == "boolean":
            assert arg in ("true", "false"), (name, pname, arg)
            subst[pname] = arg
        elif re.fullmatch(r"[A-Za-z_]\w*", arg):
            subst[pname] = arg
        else:
            subst[pname] = f"{pname}_{uid}"
            pre.append(f"{ptype} {pname}_{uid} = {arg};")
    lines = statements(body)
    for pname, val in subst.items():
        if val in ("true", "false"):
            lines = [re.sub(r"(?<![\w.])" + pname + r"\b", val, l) for l in lines]
    lines = simplify(lines)
    assert lines[-1].startswith("return "), (name, lines)
    local_names = set()
    for l in lines:
        for m in re.finditer(r"(?:FloatVector|IntVector|DoubleVector|VectorMask<Float>|float|int|double)\s+(\w+)\s*[=;]", l):
            local_names.add(m.group(1))
    renames = dict(subst)
    for ln in local_names:
        renames[ln] = f"{ln}_{uid}"

    def rn(text):
        for old, new in renames.items():
            text = re.sub(r"(?<![\w.])" + old + r"\b", new, text)
        return text

    out = [] if name == "bc" else [indent + f"// {name}"]
    for p in pre:
        out += expand(p, indent)
    for l in lines[:-1]:
        out += expand(rn(l), indent)
    ret = rn(lines[-1][len("return "):-1])
    rest = stmt[:start] + "(" + ret + ")" + stmt[cp + 1:]
    rest = re.sub(r"\(\((\w+)\)\)", r"(\1)", rest)
    return out + expand(rest, indent)


# Expand every statement of the kernel methods (not the helpers, which are dropped).
# bc stays defined too: the kept small-kernel helpers use it.
out_src = helper_re.sub(lambda m: m.group(0) if m.group(2) in KEEP or m.group(2) == "bc" else "", src)
kernel_re = re.compile(r"(  (?:private )?static void \w+\([^)]*\) \{\n)(.*?)(\n  \}\n)", re.S)


def flatten_kernel(m):
    new = []
    for line in m.group(2).split("\n"):
        t = line.strip()
        if find_call(t) and t.endswith(";"):
            indent = line[: len(line) - len(line.lstrip())]
            new += expand(t, indent)
        else:
            new.append(line)
    return m.group(1) + "\n".join(new) + m.group(3)


out_src = kernel_re.sub(flatten_kernel, out_src)
header = ("// GENERATED by core/src/codegen/flatten.py from core/src/codegen/"
          "FloatActivationKernels.template.java:\n// edit the template (readable building blocks) "
          "and re-run the script; do not edit this file.\n")
out_src = out_src.replace("package org.finwidth.vector.panama;", header + "package org.finwidth.vector.panama;", 1)
for name in helpers:
    if name == "bc":
        continue
    code = "\n".join(l for l in out_src.split("\n") if not l.strip().startswith(("*", "/", "//")))
    hit = re.search(r"(?<![\w.])" + name + r"\(", code)
    assert not hit, (name, code[hit.start() - 300:hit.start() + 100])
open(OUTPUT, "w").write(out_src)
print("wrote", os.path.relpath(OUTPUT), len(out_src.splitlines()), "lines")
