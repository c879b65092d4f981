"""Benchmark: parameter studies of 10-member Cobb–Douglas alliances.

Every scenario: ``n = 10`` members with log-normal mid-quantile wealth (``sigma`` in [0, 1]) and
a Cobb–Douglas share ``a`` in [0.2, 0.8], solved by ``burden.nash``; the study keeps ``G``.
Baselines measured in the same run:

* **throughput** — scenarios/s of the numpy backend (one thread, and two), of the Dask backend
  on a two-worker ``LocalCluster`` (processes, loopback; cluster start-up timed apart), and of
  a plain loop of single-scenario ``burden.nash`` calls (what a user writes without ``study``);
* **per-chunk overhead** — the study against one direct ``burden.nash`` call on the same
  ``(N, 10)`` batch built from the study's inputs (target: under 5 % at the default chunk size);
* **10**7 scenarios** (``slow``) — in a fresh process, with the progress bar, in memory and
  streamed to disk: peak resident memory (target: under 1.5 GiB).

Run with ``python -m pytest benchmarks/bench_studies.py --benchmark-enable -s -m "slow or not slow"``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from scipy.special import ndtri

import burden as bd
from burden.studies import DEFAULT_CHUNK_SIZE

PARAMS = {"n": 10, "a": (0.2, 0.8), "sigma": (0.0, 1.0)}
N_STUDY, N_LOOP = 2**21, 2000


def _study(n=N_STUDY, **kwargs):
    return bd.study(bd.nash, PARAMS, sampler="random", n=n, rng=2026, outputs=["G"], progress=False, **kwargs)


def _direct_inputs(res):
    z = ndtri(1.0 - (np.arange(10) + 0.5) / 10)
    return np.exp(res["sigma"][:, None] * z), bd.CobbDouglas(res["a"][:, None])


def test_throughput(benchmark, best_of):
    res = benchmark.pedantic(_study, rounds=3, iterations=1, warmup_rounds=1)
    numpy_one = best_of(_study)
    numpy_two = best_of(lambda: _study(workers=2))

    from distributed import Client, LocalCluster

    start = time.perf_counter()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None)
    client = Client(cluster)
    startup = time.perf_counter() - start
    try:
        _study(n=2**16, backend="dask", client=client)  # workers import burden and compile
        dask_time = best_of(lambda: _study(backend="dask", client=client))
        assert _study(backend="dask", client=client) == res
    finally:
        client.close()
        cluster.close()

    w, _ = _direct_inputs(res)
    start = time.perf_counter()
    for k in range(N_LOOP):
        bd.nash(w[k], bd.CobbDouglas(res["a"][k]))
    loop_rate = N_LOOP / (time.perf_counter() - start)
    rates = {
        "numpy, 1 thread": N_STUDY / numpy_one,
        "numpy, 2 threads": N_STUDY / numpy_two,
        "dask LocalCluster, 2 processes": N_STUDY / dask_time,
        "loop of single bd.nash calls": loop_rate,
    }
    print(f"\n{N_STUDY} scenarios, n = 10, chunk {DEFAULT_CHUNK_SIZE}; LocalCluster start-up {startup:.2f} s")
    for name, rate in rates.items():
        print(f"  {name:32s} {rate:12,.0f} scenarios/s  ({rate / loop_rate:8.1f}x the loop)")


#: wealth w_i = w exp(0.5 z_i): the same spread everywhere, scaled per scenario, so building a
#: chunk's wealth is one multiplication and the overhead measured is the study's own
#: (sampling, dispatch, output extraction, storage)
OVERHEAD_PARAMS = {"n": 10, "a": (0.2, 0.8), "w": (0.5, 2.0), "sigma": 0.5}


def _overhead(best_of, label, run, w, prefs_of, repeat=7):
    """Print the study's time against direct bd.nash calls: one call, and one call per chunk.

    The three are timed in turn, ``repeat`` times, and the best of each kept, so that load from
    other processes on the machine hits all three alike.
    """
    chunks = [slice(k, k + DEFAULT_CHUNK_SIZE) for k in range(0, len(w), DEFAULT_CHUNK_SIZE)]
    candidates = {
        "study": run,
        "direct": lambda: bd.nash(w, prefs_of(slice(None))),
        "per_chunk": lambda: [bd.nash(w[part], prefs_of(part)) for part in chunks],
    }
    best = dict.fromkeys(candidates, np.inf)
    for _ in range(repeat):
        for name, function in candidates.items():
            best[name] = min(best[name], best_of(function, repeat=1))
    studied, direct, per_chunk = best["study"], best["direct"], best["per_chunk"]
    print(
        f"\n{label}: study {studied:.3f} s; one direct bd.nash call {direct:.3f} s "
        f"({100 * (studied / direct - 1):+.1f} %); direct calls on the same {len(chunks)} chunks of "
        f"{DEFAULT_CHUNK_SIZE} {per_chunk:.3f} s (overhead {100 * (studied / per_chunk - 1):+.1f} %)"
    )


def test_chunk_overhead(best_of):
    def run():
        return bd.study(
            bd.nash, OVERHEAD_PARAMS, sampler="random", n=N_STUDY, rng=3, outputs=["G"], progress=False
        )

    res = run()
    z = ndtri(1.0 - (np.arange(10) + 0.5) / 10)
    w, a = res["w"][:, None] * np.exp(0.5 * z), res["a"][:, None]
    np.testing.assert_allclose(bd.nash(w, bd.CobbDouglas(a)).G, res["G"], rtol=1e-14)
    _overhead(best_of, "sigma constant", run, w, lambda part: bd.CobbDouglas(a[part]))
    # With the spread varying per scenario, the study also builds each chunk's wealth (n exps
    # per scenario): part of the model, reported apart.
    res = _study()
    w, _ = _direct_inputs(res)
    a = res["a"][:, None]
    _overhead(
        best_of, "sigma varying (wealth built per chunk)", _study, w, lambda part: bd.CobbDouglas(a[part])
    )


_SCRIPT = """
import sys, time
import burden as bd
params = {"n": 10, "a": (0.2, 0.8), "sigma": (0.0, 1.0)}
path = sys.argv[1] if len(sys.argv) > 1 else None
start = time.perf_counter()
res = bd.study(bd.nash, params, sampler="sobol", n=10**7, rng=1, outputs=["G", "contributors.sum"],
               progress=True, path=path)
seconds = time.perf_counter() - start
# VmHWM: this process's peak resident memory (getrusage's ru_maxrss would carry over the
# parent's peak from before the exec)
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(res.size, int((res.status != 0).sum()), f"{seconds:.1f}", peak)
"""


@pytest.mark.slow
@pytest.mark.parametrize("to_disk", [False, True], ids=["memory", "disk"])
def test_ten_million_scenarios_peak_memory(tmp_path, to_disk):
    argv = [sys.executable, "-W", "ignore::UserWarning", "-c", textwrap.dedent(_SCRIPT)]
    if to_disk:
        argv.append(str(tmp_path / "study"))
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout.split()
    size, failed, seconds, peak_kib = int(out[0]), int(out[1]), float(out[2]), int(out[3])
    peak_gib = peak_kib / 2**20
    print(
        f"\n10**7 scenarios ({'streamed to disk' if to_disk else 'in memory'}): {seconds} s, "
        f"{size / seconds:,.0f} scenarios/s, peak RSS {peak_gib:.2f} GiB, {failed} failed"
    )
    assert size == 10**7 and failed == 0
    assert peak_gib < 1.5
