"""Benchmark: the Lindahl optimum with CES preferences on a ``(10**6, 30)`` batch.

Measured in the same run, on the same scenarios (CES with ``a`` drawn per member in
[0.2, 0.8] and ``rho = -0.5``):

* **Lindahl kernel** — :func:`burden.publicgoods._kernels_lindahl.lindahl_arrays` (the compiled
  joint Newton solve with its certificate and every output) on one thread and on two;
* **Nash** — :func:`burden.nash` on the same batch and one thread (target: Lindahl within 3x);
* **numpy Lindahl** — today's public :func:`burden.lindahl` (batched bracketing root finding
  plus utilities) on a ``10**4``-scenario slice, scaled to the batch;
* **free riding** — the measures :func:`burden.free_riding` adds on top of the two solves
  (burden, exploitation, money-metric welfare loss, Samuelson residual): the compiled
  :func:`burden.publicgoods._kernels_measures.free_riding_arrays` on the whole batch, and today's
  numpy building blocks (utilities, their inverse, ``mrs``) on a ``10**5``-scenario slice, scaled;
  the kernel path's total (nash + Lindahl + measures) against nash (target: within 3x);
* **peak memory** — traced allocations of one kernel solve, as a multiple of the input's size.

Timings are the best of several repeats (the machine is shared; see ``benchmarks/README.md``).
Run with ``python -m pytest benchmarks/bench_optimum.py --benchmark-enable -s -p no:cacheprovider``.
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pytest

import burden as bd
from burden.publicgoods._kernels_lindahl import lindahl_arrays
from burden.publicgoods._kernels_measures import free_riding_arrays
from burden.publicgoods.measures import burden_measures

N_SCENARIOS, N_MEMBERS, RHO, REPEAT = 10**6, 30, -0.5, 3


@pytest.fixture(scope="module")
def batch():
    rng = np.random.default_rng(2026)
    w = rng.lognormal(3.0, 1.0, (N_SCENARIOS, N_MEMBERS))
    a = rng.uniform(0.2, 0.8, N_MEMBERS)
    return w, a


def _best_of(function, repeat=REPEAT, clock=time.perf_counter):
    times = []
    for _ in range(repeat):
        start = clock()
        function()
        times.append(clock() - start)
    return min(times)


def test_lindahl_kernel_batch(benchmark, batch):
    w, a = batch
    opt = benchmark.pedantic(
        lindahl_arrays, args=(w, a, 1.0), kwargs={"rho": RHO}, rounds=2, iterations=1, warmup_rounds=1
    )
    assert opt.certified().all()


def test_ratios(batch):
    w, a = batch
    prefs = bd.CES(a, RHO)
    lindahl_arrays(w[:10], a, 1.0, rho=RHO)  # compile (or load the cached kernel) outside the timings
    bd.nash(w[:10], prefs)
    rounds = []
    for _ in range(2):
        rounds.append(
            (
                _best_of(lambda: lindahl_arrays(w, a, 1.0, rho=RHO, workers=1)),
                _best_of(lambda: lindahl_arrays(w, a, 1.0, rho=RHO, workers=2)),
                _best_of(lambda: bd.nash(w, prefs, workers=1)),
            )
        )
    one, two, nash = np.min(rounds, axis=0)
    opt = lindahl_arrays(w, a, 1.0, rho=RHO)
    assert opt.certified().all()
    eq_all = bd.nash(w, prefs)
    measure_args = (w, a, 1.0, eq_all.g, eq_all.G, eq_all.x, opt.G, opt.x)
    free_riding_arrays(*measure_args, rho=RHO)  # compile (or load the cached kernel)
    kernel_measures = _best_of(lambda: free_riding_arrays(*measure_args, rho=RHO))
    # CPU time of the process: single-threaded figures that do not depend on the machine's load
    cpu_one = _best_of(lambda: lindahl_arrays(w, a, 1.0, rho=RHO, workers=1), clock=time.process_time)
    cpu_nash = _best_of(lambda: bd.nash(w, prefs, workers=1), clock=time.process_time)
    cpu_measures = _best_of(lambda: free_riding_arrays(*measure_args, rho=RHO), clock=time.process_time)

    small = w[: 10**4]
    numpy_lindahl = _best_of(lambda: bd.lindahl(small, prefs), repeat=1) * (N_SCENARIOS / small.shape[0])

    # what free_riding computes besides the two equilibria, in numpy, on a slice
    part = slice(0, 10**5)
    eq = bd.nash(w[part], prefs)
    G_L, x_L = opt.G[part], opt.x[part]

    def measures():
        with np.errstate(divide="ignore", invalid="ignore"):
            u_L = prefs.utility(x_L, G_L[:, None])
            compensated = prefs.consumption_for_utility(u_L, eq.G[:, None])
            bd.samuelson_residual(eq.x, eq.G, prefs)
            burden_measures(eq.g, w[part], np.ones(eq.G.shape), eq.x, compensated)

    numpy_measures = _best_of(measures, repeat=2) * (N_SCENARIOS / 10**5)

    tracemalloc.start()
    lindahl_arrays(w, a, 1.0, rho=RHO)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    free_riding_arrays(*measure_args, rho=RHO)
    _, peak_measures = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(
        f"\nCES (rho = {RHO}) Lindahl, ({N_SCENARIOS}, {N_MEMBERS}), best of {REPEAT} x 2 rounds:"
        f"\n  kernel, one thread: {one:.3f} s -> {one / nash:.2f}x nash on the same batch"
        f" (mean {opt.iterations.mean():.2f} Newton steps, max {opt.iterations.max()})"
        f"\n  kernel, two threads: {two:.3f} s -> {one / two:.2f}x faster than one thread"
        f"\n  nash (public API, one thread): {nash:.3f} s"
        f"\n  numpy bd.lindahl, scaled from 10**4 scenarios: {numpy_lindahl:.1f} s -> "
        f"kernel {numpy_lindahl / one:,.0f}x faster"
        f"\n  numpy free-riding measures (utilities, compensation, Samuelson, burden), scaled from "
        f"10**5: {numpy_measures:.2f} s = {numpy_measures / nash:.2f}x nash"
        f"\n  measures kernel, one thread: {kernel_measures:.3f} s; free riding on kernels "
        f"(nash + Lindahl + measures) {nash + one + kernel_measures:.3f} s = "
        f"{(nash + one + kernel_measures) / nash:.2f}x nash"
        f"\n  CPU time, one thread: Lindahl {cpu_one:.3f} s, nash {cpu_nash:.3f} s, measures "
        f"{cpu_measures:.3f} s -> Lindahl {cpu_one / cpu_nash:.2f}x nash, free riding "
        f"{(cpu_nash + cpu_one + cpu_measures) / cpu_nash:.2f}x nash"
        f"\n  peak traced memory: Lindahl kernel {peak / w.nbytes:.2f}x the input, measures kernel "
        f"{peak_measures / w.nbytes:.2f}x (its input: w and the (N, n) Nash and Lindahl arrays it reads)"
        f"\n  max certificate residuals: price {opt.price_residual.max():.1e}, "
        f"member {opt.member_residual.max():.1e}"
        f"\n  per-round (one, two, nash): {[tuple(round(v, 3) for v in r) for r in rounds]}"
    )
