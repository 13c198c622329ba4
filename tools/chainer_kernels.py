#!/usr/bin/env python3
"""The Chainer 5.4 kernel corpus: every cuda.elementwise / cuda.reduce call of the chainer==5.4.0
sdist with its literal arguments, for testing the CUDA-C front end (core/src/lang).

    python3 tools/chainer_kernels.py [--out build] [--sdist PATH]

Downloads the sdist from PyPI with pip (unless --sdist is given), walks chainer/ with Python's ast,
evaluates each call's arguments (string literals, module/function constants, + and % and
str.format and '...'.join of evaluable parts), and evaluates the generator classes'
generate(ndim) for ndim = 1, 2, 3 (pooling/conv N-d kernels).  Writes
    build/chainer_kernels.json   the corpus, one object per kernel
    build/chainer_kernels.txt    the same for the C test (test_lang.c: lang_chainer_corpus)
and prints what it found and what it skipped.  Nothing here is committed output.
"""
import argparse
import ast
import glob
import importlib.util
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import types

EW_ARGS = ["in_params", "out_params", "operation", "name"]
RED_ARGS = ["in_params", "out_params", "map_expr", "reduce_expr", "post_map_expr", "identity",
            "name"]
FIELDS = ["kind", "name", "site", "in_params", "out_params", "operation", "preamble",
          "loop_prep", "after_loop", "map_expr", "reduce_expr", "post_map_expr", "identity",
          "reduce_type"]


def download(dest):
    """pip download of the sdist (setuptools < 70 inside the build isolation: chainer's setup.py
    imports pkg_resources)."""
    cons = os.path.join(dest, "constraints.txt")
    with open(cons, "w") as f:
        f.write("setuptools<70\n")
    env = dict(os.environ, PIP_CONSTRAINT=cons)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                    "chainer==5.4.0", "-d", dest], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return glob.glob(os.path.join(dest, "chainer-5.4.0.tar.gz"))[0]


class Unknown(Exception):
    pass


class Evaluator:
    """Constant folding over strings, with names from the module and the enclosing function."""

    def __init__(self, module_consts, local_consts):
        self.env = dict(module_consts)
        self.env.update(local_consts)

    def ev(self, n):
        if isinstance(n, ast.Constant):
            return n.value
        if isinstance(n, ast.Name):
            if n.id in self.env:
                return self.env[n.id]
            raise Unknown(n.id)
        if isinstance(n, ast.BinOp):
            a, b = self.ev(n.left), self.ev(n.right)
            if isinstance(n.op, ast.Add):
                return a + b
            if isinstance(n.op, ast.Mod):
                return a % b
            if isinstance(n.op, ast.Mult):
                return a * b
            raise Unknown("binop")
        if isinstance(n, ast.JoinedStr):
            raise Unknown("f-string")
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute):
            if n.func.attr == "format" and not n.keywords:
                return self.ev(n.func.value).format(*[self.ev(a) for a in n.args])
            if n.func.attr == "join" and len(n.args) == 1:
                return self.ev(n.func.value).join(self.ev(n.args[0]))
        if isinstance(n, (ast.List, ast.Tuple)):
            return [self.ev(e) for e in n.elts]
        if isinstance(n, ast.Call) and self.is_range(n.func):
            return list(range(*[self.ev(a) for a in n.args]))
        if isinstance(n, (ast.GeneratorExp, ast.ListComp)) and len(n.generators) == 1:
            g = n.generators[0]
            if isinstance(g.target, ast.Name) and not g.ifs:
                out = []
                for v in self.ev(g.iter):
                    inner = Evaluator(self.env, {g.target.id: v})
                    out.append(inner.ev(n.elt))
                return out
        raise Unknown(type(n).__name__)

    @staticmethod
    def is_range(f):
        """range or six.moves.range"""
        if isinstance(f, ast.Name):
            return f.id == "range"
        return isinstance(f, ast.Attribute) and f.attr == "range"


def consts_of(body, base=None):
    """Names assigned exactly once to something evaluable, in order (base: outer names)."""
    out, seen = {}, set()
    base = base or {}
    for st in body:
        if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
            name = st.targets[0].id
            if name in seen:
                out.pop(name, None)
                continue
            seen.add(name)
            try:
                out[name] = Evaluator(base, out).ev(st.value)
            except Exception:
                pass
    return out


def kernel_call(n):
    f = n.func
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "cuda":
        if f.attr == "elementwise":
            return "elementwise"
        if f.attr == "reduce":
            return "reduction"
    return None


def scan_file(path, rel, out, skipped):
    tree = ast.parse(open(path, encoding="utf-8").read())
    mconsts = consts_of(tree.body)
    funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    parent_func = {}
    for f in funcs:
        for n in ast.walk(f):
            if isinstance(n, ast.Call):
                parent_func.setdefault(id(n), f)  # the outermost function wins; refined below
    for f in funcs:  # innermost wins: later (nested) functions overwrite
        for n in ast.walk(f):
            if isinstance(n, ast.Call):
                parent_func[id(n)] = f
    for n in ast.walk(tree):
        if not isinstance(n, ast.Call):
            continue
        kind = kernel_call(n)
        if not kind:
            continue
        site = "%s:%d" % (rel, n.lineno)
        f = parent_func.get(id(n))
        # tree_lstm builds its kernel for n_ary inputs: the inventory's n_ary = 2
        base = dict(mconsts, n_ary=2)
        local = consts_of(f.body, base) if f else {}
        # constants assigned inside if/else blocks of the function too
        if f:
            for st in ast.walk(f):
                if isinstance(st, ast.If):
                    for blk in (st.body, st.orelse):
                        for k, v in consts_of(blk, dict(base, **local)).items():
                            local.setdefault(k, v)
        ev = Evaluator(base, local)
        names = EW_ARGS if kind == "elementwise" else RED_ARGS
        rec = {k: "" for k in FIELDS}
        rec["kind"] = kind
        rec["site"] = site
        try:
            for i, a in enumerate(n.args[:len(names)]):
                rec[names[i]] = ev.ev(a)
            for kw in n.keywords:
                if kw.arg in ("preamble", "loop_prep", "after_loop", "reduce_type", "name"):
                    rec[kw.arg] = ev.ev(kw.value)
            for k in FIELDS:
                if not isinstance(rec[k], str):
                    raise Unknown(k)
        except Unknown as e:
            skipped.append((site, "non-literal argument (%s)" % e))
            continue
        out.append(rec)


def load_generators(root):
    """Imports the generator modules with stand-ins for chainer's packages and cuda.memoize."""
    def pkg(name):
        m = types.ModuleType(name)
        m.__path__ = []
        sys.modules[name] = m
        return m
    for name in ["chainer", "chainer.backends", "chainer.utils", "chainer.functions",
                 "chainer.functions.pooling"]:
        pkg(name)
    cuda = types.ModuleType("chainer.backends.cuda")
    cuda.memoize = lambda *a, **k: (lambda f: f)
    sys.modules["chainer.backends.cuda"] = cuda
    sys.modules["chainer.backends"].cuda = cuda
    mods = {}
    for dotted, rel in [("chainer.utils.conv_nd_kernel", "chainer/utils/conv_nd_kernel.py"),
                        ("chainer.functions.pooling.pooling_nd_kernel", "chainer/functions/pooling/pooling_nd_kernel.py"),
                        ("chainer.functions.pooling.max_pooling_nd_kernel", "chainer/functions/pooling/max_pooling_nd_kernel.py"),
                        ("chainer.functions.pooling.average_pooling_nd_kernel", "chainer/functions/pooling/average_pooling_nd_kernel.py")]:
        spec = importlib.util.spec_from_file_location(dotted, os.path.join(root, rel))
        m = importlib.util.module_from_spec(spec)
        sys.modules[dotted] = m
        spec.loader.exec_module(m)
        parent, _, leaf = dotted.rpartition(".")
        setattr(sys.modules[parent], leaf, m)
        mods[rel] = m
    return mods


def generated(root, out, skipped):
    try:
        mods = load_generators(root)
    except Exception as e:  # noqa: BLE001 - report and go on
        skipped.append(("generators", "import failed: %r" % e))
        return
    for rel, m in mods.items():
        for cname in sorted(dir(m)):
            c = getattr(m, cname)
            if not isinstance(c, type) or not hasattr(c, "generate") or c.__module__ != m.__name__:
                continue
            for ndim in (1, 2, 3):
                try:
                    in_p, out_p, op, name = c.generate(ndim)
                except Exception as e:  # noqa: BLE001 - abstract bases raise
                    skipped.append(("%s:%s" % (rel, cname), "generate(%d): %r" % (ndim, e)))
                    break
                rec = {k: "" for k in FIELDS}
                rec.update(kind="elementwise", name=name, site="%s:%s.generate(%d)" % (rel, cname, ndim),
                           in_params=in_p, out_params=out_p, operation=op)
                out.append(rec)


def write_txt(path, recs):
    """One record: a line 'K', then every field as '<byte length>\\n<bytes>\\n'."""
    with open(path, "wb") as f:
        for r in recs:
            f.write(b"K\n")
            for k in FIELDS:
                b = r[k].encode("utf-8")
                f.write(b"%d\n" % len(b) + b + b"\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="build")
    ap.add_argument("--sdist")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sdist = args.sdist or download(tmp)
        with tarfile.open(sdist) as t:
            t.extractall(tmp, filter="data") if hasattr(tarfile, "data_filter") else t.extractall(tmp)
        root = os.path.join(tmp, "chainer-5.4.0")
        recs, skipped = [], []
        for path in sorted(glob.glob(os.path.join(root, "chainer", "**", "*.py"), recursive=True)):
            scan_file(path, os.path.relpath(path, root), recs, skipped)
        nsites, nliteral = len(recs) + len(skipped), len(recs)
        generated(root, recs, skipped)
    with open(os.path.join(args.out, "chainer_kernels.json"), "w") as f:
        json.dump(recs, f, indent=1)
    write_txt(os.path.join(args.out, "chainer_kernels.txt"), recs)
    print("call sites: %d; with literal arguments: %d; generated (generate(1..3)): %d; "
          "kernels written: %d" % (nsites, nliteral, len(recs) - nliteral, len(recs)))
    for site, why in skipped:
        print("  skipped %s: %s" % (site, why))


if __name__ == "__main__":
    main()
