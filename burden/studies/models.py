r"""How a study's scenario parameters become solver calls (``docs/studies.md``).

A *model* turns the inputs of one chunk of scenarios (a dict of 1-D arrays, plus the
constants) into the chunk's outputs (a dict of arrays of the same length, with ``status``).
:func:`burden.study` accepts

* a burden public-goods solver (:func:`burden.nash`, :func:`burden.lindahl`,
  :func:`burden.free_riding`), wrapped in :class:`Alliance`;
* an :class:`Alliance` (or any object with ``__call__(inputs, outputs)`` and ``check(names)``);
* any function of arrays ``f(**params)`` returning a burden result, a dict of arrays or one
  array: it is called once per chunk with each varying parameter as a 1-D array of the chunk's
  scenarios and each constant as given.

Outputs are named fields of the result. ``field.sum`` (``mean``, ``min``, ``max``, ``std``)
reduces a per-member (per-equilibrium, ...) field over the entries present (NaN entries, which
results use to pad unused slots, are skipped), ``field[i]`` takes member ``i``
(``NaN`` where the alliance has fewer members), and ``a.b`` reads field ``b`` of a nested
result ``a`` (e.g. ``nash.G`` of :func:`burden.free_riding`).
"""

from __future__ import annotations

import inspect
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from burden._results import Result
from burden._status import Status, status_dtype
from burden.preferences import CobbDouglas, Preferences
from burden.publicgoods import free_riding, lindahl, nash

__all__ = ["Alliance", "FunctionModel", "as_model", "extract_outputs"]

# NaN-aware: results pad unused slots (equilibria of a game, members of a smaller alliance)
# with NaN, and a reduction runs over the entries present.
_REDUCTIONS = {"sum": np.nansum, "mean": np.nanmean, "min": np.nanmin, "max": np.nanmax, "std": np.nanstd}
_INDEX = re.compile(r"^(.+)\[(-?\d+)\]$")


def _lookup(source: Any, name: str) -> Any:
    if isinstance(source, Mapping):
        if name not in source:
            raise KeyError(name)
        return source[name]
    if isinstance(source, Result) and name in {*source._public_names(), *source._derived}:
        return getattr(source, name)
    raise KeyError(name)


def _field(source: Any, name: str, size: int) -> NDArray:
    """One output of ``source`` by name (``a.b`` nesting, ``x.sum`` reductions, ``x[i]``)."""
    match = _INDEX.match(name)
    if match:
        values = np.asarray(_field(source, match[1], size))
        i = int(match[2])
        if values.ndim < 2:
            raise ValueError(f"output {name!r}: {match[1]!r} has no member axis to index")
        if -values.shape[1] <= i < values.shape[1]:
            return values[:, i]
        return np.full(size, np.nan)
    head, _, tail = name.rpartition(".")
    if head and tail in _REDUCTIONS:
        values = np.asarray(_field(source, head, size))
        if values.ndim < 2:
            raise ValueError(f"output {name!r}: {head!r} has no member axis to reduce")
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            # an all-NaN row (no entry present) gives NaN, which is the answer, not a problem
            warnings.simplefilter("ignore", RuntimeWarning)
            return _REDUCTIONS[tail](values, axis=tuple(range(1, values.ndim)))
    value = source
    for part in name.split("."):
        try:
            value = _lookup(value, part)
        except KeyError:
            raise ValueError(f"unknown output {name!r}: the result has {_available(value)}") from None
    return value


def _available(source: Any) -> str:
    if isinstance(source, Mapping):
        names = list(source)
    elif isinstance(source, Result):
        names = [*source._public_names(), *source._derived]
    else:
        return "no fields"
    return "fields " + ", ".join(names)


def _default_outputs(source: Any, size: int) -> list[str]:
    """Every numeric per-scenario field (shape ``(size,)``), in declaration order.

    A study of constants only is one scenario, whose solver sees scalars: there a scalar (or
    0-d) field counts too.
    """
    if isinstance(source, Mapping):
        items = source.items()
    else:
        items = ((name, getattr(source, name)) for name in source._public_names())
    shapes = [(size,), ()] if size == 1 else [(size,)]
    return [
        name
        for name, value in items
        if name != "status"
        and isinstance(value, (np.ndarray, np.number, int, float))
        and np.shape(value) in shapes
        and (np.issubdtype(np.asarray(value).dtype, np.number) or np.asarray(value).dtype == bool)
    ]


def extract_outputs(result: Any, outputs: Sequence[str] | None, size: int) -> dict[str, NDArray]:
    """Reduce a solver's answer for ``size`` scenarios to the requested outputs and ``status``.

    ``result`` is a burden result, a mapping of arrays or one array (named ``value``). Without
    a ``status`` of its own, a scenario is ``SUCCESS`` when all its outputs are finite and
    ``NOT_FINITE`` otherwise.
    """
    if isinstance(result, np.ndarray) or np.isscalar(result):
        result = {"value": np.asarray(result)}
    if not isinstance(result, (Mapping, Result)):
        raise TypeError(
            f"a study's solver must return a burden result, a dict of arrays or an array; "
            f"got {type(result).__name__}"
        )
    names = _default_outputs(result, size) if outputs is None else list(outputs)
    out = {}
    for name in names:
        value = np.asarray(_field(result, name, size))
        if value.shape[:1] != (size,):
            value = np.broadcast_to(value, (size, *value.shape[1:]) if value.ndim else (size,))
        out[name] = value
    try:
        status = np.asarray(_lookup(result, "status"))
    except KeyError:
        finite = np.ones(size, dtype=bool)
        for value in out.values():
            if np.issubdtype(value.dtype, np.inexact):
                finite &= np.isfinite(value).reshape(size, -1).all(axis=1)
        status = np.where(finite, Status.SUCCESS, Status.NOT_FINITE)
    out["status"] = np.broadcast_to(status, (size,)).astype(status_dtype)
    return out


class FunctionModel:
    """A user function of arrays as a study model: ``f(**params)`` once per chunk.

    The function must be importable by name (defined at module level, not a lambda or a
    closure) for the Dask backend, which pickles it to the workers.
    """

    def __init__(self, func: Callable[..., Any]):
        self.func = func

    def check(self, names: Sequence[str]) -> None:
        try:
            signature = inspect.signature(self.func)
        except (TypeError, ValueError):  # builtins without a signature: let the call decide
            return
        try:
            signature.bind(**dict.fromkeys(names))
        except TypeError as exc:
            raise ValueError(f"`params` do not fit the solver {_name(self.func)}: {exc}") from None

    def __call__(
        self, inputs: dict[str, Any], outputs: Sequence[str] | None, size: int
    ) -> dict[str, NDArray]:
        return extract_outputs(self.func(**inputs), outputs, size)

    def __repr__(self) -> str:
        return f"FunctionModel({_name(self.func)})"


def _name(func: Any) -> str:
    return getattr(func, "__qualname__", None) or repr(func)


class Alliance:
    r"""Alliances built from scenario parameters, solved with a public-goods solver.

    Each scenario is an alliance of ``n`` members with wealth

    .. math:: w_i = w \exp(\sigma z_i), \qquad z_i = \Phi^{-1}\!\left(1 - \frac{i + 1/2}{n}\right),

    the ``n`` mid-quantiles of a log-normal income distribution of median ``w`` and log-spread
    ``σ`` (member 0 the richest; ``σ = 0`` is the symmetric alliance); with ``wealth=`` another
    distribution, ``w_i = w F^{-1}(1 - (i + 1/2)/n)``; or explicit wealth ``w_0, w_1, ...``
    (then ``n`` is their number). Mid-quantiles (not random draws) keep a scenario a smooth,
    deterministic function of its parameters. All members share the preferences
    ``prefs(**preference parameters)``.

    Parameters the model understands (constants or varying):

    * ``n`` — alliance size, a positive integer; it may vary across scenarios (see below);
    * ``w`` (default 1) and ``sigma`` (default 0), or ``w_0``, ``w_1``, ... — wealth;
    * the preference parameters (``a`` for Cobb–Douglas, ``a`` and ``rho`` for CES, ...);
    * the solver's keyword arguments that take one value per scenario (``p``, ``G0`` for
      :func:`burden.nash`).

    **Alliances of different sizes in one study.** When ``n`` varies, each chunk is split by
    ``n`` and the solver is called once per distinct size on the scenarios of that size; the
    outputs are put back in scenario order. Per-member outputs must then be reduced
    (``g.sum``, ``burden.mean``, ``free_riders.mean``) or indexed (``g[0]``, ``NaN`` where
    a member is absent). Results are those of direct calls: nothing is padded.

    Parameters
    ----------
    solver : callable, optional
        ``solver(w, prefs, **keywords)``: :func:`burden.nash` (default), :func:`burden.lindahl`,
        :func:`burden.free_riding` or a function with that signature (importable by name for
        the Dask backend).
    prefs : type, optional
        A :class:`burden.Preferences` class, called with the preference parameters
        (default :class:`burden.CobbDouglas`).
    n : int, optional
        Alliance size when ``params`` does not give one.
    wealth : frozen scipy.stats distribution, optional
        The income distribution whose ``n`` mid-quantiles, times ``w``, are the members'
        wealth (instead of the log-normal of spread ``sigma``); it must be positive.

    Examples
    --------
    >>> import burden as bd
    >>> model = bd.studies.Alliance(bd.free_riding, bd.CobbDouglas)
    >>> out = model({"n": np.array([2, 4]), "a": 0.5, "w": 1.0}, ["ratio"], 2)
    >>> out["ratio"]  # Olson's group-size effect: 2/(n+1)
    array([0.666667, 0.4     ])
    """

    def __init__(
        self,
        solver: Callable[..., Any] | None = None,
        prefs: type | None = None,
        *,
        n: int | None = None,
        wealth: Any = None,
    ):
        self.solver = nash if solver is None else solver
        self.prefs = CobbDouglas if prefs is None else prefs
        if not (isinstance(self.prefs, type) and issubclass(self.prefs, Preferences)):
            raise TypeError(
                f"`prefs` must be a burden.Preferences class (e.g. bd.CobbDouglas); got {prefs!r}"
            )
        if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1):
            raise ValueError(f"`n` must be a positive integer; got {n!r}")
        self.n = n
        if wealth is not None and not callable(getattr(wealth, "ppf", None)):
            raise TypeError(f"`wealth` must be a frozen scipy.stats distribution; got {wealth!r}")
        self.wealth = wealth
        signature = inspect.signature(self.solver)
        self._keywords = tuple(
            name
            for name, par in signature.parameters.items()
            if par.kind == inspect.Parameter.KEYWORD_ONLY and name not in ("chunk", "workers")
        )
        self._pref_names = tuple(inspect.signature(self.prefs).parameters)

    def _understood(self) -> str:
        return ", ".join(["n", "w", "sigma", "w_0, w_1, ...", *self._pref_names, *self._keywords])

    def check(self, names: Sequence[str]) -> None:
        """Raise ``ValueError`` for a parameter this model does not use, or missing ones."""
        explicit = [k for k in names if re.fullmatch(r"w_\d+", k)]
        if "sigma" in names and self.wealth is not None:
            raise ValueError(
                "`params['sigma']` is the log-normal spread: it has no use with Alliance(wealth=...)"
            )
        for name in names:
            if name in ("n", "w", "sigma", *self._pref_names, *self._keywords) or name in explicit:
                continue
            raise ValueError(
                f"`params[{name!r}]` is not used by {self!r}; it understands {self._understood()}"
            )
        if explicit:
            expected = [f"w_{i}" for i in range(len(explicit))]
            if sorted(explicit, key=lambda k: int(k[2:])) != expected:
                raise ValueError(f"explicit wealth parameters must be {', '.join(expected)}; got {explicit}")
            clash = [k for k in ("n", "w", "sigma") if k in names]
            if clash:
                raise ValueError(
                    f"`params[{clash[0]!r}]` cannot be combined with explicit wealth w_0, w_1, ..."
                )
        elif "n" not in names and self.n is None:
            raise ValueError(f"{self!r} needs the alliance size: a parameter `n` (or Alliance(n=...))")
        missing = [
            k
            for k, par in inspect.signature(self.prefs).parameters.items()
            if par.default is inspect.Parameter.empty and k not in names
        ]
        if missing:
            raise ValueError(
                f"`params` must give the preference parameter {missing[0]!r} of {self.prefs.__name__}"
            )

    def __call__(
        self, inputs: dict[str, Any], outputs: Sequence[str] | None, size: int
    ) -> dict[str, NDArray]:
        explicit = sorted((k for k in inputs if re.fullmatch(r"w_\d+", k)), key=lambda k: int(k[2:]))
        if explicit:
            w = np.stack([np.broadcast_to(np.asarray(inputs[k], dtype=float), (size,)) for k in explicit], -1)
            return self._solve(inputs, w, outputs, size)
        n = np.asarray(inputs.get("n", self.n))
        if not np.issubdtype(n.dtype, np.integer) and not np.all(n == np.round(n)):
            raise ValueError("`params['n']` (alliance size) must take integer values")
        n = n.astype(np.intp)
        if np.any(n < 1):
            raise ValueError("`params['n']` (alliance size) must be at least 1")
        sizes = np.unique(n)  # one value when n is a constant: no pass over the chunk
        if len(sizes) == 1:
            return self._solve(inputs, self._wealth(inputs, int(sizes[0]), size), outputs, size)
        parts = []
        for k in sizes:
            rows = np.flatnonzero(n == k)
            sub = {name: _take(value, rows, size) for name, value in inputs.items()}
            parts.append((rows, self._solve(sub, self._wealth(sub, int(k), len(rows)), outputs, len(rows))))
        out = {}
        for name in parts[0][1]:
            first = parts[0][1][name]
            if any(p[name].shape[1:] != first.shape[1:] for _, p in parts):
                raise ValueError(
                    f"output {name!r} has one value per member and `n` varies: reduce it "
                    f"({name}.sum, {name}.mean, ...) or pick a member ({name}[0])"
                )
            column = np.empty((size, *first.shape[1:]), dtype=np.result_type(*(p[name] for _, p in parts)))
            for rows, p in parts:
                column[rows] = p[name]
            out[name] = column
        return out

    def _wealth(self, inputs: dict[str, Any], n: int, size: int) -> NDArray:
        from scipy.special import ndtri

        w = np.asarray(inputs.get("w", 1.0), dtype=float)
        levels = 1.0 - (np.arange(n) + 0.5) / n
        if self.wealth is not None:
            return np.broadcast_to(w[..., None] * self.wealth.ppf(levels), (size, n))
        sigma = np.asarray(inputs.get("sigma", 0.0), dtype=float)
        return np.broadcast_to(w[..., None] * np.exp(sigma[..., None] * ndtri(levels)), (size, n))

    def _solve(self, inputs: dict[str, Any], w: NDArray, outputs: Sequence[str] | None, size: int):
        prefs = self.prefs(
            **{k: _per_scenario(inputs[k], 1) for k in self._pref_names if k in inputs},
        )
        keywords = {k: _per_scenario(inputs[k], 0) for k in self._keywords if k in inputs}
        return extract_outputs(self.solver(w, prefs, **keywords), outputs, size)

    def __repr__(self) -> str:
        return f"Alliance({_name(self.solver)}, {self.prefs.__name__})"


def _take(value: Any, rows: NDArray, size: int) -> Any:
    value = np.asarray(value)
    return value[rows] if value.shape == (size,) else value


def _per_scenario(value: Any, member_axes: int) -> Any:
    """A scenario array gets ``member_axes`` trailing axes to broadcast against ``(m, n)``."""
    value = np.asarray(value)
    return value.reshape(value.shape + (1,) * member_axes) if value.ndim else value[()]


def as_model(solver: Any) -> Any:
    """The model for ``solver``: burden's public-goods solvers become :class:`Alliance`."""
    if solver in (nash, lindahl, free_riding):
        return Alliance(solver)
    if callable(getattr(solver, "check", None)) and callable(solver):
        return solver
    if callable(solver):
        return FunctionModel(solver)
    raise TypeError(f"`solver` must be a burden solver or a function of arrays; got {type(solver).__name__}")
