"""Benchmark: structural Nash fits on a 30-ally x 60-year panel, and a 1000-replication bootstrap.

Baselines measured in the same run, on the same panel:

* **fit** — ``burden.estimation.fit`` (per-country Cobb-Douglas shares and a spill-in theta;
  target: under one second) against the same ``scipy.optimize.least_squares`` problem with
  scipy's own finite-difference Jacobian (one predictor call per parameter, instead of one
  batched call for all of them).
* **bootstrap** — 1000 residual-bootstrap replications refitted by the batched projected
  Levenberg-Marquardt (every step one batched solver call for a chunk of replications) against a
  loop of ``least_squares`` fits, one per replication (timed on ``N_LOOP`` and scaled).

Run with ``python -m pytest benchmarks/bench_estimation.py --benchmark-enable -s``.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from scipy import optimize

import burden as bd

pd = pytest.importorskip("pandas")

from burden.estimation._structural import _residuals, bootstrap_params, bootstrap_samples  # noqa: E402

N_ALLIES, N_YEARS, N_BOOT, N_LOOP = 30, 60, 1000, 20


def _panel(theta):
    rng = np.random.default_rng(2026)
    a = rng.uniform(0.2, 0.4, N_ALLIES)
    w = rng.uniform(5.0, 10.0, (N_YEARS, N_ALLIES))
    res = bd.nash(w, bd.CobbDouglas(a), spillover=theta)
    q = (res.g if hasattr(res, "g") else res.q) * np.exp(rng.normal(0, 0.02, w.shape))
    return pd.DataFrame(
        {
            "country": np.tile([f"C{i:02d}" for i in range(N_ALLIES)], N_YEARS),
            "year": np.repeat(np.arange(N_YEARS), N_ALLIES),
            "spending": q.ravel(),
            "income": w.ravel(),
        }
    )


@pytest.fixture(scope="module")
def panel():
    return _panel(0.1)


@pytest.mark.parametrize("method", ["best-response", "equilibrium"])
def test_fit_per_country(benchmark, panel, method):
    res = benchmark.pedantic(
        bd.estimation.fit,
        args=(panel,),
        kwargs={"method": method, "spillover": "estimate"},
        rounds=3,
        iterations=1,
        warmup_rounds=1,
    )
    assert res.status == bd.Status.SUCCESS


def test_ratios(panel, best_of):
    lines = []
    for method in ("best-response", "equilibrium"):
        fits = []
        ours = best_of(
            lambda m=method, out=fits: out.append(bd.estimation.fit(panel, method=m, spillover="estimate"))
        )
        res = fits[-1]
        spec = res._spec
        lo, hi = spec.bounds()

        def scipy_fit(spec=spec, lo=lo, hi=hi):
            return optimize.least_squares(
                lambda x: _residuals(spec, x[None])[0],
                spec.start(),
                bounds=(lo, hi),
                x_scale="jac",
                tr_solver="lsmr",
            )

        solutions = []
        theirs = best_of(lambda f=scipy_fit, out=solutions: out.append(f()))
        sol = solutions[-1]
        np.testing.assert_allclose(sol.x, res.params, atol=1e-4)
        lines.append(
            f"  {method}: burden.estimation.fit {ours:.3f} s; least_squares with scipy's finite "
            f"differences {theirs:.3f} s -> {theirs / ours:.1f}x"
        )

    res = bd.estimation.fit(panel, spillover="estimate")
    spec = res._spec
    batched = best_of(lambda: bootstrap_params(spec, res.params, N_BOOT, rng=1), repeat=1)
    samples = bootstrap_samples(spec, res.params, N_LOOP, np.random.default_rng(1))
    lo, hi = spec.bounds()
    loops = {}
    for name, jac in (("scipy finite differences", "2-point"), ("burden's grouped Jacobian", _jacobian_one)):
        start = time.perf_counter()
        for b in range(N_LOOP):
            optimize.least_squares(
                lambda x, b=b: _residuals(spec, x[None], samples[b][None])[0],
                res.params,
                jac=jac if isinstance(jac, str) else (lambda x, b=b, jac=jac: jac(spec, x, samples[b])),
                bounds=(lo, hi),
                x_scale="jac",
                tr_solver="lsmr",
            )
        loops[name] = (time.perf_counter() - start) / N_LOOP * N_BOOT
    print(
        f"\nPer-country Cobb-Douglas Nash fit with spill-in, {N_ALLIES} allies x {N_YEARS} years "
        f"({len(res.params)} parameters, {res.nobs} observations):\n"
        + "\n".join(lines)
        + f"\n  bootstrap, {N_BOOT} replications: batched LM (32 per batch) {batched:.2f} s"
        + "".join(
            f"\n    loop of least_squares with {name} ({N_LOOP} timed, scaled): {t:.2f} s "
            f"-> {t / batched:.1f}x"
            for name, t in loops.items()
        )
    )


def _jacobian_one(spec, x, sample):
    from burden.estimation._structural import _jacobian

    return _jacobian(spec, x[None], sample[None])[1][0]
