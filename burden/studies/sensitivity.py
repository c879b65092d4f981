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

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from burden._results import Result, result_class
from burden._status import Status, combine_status, status_dtype

__all__ = ["SobolIndices", "indices_of_study", "sobol_indices"]


@result_class
class SobolIndices(Result):
    """Sobol' indices of each output (batch axis) with respect to each input (core axis).

    Attributes
    ----------
    outputs, inputs : tuple of str
        Names along the two axes.
    first_order, total_order : ndarray, shape ``(len(outputs), len(inputs))``
        :math:`S_i` and :math:`S_{T_i}`.
    status : ndarray of int8, shape ``(len(outputs),)``
        The most severe status of the design's scenarios (a failed scenario leaves the
        estimator without its value), or ``NOT_FINITE`` for an output without variance.
    study : StudyResult
        The Saltelli-design study the indices come from.
    """

    _core_dims = ("input",)

    outputs: tuple[str, ...]
    inputs: tuple[str, ...]
    first_order: NDArray
    total_order: NDArray
    status: NDArray
    study: Any

    def to_frame(self, batch_names=None):
        """The indices as a :class:`pandas.DataFrame` indexed by output and input name (needs pandas).

        ``batch_names`` is accepted for the common signature and ignored: the index levels are
        ``output`` and ``input``.
        """
        import pandas as pd

        index = pd.MultiIndex.from_product([self.outputs, self.inputs], names=["output", "input"])
        return pd.DataFrame(
            {
                "first_order": self.first_order.ravel(),
                "total_order": self.total_order.ravel(),
                "status": np.repeat(self.status, len(self.inputs)),
            },
            index=index,
        )


def indices_of_study(res: Any, outputs: Sequence[str] | None = None) -> SobolIndices:
    """Sobol' indices from a study made with ``sampler="saltelli"``."""
    from scipy import stats

    if res.sampler != "saltelli":
        raise ValueError(
            f"Sobol' indices need a study with sampler='saltelli'; this one used {res.sampler!r} "
            "(or call burden.sobol_indices)"
        )
    names = list(res.outputs) if outputs is None else list(outputs)
    d = len(res.inputs)
    n = res.size // (d + 2)
    ok = np.asarray(res.status) >= 0
    Y = np.empty((len(names), res.size))
    for k, name in enumerate(names):
        y = np.asarray(res[name], dtype=float)
        if y.ndim != 1:
            raise ValueError(f"output {name!r} has one value per member: pick one ({name}[0]) or reduce it")
        Y[k] = np.where(ok, y, np.nan)
    f_AB = np.moveaxis(Y[:, 2 * n :].reshape(len(names), d, n), 1, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        indices = stats.sobol_indices(func={"f_A": Y[:, :n], "f_B": Y[:, n : 2 * n], "f_AB": f_AB}, n=n)
    first = np.asarray(indices.first_order).reshape(len(names), d)
    total = np.asarray(indices.total_order).reshape(len(names), d)
    worst = functools.reduce(combine_status, np.unique(res.status), np.asarray(Status.SUCCESS))
    finite = np.isfinite(first).all(axis=1) & np.isfinite(total).all(axis=1)
    status = np.where(finite, worst, Status.NOT_FINITE).astype(status_dtype)
    return SobolIndices(
        outputs=tuple(names),
        inputs=tuple(res.inputs),
        first_order=first,
        total_order=total,
        status=status,
        study=res,
    )


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
    from burden.studies.study import study

    res = study(solver, params, sampler="saltelli", n=n, rng=rng, outputs=outputs, **study_options)
    return indices_of_study(res, outputs)
