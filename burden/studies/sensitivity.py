r"""Sobol' sensitivity indices of a study's outputs (``docs/studies.md``).

The first-order index :math:`S_i = V[E(Y \mid X_i)] / V(Y)` is the share of an output's
variance explained by input :math:`i` alone; the total index :math:`S_{T_i} = E[V(Y \mid
X_{\sim i})] / V(Y)` adds every interaction involving :math:`i`. Both are estimated from the
Saltelli design (matrices :math:`A`, :math:`B` of independent points and :math:`AB_i`, which is
:math:`A` with column :math:`i` from :math:`B`) with the estimators of Saltelli et al. (2010)
(first order) and Jansen (1999) (total), as implemented by :func:`scipy.stats.sobol_indices`.

The scenarios of the design are run as one study (``sampler="saltelli"``: chunked, with a
progress bar, on either backend), and SciPy's estimator gets their outputs (its ``func``
dictionary form). Calling ``scipy.stats.sobol_indices`` with a function instead would evaluate
all ``n (d + 2)`` points in one call, which neither bounds memory nor distributes.

References
----------
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. & Tarantola, S. (2010).
Variance based sensitivity analysis of model output. Design and estimator for the total
sensitivity index. *Computer Physics Communications* 181(2), 259–270.
Jansen, M. J. W. (1999). Analysis of variance designs for model output. *Computer Physics
Communications* 117(1–2), 35–43.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from burden.studies._indices import SobolIndices, indices_of_study
from burden.studies.study import study

__all__ = ["SobolIndices", "sobol_indices"]


def sobol_indices(
    solver: Any,
    params: Mapping[str, Any],
    *,
    n: int = 1024,
    outputs: Sequence[str] | None = None,
    rng: Any = None,
    **study_options: Any,
) -> SobolIndices:
    r"""Sobol' first-order and total indices of a solver's outputs with respect to its inputs.

    Runs ``burden.study(solver, params, sampler="saltelli", n=n, ...)`` — ``n (d + 2)``
    scenarios for ``d`` varying parameters — and applies the Saltelli (2010) and Jansen (1999)
    estimators of :func:`scipy.stats.sobol_indices`. Inputs are independent: ranges are
    uniform, distributions are sampled through their inverse CDF.

    Parameters
    ----------
    solver, params
        As in :func:`burden.study`; at least one parameter must vary.
    n : int, optional
        Points per Saltelli matrix, a power of 2 (default 1024).
    outputs : list of str, optional
        Per-scenario outputs to analyse (default: all of the solver's).
    rng : None, int, Generator, optional
        Seed of the scrambled Sobol' sequence.
    **study_options
        ``chunk_size``, ``backend``, ``client``, ``progress``, ``workers`` of :func:`burden.study`.

    Returns
    -------
    SobolIndices

    Examples
    --------
    For Cobb–Douglas alliances of equal members, Nash provision ``n a w / (1 + (n - 1)(1 - a))``
    depends on both ``a`` and ``w``; the ratio to Lindahl provision only on ``a`` (derived):

    >>> import burden as bd
    >>> si = bd.sobol_indices(bd.free_riding, {"n": 5, "a": (0.2, 0.8), "w": (1.0, 2.0)},
    ...                       n=256, rng=0, outputs=["ratio"])
    >>> si.total_order.round(2)
    array([[1., 0.]])
    """
    res = study(solver, params, sampler="saltelli", n=n, rng=rng, outputs=outputs, **study_options)
    return indices_of_study(res, outputs)
