"""Base class for result objects: frozen dataclasses of arrays with an aligned repr.

Subclasses declare their fields as a frozen dataclass and set ``_core_dims``, the names of
the trailing "core" axes of their per-member fields (e.g. ``("member",)``). Fields whose
names start with ``_`` are private (kept for derived quantities, not shown); ``_derived``
names properties (typically ``functools.cached_property``) that are computed on first use
but shown and tabulated like fields, so big batches do not pay for outputs nobody reads.
Every field has
shape ``batch_shape`` (a per-scenario quantity) or ``batch_shape + core_shape`` (a
per-member quantity); :meth:`Result.to_frame` lays both out as one tidy table.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import numpy as np

__all__ = ["Result"]

_MAX_SHOWN = 24  # arrays with more elements are summarised by shape in repr


def _describe(value: Any, indent: int) -> str:
    if isinstance(value, np.ndarray):
        if value.size <= _MAX_SHOWN:
            text = np.array2string(value, precision=6, suppress_small=True, separator=", ")
            return text.replace("\n", "\n" + " " * indent)  # continuation rows under the first
        return f"<{value.dtype} array of shape {value.shape}>"
    return repr(value)


@dataclasses.dataclass(frozen=True, repr=False)
class Result:
    """Frozen dataclass base with an aligned ``__repr__``, ``summary()`` and ``to_frame()``."""

    _core_dims: ClassVar[tuple[str, ...]] = ()
    _derived: ClassVar[tuple[str, ...]] = ()

    def _fields(self) -> dict[str, Any]:
        public = [f.name for f in dataclasses.fields(self) if not f.name.startswith("_")]
        return {name: getattr(self, name) for name in (*public, *self._derived)}

    def __repr__(self) -> str:
        fields = self._fields()
        width = max((len(k) for k in fields), default=0)
        lines = [f"{type(self).__name__}("]
        lines += [f"  {k.rjust(width)}: {_describe(v, width + 4)}" for k, v in fields.items()]
        return "\n".join(lines) + "\n)"

    def summary(self) -> str:
        """Return the aligned, human-readable description printed by ``repr``."""
        return repr(self)

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the leading scenario axes."""
        core = len(self._core_dims)
        # stored fields only: reading a derived one would compute it
        stored = (getattr(self, f.name) for f in dataclasses.fields(self) if not f.name.startswith("_"))
        shapes = [np.shape(v) for v in stored if isinstance(v, np.ndarray)]
        longest = max(shapes, key=len, default=())
        return tuple(longest[: len(longest) - core]) if core else tuple(longest)

    def to_frame(self):
        """Return the result as a tidy :class:`pandas.DataFrame` (requires pandas).

        One row per scenario and core index (e.g. per scenario and member); per-scenario
        fields are repeated along the core axes. Index columns are ``scenario`` (flat
        position in the batch) and the core dimension names.
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_frame() needs pandas: pip install 'burden[data]'") from exc
        batch = self.batch_shape
        full_shape = None
        columns: dict[str, np.ndarray] = {}
        for name, value in self._fields().items():
            if not isinstance(value, np.ndarray):
                continue
            if value.shape[: len(batch)] != batch:
                continue
            core_ndim = value.ndim - len(batch)
            if full_shape is None and core_ndim == len(self._core_dims):
                full_shape = value.shape
            columns[name] = value
        if full_shape is None:
            full_shape = batch
        data: dict[str, np.ndarray] = {}
        grids = np.indices(full_shape).reshape(len(full_shape), -1) if full_shape else np.zeros((0, 1), int)
        n_batch = len(batch)
        data["scenario"] = (
            np.ravel_multi_index(tuple(grids[:n_batch]), batch) if n_batch else np.zeros(grids.shape[1], int)
        )
        for dim, grid in zip(self._core_dims, grids[n_batch:], strict=False):
            data[dim] = grid
        for name, value in columns.items():
            extra = len(full_shape) - value.ndim
            if extra < 0 or value.shape != tuple(full_shape[: value.ndim]):
                continue  # a field with its own core shape (e.g. per equilibrium) is left out
            data[name] = np.broadcast_to(value.reshape(value.shape + (1,) * extra), full_shape).ravel()
        return pd.DataFrame(data)
