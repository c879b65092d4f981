"""Parameters and samplers of a study: which scenario gets which inputs (``docs/studies.md``).

A :class:`Design` maps a scenario's position ``k`` (0 ≤ k < size) to its inputs, and does so
the same way whatever chunk ``k`` falls in, so a study does not depend on its chunk size or
backend:

* ``grid``: ``k`` is unravelled (C order, first parameter slowest) over the axes' grids;
* ``random``: uniform numbers are drawn per fixed block of :data:`BLOCK` scenarios, block ``b``
  from its own stream (the ``b``-th child of the study's seed sequence, as ``spawn`` would make
  it), and a chunk draws the blocks it overlaps;
* ``sobol``: one scrambled Sobol' sequence, skipped ahead to the chunk's first point;
* ``latin_hypercube``: drawn once for the whole study (a Latin hypercube is a joint property of
  all its points) and sliced;
* ``saltelli``: the matrices ``A``, ``B`` and ``AB_i`` of the Saltelli design, from one
  ``2d``-dimensional scrambled Sobol' sequence, laid out as ``[A; B; AB_1; ...; AB_d]``.

Points of the unit cube become parameter values by each axis' transform: ``low + u (high -
low)`` for a range, ``values[floor(u k)]`` for ``k`` discrete values, the inverse CDF for a
distribution.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from burden._warnings import BurdenWarning

__all__ = ["BLOCK", "SAMPLERS", "Axis", "Design", "StudyWarning", "design_iv"]

#: scenarios per random-number block, the unit of the ``random`` sampler's streams: large
#: enough that seeding a block's stream (about 0.3 ms) is negligible next to solving it
BLOCK = 2**14

SAMPLERS = ("grid", "random", "sobol", "latin_hypercube", "saltelli")


class StudyWarning(BurdenWarning):
    """A study's set-up is valid but suspicious (e.g. a Sobol' sample that is not a power of 2)."""


@dataclasses.dataclass(frozen=True, eq=False)
class Axis:
    """One varying parameter: a ``range`` (low, high), discrete ``values`` or a ``distribution``."""

    name: str
    kind: str
    low: float = 0.0
    high: float = 1.0
    values: NDArray | None = None
    dist: Any = None

    def from_unit(self, u: NDArray) -> NDArray:
        """Map points ``u`` of [0, 1) to parameter values."""
        if self.kind == "range":
            return self.low + u * (self.high - self.low)
        if self.kind == "values":
            index = np.minimum((u * len(self.values)).astype(np.intp), len(self.values) - 1)
            return self.values[index]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.asarray(_inverse_cdf(self.dist)(u), dtype=float)

    def grid(self, n: int | None) -> NDArray:
        """Grid values: the values themselves, ``n`` even points of a range, or ``n`` mid-quantiles."""
        if self.kind == "values":
            return self.values
        if self.kind == "range":
            return np.linspace(self.low, self.high, n)
        return self.from_unit((np.arange(n) + 0.5) / n)

    def describe(self) -> str:
        if self.kind == "range":
            return f"({self.low:g}, {self.high:g})"
        if self.kind == "values":
            return f"{len(self.values)} values"
        return repr(self.dist)


def _inverse_cdf(dist: Any):
    return dist.ppf if hasattr(dist, "ppf") else dist.icdf


def _is_distribution(value: Any) -> bool:
    return callable(getattr(value, "ppf", None)) or callable(getattr(value, "icdf", None))


def _axis(name: str, value: Any) -> Axis | None:
    """The axis of one ``params`` entry, or ``None`` for a constant."""
    if _is_distribution(value):
        return Axis(name, "distribution", dist=value)
    if isinstance(value, tuple):
        if len(value) != 2 or not all(isinstance(v, numbers.Real) for v in value):
            raise ValueError(
                f"`params[{name!r}]`: a tuple is a range (low, high) of two numbers; got {value!r} "
                "(use a list for discrete values)"
            )
        low, high = float(value[0]), float(value[1])
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise ValueError(f"`params[{name!r}]`: a range needs finite low < high; got {value!r}")
        return Axis(name, "range", low=low, high=high)
    if isinstance(value, (list, range, np.ndarray)):
        values = np.asarray(value)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(
                f"`params[{name!r}]`: discrete values must be a non-empty 1-D list; got shape {values.shape}"
            )
        if not (np.issubdtype(values.dtype, np.number) or values.dtype == bool):
            raise TypeError(f"`params[{name!r}]`: discrete values must be numbers; got dtype {values.dtype}")
        if np.issubdtype(values.dtype, np.inexact) and not np.all(np.isfinite(values)):
            raise ValueError(f"`params[{name!r}]`: discrete values must be finite")
        return Axis(name, "values", values=values)
    if isinstance(value, (numbers.Number, np.generic, str)):
        return None
    raise TypeError(
        f"`params[{name!r}]` must be a number (constant), a (low, high) tuple, a list of values or a "
        f"frozen scipy.stats distribution; got {type(value).__name__}"
    )


def _fresh(seed: np.random.SeedSequence) -> np.random.Generator:
    """A generator of its own from ``seed``: scipy's engines spawn from the generator they get,
    which would change a shared seed sequence (and so the next chunk's scramble)."""
    return np.random.default_rng(seed.generate_state(4))


def _count_iv(n: Any, name: str = "n") -> int:
    if isinstance(n, bool) or not isinstance(n, (numbers.Integral, np.integer)) or n < 1:
        raise ValueError(f"`{name}` must be a positive integer; got {n!r}")
    return int(n)


@dataclasses.dataclass(frozen=True, eq=False)
class Design:
    """Which scenario gets which inputs; picklable and cheap to send to workers.

    ``size`` scenarios; ``inputs(start, stop)`` gives the varying inputs of scenarios
    ``start..stop-1`` (plus the constants), identical whatever the chunking.
    """

    axes: tuple[Axis, ...]
    constants: dict[str, Any]
    sampler: str
    size: int
    grid_points: tuple[NDArray, ...] = ()
    seed: np.random.SeedSequence | None = None
    points: NDArray | None = None  # latin_hypercube only; removed by `without_points`
    n_base: int = 0  # saltelli: points per matrix

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(axis.name for axis in self.axes)

    @property
    def grid_shape(self) -> tuple[int, ...] | None:
        return tuple(len(g) for g in self.grid_points) if self.sampler == "grid" else None

    def without_points(self) -> Design:
        """This design without the pre-drawn points (they travel per chunk instead)."""
        return dataclasses.replace(self, points=None)

    def chunk_points(self, start: int, stop: int) -> NDArray | None:
        return None if self.points is None else self.points[start:stop]

    def inputs(self, start: int, stop: int, points: NDArray | None = None) -> dict[str, NDArray]:
        """Varying inputs of scenarios ``start..stop-1`` (each shape ``(stop - start,)``)."""
        if self.sampler == "grid":
            if not self.axes:  # constants only: the one scenario they make
                return {}
            index = np.unravel_index(np.arange(start, stop), self.grid_shape)
            return {a.name: g[i] for a, g, i in zip(self.axes, self.grid_points, index, strict=True)}
        if self.sampler == "latin_hypercube":
            u = self.points[start:stop] if points is None else points
        elif self.sampler == "random":
            u = self._random(start, stop)
        elif self.sampler == "sobol":
            u = self._sobol(len(self.axes), start, stop)
        else:
            u = self._saltelli(start, stop)
        return {axis.name: axis.from_unit(u[:, j]) for j, axis in enumerate(self.axes)}

    def _random(self, start: int, stop: int) -> NDArray:
        first, last = start // BLOCK, (stop - 1) // BLOCK
        d = len(self.axes)
        blocks = [
            np.random.Generator(np.random.PCG64(self._block_seed(b))).random((BLOCK, d))
            for b in range(first, last + 1)
        ]
        offset = first * BLOCK
        return np.concatenate(blocks)[start - offset : stop - offset]

    def _block_seed(self, block: int) -> np.random.SeedSequence:
        # The `block`-th child of the study's seed sequence, exactly as `seed.spawn` numbers
        # them, without spawning (and keeping) one child per block.
        return np.random.SeedSequence(
            self.seed.entropy, spawn_key=(*self.seed.spawn_key, block), pool_size=self.seed.pool_size
        )

    def _sobol(self, d: int, start: int, stop: int) -> NDArray:
        from scipy.stats import qmc

        engine = qmc.Sobol(d, scramble=True, rng=_fresh(self.seed))
        if start:  # scipy's fast_forward(0) overflows
            engine.fast_forward(start)
        with warnings.catch_warnings():
            # scipy warns when a call draws a non-power-of-2 count; the study as a whole is
            # checked once instead (see `design_iv`), chunks are only slices of it.
            warnings.filterwarnings("ignore", "The balance properties", UserWarning)
            return engine.random(stop - start)

    def _saltelli(self, start: int, stop: int) -> NDArray:
        d, n = len(self.axes), self.n_base
        parts = []
        for segment in range(start // n, (stop - 1) // n + 1):
            lo, hi = max(start, segment * n) - segment * n, min(stop, (segment + 1) * n) - segment * n
            ab = self._sobol(2 * d, lo, hi)
            A, B = ab[:, :d], ab[:, d:]
            if segment == 0:
                parts.append(A)
            elif segment == 1:
                parts.append(B)
            else:  # AB_i: A with column i taken from B
                i = segment - 2
                parts.append(np.concatenate([A[:, :i], B[:, i : i + 1], A[:, i + 1 :]], axis=1))
        return np.concatenate(parts)


def design_iv(params: Mapping[str, Any], sampler: str, n: Any, rng: Any, *, stacklevel: int = 3) -> Design:
    """Validate ``params``, ``sampler``, ``n`` and ``rng`` of :func:`burden.study`; build the design."""
    if not isinstance(params, Mapping):
        raise TypeError(f"`params` must be a mapping of names to values; got {type(params).__name__}")
    if sampler not in SAMPLERS:
        raise ValueError(f"`sampler` must be one of {', '.join(map(repr, SAMPLERS))}; got {sampler!r}")
    axes, constants = [], {}
    for name, value in params.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"`params` keys must be non-empty strings; got {name!r}")
        axis = _axis(name, value)
        if axis is None:
            constants[name] = value
        else:
            axes.append(axis)
    axes = tuple(axes)
    generator = np.random.default_rng(rng)
    if sampler == "grid":
        continuous = [a.name for a in axes if a.kind != "values"]
        if continuous and n is None:
            raise ValueError(f"`n` (grid points per range or distribution) is needed for {continuous[0]!r}")
        if n is not None and not continuous:
            raise ValueError(
                "`n` sets the grid points of ranges and distributions, and `params` has none "
                "(a grid over discrete values runs each combination once): leave `n` out"
            )
        points = tuple(a.grid(None if n is None else _count_iv(n)) for a in axes)
        return Design(axes, constants, sampler, math.prod(len(p) for p in points), grid_points=points)
    if not axes:
        raise ValueError(f"the {sampler!r} sampler needs at least one varying parameter in `params`")
    n = _count_iv(n)
    if sampler in ("sobol", "saltelli") and n & (n - 1):
        warnings.warn(
            f"`n` = {n} is not a power of 2: Sobol' points keep their balance properties only "
            "for powers of 2",
            StudyWarning,
            stacklevel=stacklevel,
        )
    # One child stream for the design, so a Generator passed by the user is used once and
    # deterministically (SPEC 7); blocks and scrambles derive from it.
    seed = generator.spawn(1)[0].bit_generator.seed_seq
    if sampler == "latin_hypercube":
        from scipy.stats import qmc

        points = qmc.LatinHypercube(len(axes), rng=_fresh(seed)).random(n)
        return Design(axes, constants, sampler, n, seed=seed, points=points)
    if sampler == "saltelli":
        return Design(axes, constants, sampler, n * (len(axes) + 2), seed=seed, n_base=n)
    return Design(axes, constants, sampler, n, seed=seed)
