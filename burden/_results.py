"""Base class of every result object: frozen, read-only, picklable, comparable, tabulable.

A result is a frozen dataclass of arrays declared with :func:`result_class`. Conventions:

* every result has a ``status`` field of shape ``batch_shape`` from the one vocabulary of
  :class:`burden.Status` (``docs/status.md``), so ``batch_shape`` is ``status.shape`` (declared,
  not guessed) and ``success`` is ``status >= 0``;
* per-member (per-equilibrium, ...) fields have shape ``batch_shape + core_shape``, the core
  axes being named by ``_core_dims``; fields may carry further trailing axes of their own;
* array fields are made read-only, so a result cannot be changed behind its solver's back;
* names starting with ``_`` are private (kept for derived quantities, not shown or compared);
  ``_derived`` names cached properties computed on first use, shown and tabulated like fields,
  so big batches do not pay for outputs nobody reads;
* ``==`` compares the type and every public field (NaN equal to NaN) and returns a bool;
* results pickle (no closures are stored), so they travel between processes and machines.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

__all__ = ["Result", "result_class"]

_MAX_SHOWN = 24  # arrays with more elements are summarised by shape in repr

#: the decorator every result class uses: frozen, with the base's repr and comparison
result_class = functools.partial(dataclasses.dataclass, frozen=True, repr=False, eq=False)


def _describe(value: Any, indent: int) -> str:
    if isinstance(value, Result):
        return f"<{type(value).__name__} of batch shape {value.batch_shape}>"
    if isinstance(value, np.ndarray):
        if value.size <= _MAX_SHOWN:
            text = np.array2string(value, precision=6, suppress_small=True, separator=", ")
            return text.replace("\n", "\n" + " " * indent)  # continuation rows under the first
        return f"<{value.dtype} array of shape {value.shape}>"
    return repr(value)


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return False
        inexact = np.issubdtype(a.dtype, np.inexact) and np.issubdtype(b.dtype, np.inexact)
        return bool(np.array_equal(a, b, equal_nan=inexact))
    return bool(a == b)


@result_class
class Result:
    """Base of every result: aligned ``repr``, ``==``, ``success``, ``batch_shape``, ``to_frame()``."""

    _core_dims: ClassVar[tuple[str, ...]] = ()
    _derived: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False

    def _public_names(self) -> list[str]:
        return [f.name for f in dataclasses.fields(self) if not f.name.startswith("_")]

    def _fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (*self._public_names(), *self._derived)}

    def __repr__(self) -> str:
        fields = self._fields()
        width = max((len(k) for k in fields), default=0)
        lines = [f"{type(self).__name__}("]
        lines += [f"  {k.rjust(width)}: {_describe(v, width + 4)}" for k, v in fields.items()]
        return "\n".join(lines) + "\n)"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(_equal(getattr(self, n), getattr(other, n)) for n in self._public_names())

    __hash__ = None  # type: ignore[assignment]  # results hold arrays: equal ones need not hash alike

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the leading scenario axes (the shape of ``status``)."""
        return np.shape(self.status)  # type: ignore[attr-defined]

    @property
    def success(self) -> NDArray[np.bool_]:
        """Where the answer is certified: ``status >= 0`` (see :class:`burden.Status`)."""
        return np.asarray(self.status) >= 0  # type: ignore[attr-defined]

    def to_frame(self, batch_names: Sequence[str] | None = None):
        """Return the result as a tidy :class:`pandas.DataFrame` (requires pandas).

        One row per scenario and core index (e.g. per scenario and member). The index has one
        labelled level per batch axis (``batch_names``; default ``scenario`` for one axis,
        ``scenario_0, scenario_1, ...`` for several) and one per core axis (e.g. ``member``).
        Every array field is a column; per-scenario fields repeat along the core axes, and a
        field with trailing axes of its own becomes one column per entry (``payoffs[0]``, ...).

        Examples
        --------
        >>> import burden as bd
        >>> bd.nash([[100.0, 80.0], [100.0, 40.0]], bd.CobbDouglas(0.5)).to_frame()[["g", "G"]]
                           g      G
        scenario member
        0        0      40.0   60.0
                 1      20.0   60.0
        1        0      50.0   50.0
                 1       0.0   50.0
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_frame() needs pandas: pip install 'burden[data]'") from exc
        batch = self.batch_shape
        nb = len(batch)
        if batch_names is None:
            batch_names = ["scenario"] if nb == 1 else [f"scenario_{k}" for k in range(nb)]
        elif len(batch_names) != nb:
            raise ValueError(
                f"`batch_names` must have {nb} names for batch shape {batch}; got {batch_names!r}"
            )
        arrays = {
            name: np.asarray(value)
            for name, value in self._fields().items()
            if isinstance(value, (np.ndarray, np.generic, int, float, bool))
        }
        core = self._core_shape(arrays.values(), batch)
        shape = batch + core
        levels = list(batch_names) + list(self._core_dims[: len(core)])
        columns: dict[str, NDArray] = {}
        for name, value in arrays.items():
            if value.shape[:nb] != batch:
                value = np.broadcast_to(value, batch + value.shape)  # a constant of the whole batch
            rest = value.shape[nb:]
            if core and rest[: len(core)] == core:
                extra = rest[len(core) :]
            else:  # per scenario: repeat along the core axes
                extra = rest
                value = np.expand_dims(value, tuple(range(nb, nb + len(core))))
            value = np.broadcast_to(value, shape + extra)
            for entry in itertools.product(*(range(k) for k in extra)):
                label = name if not extra else f"{name}[{','.join(map(str, entry))}]"
                columns[label] = value[(Ellipsis, *entry)].reshape(-1)
        if levels:
            index = pd.MultiIndex.from_product([range(k) for k in shape], names=levels)
            if len(levels) == 1:
                index = index.get_level_values(0)
        else:
            index = pd.RangeIndex(1)
        return pd.DataFrame(columns, index=index)

    def _core_shape(self, arrays, batch: tuple[int, ...]) -> tuple[int, ...]:
        ncore = len(self._core_dims)
        if not ncore:
            return ()
        for value in arrays:
            if value.ndim >= len(batch) + ncore and value.shape[: len(batch)] == batch:
                return value.shape[len(batch) : len(batch) + ncore]
        return ()
