"""Benchmark: :func:`burden.nash` with a user-defined ``Preferences`` subclass on ``(10**6, 30)``.

The subclass defines only ``utility`` and ``mrs`` (Cobb–Douglas written by hand), so
:func:`burden.nash` takes the general path: batched root finding on the aggregate equation,
in chunks of ``chunk`` scenarios. Measured in the same run:

* **peak memory** — the maximum resident set (``VmHWM``) of a fresh process that draws the
  batch and solves it, less that of the same process stopped just before the solve, as a
  multiple of the input ``w`` (target: under 10x);
* **speed** — scenarios per second, against the loop a user with the same subclass would
  write (per scenario, ``scipy.optimize.brentq`` on the aggregate equation ``G = Σ r_i(G)``,
  each replacement function ``r_i`` by an inner ``brentq`` on the member's ``mrs``; timed on
  ``N_LOOP`` scenarios), and, for scale, the outer loop alone given the closed-form replacement
  functions the subclass does not have;
* **correctness** — every scenario certified and equal to the built-in
  :class:`burden.CobbDouglas` answer.

It takes a few minutes, so it is marked ``slow``. Run with
``python -m pytest benchmarks/bench_nash_numeric.py --benchmark-enable -s -m slow -p no:cacheprovider``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow

N_SCENARIOS, N_MEMBERS, N_LOOP, N_CLOSED = 10**6, 30, 10, 1000

_SCRIPT = """
import json, sys, time
import numpy as np
from scipy.optimize import brentq
import burden as bd

class HandWrittenCobbDouglas(bd.Preferences):
    # utility and mrs only: no closed form, so bd.nash uses its general path
    def __init__(self, a):
        self.a = np.asarray(a, dtype=float)

    def utility(self, x, G):
        return (1 - self.a) * np.log(x) + self.a * np.log(G)

    def mrs(self, x, G):
        return self.a / (1 - self.a) * x / G

def vmhwm():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM"))

N, n, N_LOOP, N_CLOSED = (int(v) for v in sys.argv[1:5])
rng = np.random.default_rng(2026)
w = rng.lognormal(3.0, 1.0, (N, n))
a = rng.uniform(0.2, 0.8, n)
prefs = HandWrittenCobbDouglas(a)
bd.nash(w[:10], prefs)  # imports and first-call set-up outside the measurement
before = vmhwm()
out = {"input": w.nbytes, "before": before}
start, cpu = time.perf_counter(), time.process_time()
eq = bd.nash(w, prefs)
out["wall"], out["cpu"] = time.perf_counter() - start, time.process_time() - cpu
out["peak"] = vmhwm()
out["certified"] = float(np.mean(eq.status == 0))
ref = bd.nash(w, bd.CobbDouglas(a))
out["max_rel_error_G"] = float(np.max(np.abs(eq.G / ref.G - 1.0)))

# The loop a user with the same subclass would write: per scenario, brentq on the aggregate
# equation G = sum_i r_i(G), each replacement r_i(G) found by an inner brentq on the member's
# first-order condition mrs(w_i - g, G) = 1 (r_i = 0 where mrs(w_i, G) <= 1).
def replacement(wi, ai, G):
    member = HandWrittenCobbDouglas(ai)
    if member.mrs(wi, G) <= 1.0:
        return 0.0
    return brentq(lambda g: member.mrs(wi - g, G) - 1.0, 0.0, wi, xtol=1e-14, rtol=1e-15)

def aggregate(wk):
    excess = lambda G: sum(replacement(wi, ai, G) for wi, ai in zip(wk, a)) - G
    return brentq(excess, 1e-12 * wk.sum(), wk.sum(), xtol=1e-14, rtol=1e-15)

start = time.perf_counter()
loop = [aggregate(w[k]) for k in range(N_LOOP)]
out["loop_per_scenario"] = (time.perf_counter() - start) / N_LOOP
out["loop_max_rel_error_G"] = float(np.max(np.abs(np.array(loop) / ref.G[:N_LOOP] - 1.0)))
# the same outer loop given the closed-form replacement functions the subclass does not have
c = a / (1 - a)
start = time.perf_counter()
for k in range(N_CLOSED):
    wk = w[k]
    brentq(lambda G: np.maximum(0.0, wk - c * G).sum() - G, 0.0, wk.sum(), xtol=1e-14, rtol=1e-15)
out["closed_per_scenario"] = (time.perf_counter() - start) / N_CLOSED
print(json.dumps(out))
"""


def _run() -> dict:
    sizes = (N_SCENARIOS, N_MEMBERS, N_LOOP, N_CLOSED)
    argv = [sys.executable, "-c", textwrap.dedent(_SCRIPT), *map(str, sizes)]
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_user_subclass_memory_and_speed():
    run = _run()
    assert run["certified"] == 1.0
    assert run["max_rel_error_G"] < 1e-9
    extra = run["peak"] - run["before"]
    rate = N_SCENARIOS / run["wall"]
    print(
        f"\nnash, hand-written Cobb-Douglas subclass, ({N_SCENARIOS}, {N_MEMBERS}):"
        f"\n  {run['wall']:.1f} s wall, {run['cpu']:.1f} s CPU ({rate:,.0f} scenarios/s);"
        f" all certified; max relative error of G against the built-in class {run['max_rel_error_G']:.1e}"
        f"\n  loop of nested brentq with the same subclass (outer: aggregate; inner: each replacement"
        f" function from the MRS): {1 / run['loop_per_scenario']:,.1f} scenarios/s"
        f" (max rel. error {run['loop_max_rel_error_G']:.1e})"
        f" -> burden {rate * run['loop_per_scenario']:,.0f}x"
        f"\n  brentq loop given the closed-form replacement functions (which the subclass does not"
        f" have): {1 / run['closed_per_scenario']:,.0f} scenarios/s"
        f" -> {rate * run['closed_per_scenario']:.2f}x"
        f"\n  peak resident memory during the solve: {extra / 1e9:.2f} GB above the process before it"
        f" = {extra / run['input']:.2f}x the input ({run['input'] / 1e9:.2f} GB)"
    )
