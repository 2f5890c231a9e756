#!/usr/bin/env python3
"""Checks with `wasm-objdump -d` that the compute kernels in a built wasm
module really run on SIMD128: each kernel must be a function of its own
(names kept by --profiling-funcs) whose body — or the body of a sw::fast
helper it calls — holds f32x4 arithmetic and v128 memory accesses (the peak
loop works in registers: arithmetic only). With --scalar, also checks that the scalar build of the same
code has no SIMD instruction at all (so the benchmark's comparison is real).

usage: check_simd.py SIMD_MODULE.wasm [--scalar SCALAR_MODULE.wasm]
"""
import re
import subprocess
import sys

# Demangled name prefixes of the kernels (kernels/*.h) and the peak loop.
KERNELS = [
    "sw::fast::conv2d_forward(float*",
    "sw::fast::conv2d_winograd(float*",
    "sw::fast::batchnorm_stats_nc(",
    "sw::fast::batchnorm_normalize_nc(",
    "sw::fast::batchnorm_forward_nc(",
    "sw::fast::batchnorm_stats_nchw(",
    "sw::fast::batchnorm_normalize_nchw(",
    "sw::fast::batchnorm_forward_nchw(",
    "sw::fast::svm_margins(",
    "sw::fast::svm_decision_values(",
    "sw::fast::svm_decision_grid(",
    "sw::fast::svm_hinge_subgradient(",
    "sw::fast::svm_smo_pass(",
    "sw::fast::mlp_batch(",
    "bench::madd_peak(",
]
SIMD_OP = re.compile(r"\|\s+((?:f32x4|i32x4|i8x16|i16x8|i64x2|f64x2|v128)\.[a-z0-9_]+)")
FUNC = re.compile(r"^[0-9a-f]+ func\[\d+\] <(.*)>:$")
CALL = re.compile(r"\|\s+call \d+ <(.*)>$")


def opcode_counts(wasm):
    """{function name: {simd opcode: count}} and {function: callees} from wasm-objdump -d."""
    out = subprocess.run(["wasm-objdump", "-d", wasm], check=True, capture_output=True,
                         text=True).stdout
    funcs, calls, cur = {}, {}, None
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            cur = m.group(1)
            funcs.setdefault(cur, {})
            calls.setdefault(cur, set())
            continue
        if cur is None:
            continue
        m = SIMD_OP.search(line)
        if m:
            funcs[cur][m.group(1)] = funcs[cur].get(m.group(1), 0) + 1
        m = CALL.search(line)
        if m:
            calls[cur].add(m.group(1))
    return funcs, calls


def with_helpers(name, funcs, calls):
    """Opcode counts of `name` plus the sw::fast helpers it calls, transitively."""
    total, seen, todo = {}, set(), [name]
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        for op, n in funcs.get(f, {}).items():
            total[op] = total.get(op, 0) + n
        todo += [c for c in calls.get(f, ()) if c.startswith("sw::fast::")]
    return total, len(seen) - 1


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--scalar"):
        print(__doc__)
        return 2
    failures = 0
    funcs, calls = opcode_counts(argv[1])
    for prefix in KERNELS:
        found = [name for name in funcs if name.startswith(prefix)]
        if not found:
            print(f"FAIL {prefix}...: no such function in {argv[1]} (inlined or not linked?)")
            failures += 1
            continue
        ops, helpers = with_helpers(found[0], funcs, calls)
        arith = sum(n for op, n in ops.items() if op.split(".")[0] in ("f32x4", "f64x2") and
                    op.split(".")[1] in ("add", "mul", "sub", "div", "pmax", "convert_i32x4_s"))
        mem = sum(n for op, n in ops.items() if op.startswith("v128.load") or op == "v128.store")
        ok = arith > 0 and (mem > 0 or prefix.startswith("bench::madd_peak"))
        failures += not ok
        top = ", ".join(f"{op}×{n}" for op, n in sorted(ops.items(), key=lambda kv: -kv[1])[:5])
        via = f" with {helpers} helper(s)" if helpers else ""
        print(f"{'ok  ' if ok else 'FAIL'} {found[0].split('(')[0]}{via}: {arith} f32x4/f64x2 "
              f"arithmetic, {mem} v128 loads/stores ({top})")
    if len(argv) == 4:
        scalar, _ = opcode_counts(argv[3])
        simd_anywhere = sum(sum(ops.values()) for ops in scalar.values())
        for prefix in KERNELS:
            if not any(name.startswith(prefix) for name in scalar):
                print(f"FAIL scalar build: {prefix}... missing")
                failures += 1
        print(f"{'ok  ' if simd_anywhere == 0 else 'FAIL'} scalar build has "
              f"{simd_anywhere} SIMD instructions")
        failures += simd_anywhere != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
