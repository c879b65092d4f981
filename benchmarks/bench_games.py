"""Benchmark: batched finite-game solvers (`burden.games`) against per-game peers.

Problems (one fixed seed, the same games for everybody): 10**6 random 2×2 bimatrix games
and 10**4 random 5×5 games, payoffs i.i.d. standard normal (nondegenerate with
probability one). Ours solves each set in one call, with one thread and with every thread
(``workers=-1``); the peers -- QuantEcon's ``support_enumeration`` (numba, compiled before
timing) and Nashpy's ``Game.support_enumeration`` -- loop over a sample of the same games,
built as game objects before the clock starts (so only their solvers are timed); their
throughput (games/s) is scaled from the sample. Every figure is the best of several rounds
(QuantEcon: three passes over its sample), because the machine is shared. The floor of the
2×2 solver is allocating and writing its outputs once (the arrays of a ``GameEquilibria``
for 10**6 games); ``test_breakdown_2x2`` splits one call's CPU time into input checks, the
kernel on outputs already touched and the kernel on fresh ones. The last test prints the
throughputs, ratios and that breakdown, all measured in the same run.

Run with ``python -m pytest benchmarks/bench_games.py --benchmark-enable -s``.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pytest

from burden._numba import kernel_threads
from burden.games import classify_2x2, equilibria_2x2, support_enumeration
from burden.games._bimatrix_kernel import solve_2x2
from burden.games._input import bimatrix_iv
from burden.games.bimatrix import _empty_outputs

N_2X2, N_5X5 = 10**6, 10**4
SAMPLE = {("quantecon", 2): 20_000, ("nashpy", 2): 300, ("quantecon", 5): 1000, ("nashpy", 5): 10}
PEER_ROUNDS = {"quantecon": 3, "nashpy": 1}
# The 2×2 runs take a fraction of a second: more rounds, so the best is less noisy. The first
# rounds are slow when fresh memory comes from the host (benchmarks/README.md, "Finite games").
ROUNDS_2X2 = 11
THROUGHPUT: dict[tuple[str, int], float] = {}  # (solver, m) -> games per second
CPU: dict[tuple[str, int], float] = {}  # (solver, m) -> games per CPU second of this process (one thread)
BREAKDOWN: dict[str, float] = {}  # part of a 2×2 call -> CPU seconds (one thread)


@pytest.fixture(scope="module")
def games():
    rng = np.random.default_rng(2026)
    return {2: tuple(rng.normal(size=(2, N_2X2, 2, 2))), 5: tuple(rng.normal(size=(2, N_5X5, 5, 5)))}


def _best_time(benchmark, fn, rounds=3, cpu=None):
    """Run ``fn`` through pytest-benchmark and return its output and fastest wall time.

    ``cpu``, a list, receives the fastest process CPU time (robust to a shared machine).
    """
    times, cpu_times = [], []

    def timed():
        start, start_cpu = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - start_cpu)
        return out

    out = benchmark.pedantic(timed, rounds=rounds, iterations=1, warmup_rounds=0)
    if cpu is not None:
        cpu.append(min(cpu_times))
    return out, min(times)


def test_ours_2x2(benchmark, games):
    A, B = games[2]
    equilibria_2x2(A[:10], B[:10])  # compile (or load the cached kernel) before timing
    cpu = []
    eq, seconds = _best_time(benchmark, lambda: equilibria_2x2(A, B), rounds=ROUNDS_2X2, cpu=cpu)
    assert not eq.degenerate.any() and np.all(eq.count % 2 == 1) and eq.success.all()
    THROUGHPUT["burden", 2] = N_2X2 / seconds
    CPU["burden", 2] = N_2X2 / cpu[0]


def test_ours_2x2_threads(benchmark, games):
    A, B = games[2]
    _, seconds = _best_time(benchmark, lambda: equilibria_2x2(A, B, workers=-1), rounds=ROUNDS_2X2)
    THROUGHPUT["burden threads", 2] = N_2X2 / seconds


def test_floor_2x2(benchmark):
    def write_outputs():
        out = _empty_outputs(N_2X2)
        for arr in out.values():
            arr.fill(0)
        return out

    _, seconds = _best_time(benchmark, write_outputs, rounds=ROUNDS_2X2)
    THROUGHPUT["floor (write outputs)", 2] = N_2X2 / seconds


def test_breakdown_2x2(games, best_of):
    """Where one thread's time goes (CPU ms per call, best of ROUNDS_2X2): input checks, the
    kernel writing into outputs already touched, and the same with fresh outputs."""
    A, B = games[2]
    flat_a, flat_b = A.reshape(-1, 4), B.reshape(-1, 4)
    touched = _empty_outputs(N_2X2)
    with kernel_threads(1):
        solve_2x2(flat_a, flat_b, 0.0, *touched.values())  # touch the outputs (and compile)
        parts = {
            "input checks": lambda: bimatrix_iv(A, B, shape=(2, 2)),
            "kernel, outputs touched": lambda: solve_2x2(flat_a, flat_b, 0.0, *touched.values()),
            "kernel, fresh outputs": lambda: solve_2x2(flat_a, flat_b, 0.0, *_empty_outputs(N_2X2).values()),
            "whole call": lambda: equilibria_2x2(A, B),
        }
        for name, part in parts.items():
            BREAKDOWN[name] = best_of(part, repeat=ROUNDS_2X2, clock=time.process_time)


def test_ours_5x5(benchmark, games):
    A, B = games[5]
    eq, seconds = _best_time(benchmark, lambda: support_enumeration(A, B))
    assert np.all(eq.count % 2 == 1) and eq.success.all()
    THROUGHPUT["burden", 5] = N_5X5 / seconds


def test_ours_5x5_threads(benchmark, games):
    A, B = games[5]
    _, seconds = _best_time(benchmark, lambda: support_enumeration(A, B, workers=-1))
    THROUGHPUT["burden threads", 5] = N_5X5 / seconds


def test_classify_2x2(benchmark, games):
    A, B = games[2]
    c, seconds = _best_time(benchmark, lambda: classify_2x2(A, B))
    assert not c.tie.any()
    THROUGHPUT["burden classify", 2] = N_2X2 / seconds


def _peer(name):
    """(make_game, solve) for a peer; games are built before the clock starts."""
    if name == "quantecon":
        qe = pytest.importorskip("quantecon.game_theory")
        return (lambda A, B: qe.NormalFormGame([qe.Player(A), qe.Player(B.T)])), qe.support_enumeration
    nashpy = pytest.importorskip("nashpy")
    return nashpy.Game, lambda game: list(game.support_enumeration())


@pytest.mark.parametrize(("name", "m"), list(SAMPLE))
def test_peer(games, name, m):
    make_game, solve = _peer(name)
    A, B = games[m]
    count = SAMPLE[name, m]
    sample = [make_game(A[g], B[g]) for g in range(count)]
    solve(sample[0])  # QuantEcon compiles on the first call
    seconds = cpu = np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # Nashpy warns on near-degenerate games
        for _ in range(PEER_ROUNDS[name]):  # best of several passes, as for ours
            start, start_cpu = time.perf_counter(), time.process_time()
            found = [len(solve(game)) for game in sample]
            seconds = min(seconds, time.perf_counter() - start)
            cpu = min(cpu, time.process_time() - start_cpu)
    THROUGHPUT[name, m] = count / seconds
    CPU[name, m] = count / cpu
    if name == "quantecon":  # the reference: same equilibrium counts as ours
        ours = equilibria_2x2(A[:count], B[:count]) if m == 2 else support_enumeration(A[:count], B[:count])
        np.testing.assert_array_equal(ours.count, found)


def test_report_ratios():
    """Print throughputs and ratios (no timed assertions: this is a report)."""
    lines = [f"{'solver':<18}{'game':>6}{'games/s':>14}"]
    lines += [f"{name:<18}{f'{m}x{m}':>6}{rate:>14,.0f}" for (name, m), rate in sorted(THROUGHPUT.items())]
    for ours in ("burden", "burden threads"):
        for m in (2, 5):
            for peer in ("quantecon", "nashpy"):
                if (ours, m) in THROUGHPUT and (peer, m) in THROUGHPUT:
                    ratio = THROUGHPUT[ours, m] / THROUGHPUT[peer, m]
                    lines.append(f"{m}x{m}: {ours} / {peer} = {ratio:,.0f}x")
    if ("burden", 2) in CPU and ("quantecon", 2) in CPU:
        ratio = CPU["burden", 2] / CPU["quantecon", 2]
        rate = CPU["burden", 2]
        lines.append(f"2x2, CPU time, one thread: burden {rate:,.0f} games/s / quantecon = {ratio:,.0f}x")
    if BREAKDOWN:
        parts = ", ".join(f"{name} {seconds * 1e3:.1f} ms" for name, seconds in BREAKDOWN.items())
        lines.append(f"2x2, CPU time per 10**6 games, one thread: {parts}")
    floor = THROUGHPUT.get(("floor (write outputs)", 2))
    for ours in ("burden", "burden threads"):
        if floor and (ours, 2) in THROUGHPUT:
            lines.append(f"2x2: {ours} takes {floor / THROUGHPUT[ours, 2]:.1f}x the floor")
    print("\n" + "\n".join(lines))
