"""Sobol' indices from the outputs of a Saltelli-design study (``docs/studies.md``)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from burden._results import Result, result_class
from burden._status import Status, combine_status, status_dtype

__all__ = ["SobolIndices", "indices_of_study"]


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
    first = np.asarray(indices.first_order, dtype=float).reshape(len(names), d)
    total = np.asarray(indices.total_order, dtype=float).reshape(len(names), d)
    # SciPy's estimators return 0, not NaN, from samples with a NaN in them
    missing = np.isnan(Y).any(axis=1)
    first[missing] = np.nan
    total[missing] = np.nan
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
