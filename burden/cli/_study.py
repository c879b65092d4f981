"""``burden study CONFIG.toml``: a parameter study described in a TOML file (``docs/studies.md``).

The file's top-level keys are the arguments of :func:`burden.study` (``solver``, ``sampler``,
``n``, ``rng``, ``chunk_size``, ``backend``, ``workers``, ``outputs``; ``scheduler`` is the
Dask scheduler address), ``preferences`` (the preference class of the built-in solvers),
``wealth`` (a distribution table: members' wealth from its mid-quantiles, see
:class:`burden.studies.Alliance`), ``summary_by`` and ``bins`` (the summary table), and a
``[params]`` table: a number is a
constant, a list holds discrete values, ``{low = .., high = ..}`` is a range and
``{distribution = "lognorm", s = .., scale = ..}`` a ``scipy.stats`` distribution.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Any

import numpy as np

from burden.cli._output import exit_code, print_json

__all__ = ["load_config", "register"]

_SOLVERS = ("nash", "lindahl", "free_riding")
_KEYS = {
    "solver": str,
    "preferences": str,
    "wealth": dict,
    "sampler": str,
    "n": int,
    "rng": int,
    "chunk_size": int,
    "backend": str,
    "scheduler": str,
    "workers": int,
    "outputs": list,
    "summary_by": str,
    "bins": int,
    "params": dict,
}
_QUANTILES = (0.1, 0.5, 0.9)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``study`` command."""
    parser = subparsers.add_parser(
        "study",
        help="run a parameter study described in a TOML file",
        description="Run burden.study over the scenarios a TOML file describes (see docs/studies.md and "
        "examples/group_size.toml) and print a summary table of each output.",
    )
    parser.add_argument("config", metavar="CONFIG.toml", help="the study's configuration")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON instead of a table")
    parser.add_argument(
        "--output",
        metavar="PATH",
        help="save every scenario: PATH.parquet or PATH.npz, or a new directory to stream the columns "
        "to while the study runs",
    )
    parser.set_defaults(func=_run)


def _config_error(key: str, reason: str) -> ValueError:
    return ValueError(f"config key `{key}`: {reason}")


def _toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        raise ValueError(f"no such configuration file: {str(path)!r}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from None


def _distribution(key: str, value: dict[str, Any]) -> Any:
    from scipy import stats

    options = dict(value)
    dist_name = options.pop("distribution", None)
    family = getattr(stats, str(dist_name), None)
    if not isinstance(family, (stats.rv_continuous, stats.rv_discrete)):
        raise _config_error(key, f"{dist_name!r} is not a scipy.stats distribution")
    try:
        return family(**options)
    except TypeError as exc:
        raise _config_error(key, f"bad options for {dist_name}: {exc}") from None


def _param(name: str, value: Any) -> Any:
    key = f"params.{name}"
    if isinstance(value, bool):
        raise _config_error(key, "must be a number, a list, {low, high} or {distribution, ...}")
    if isinstance(value, (int, float, list)):
        return value
    if not isinstance(value, dict):
        raise _config_error(
            key, f"must be a number, a list, {{low, high}} or {{distribution, ...}}; got {value!r}"
        )
    if "distribution" in value:
        return _distribution(key, value)
    if set(value) != {"low", "high"}:
        raise _config_error(key, f"a range is {{low = .., high = ..}}; got keys {sorted(value)}")
    return (value["low"], value["high"])


def load_config(path: str | Path) -> dict[str, Any]:
    """Read and check a study configuration; return the keyword arguments of :func:`burden.study`.

    Raises ``ValueError`` naming the offending key and the reason.
    """
    config = _toml(Path(path))
    for key, value in config.items():
        if key not in _KEYS:
            raise _config_error(key, f"unknown key; the keys are {', '.join(_KEYS)}")
        expected = _KEYS[key]
        if not isinstance(value, expected) or isinstance(value, bool):
            raise _config_error(key, f"must be a {expected.__name__}; got {value!r}")
    if "params" not in config or not config["params"]:
        raise _config_error("params", "the [params] table is missing or empty")
    if not all(isinstance(o, str) for o in config.get("outputs", [])):
        raise _config_error("outputs", "must be a list of output names (strings)")
    solver = _solver(config.get("solver", "nash"), config.get("preferences"), config.get("wealth"))
    kwargs: dict[str, Any] = {
        "solver": solver,
        "params": {name: _param(name, value) for name, value in config["params"].items()},
    }
    for key in ("sampler", "n", "rng", "chunk_size", "backend", "workers", "outputs"):
        if key in config:
            kwargs[key] = config[key]
    if "scheduler" in config:
        kwargs["client"] = config["scheduler"]
    return kwargs


def _solver(name: str, preferences: str | None, wealth: dict[str, Any] | None) -> Any:
    import burden
    from burden.studies import Alliance

    if name in _SOLVERS:
        prefs = None
        if preferences is not None:
            prefs = getattr(burden, preferences, None)
            if (
                not (isinstance(prefs, type) and issubclass(prefs, burden.Preferences))
                or prefs is burden.Preferences
            ):
                raise _config_error(
                    "preferences", f"{preferences!r} is not a burden preference class (e.g. CobbDouglas, CES)"
                )
        dist = None if wealth is None else _distribution("wealth", wealth)
        return Alliance(getattr(burden, name), prefs, wealth=dist)
    if ":" not in name:
        raise _config_error(
            "solver", f"must be one of {', '.join(_SOLVERS)} or 'package.module:function'; got {name!r}"
        )
    for key, value in (("preferences", preferences), ("wealth", wealth)):
        if value is not None:
            raise _config_error(key, "applies to the built-in solvers only")
    module, _, attribute = name.partition(":")
    try:
        func = getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError) as exc:
        raise _config_error("solver", f"cannot import {name!r}: {exc}") from None
    if not callable(func):
        raise _config_error("solver", f"{name!r} is not callable")
    return func


def _describe(values: np.ndarray, ok: np.ndarray) -> dict[str, Any]:
    values = np.asarray(values, dtype=float)[ok]
    values = values[np.isfinite(values)]
    if values.size == 0:
        return {"count": 0}
    low, median, high = np.quantile(values, _QUANTILES)
    return {
        "count": int(values.size),
        "mean": float(values.mean()),
        "std": float(values.std()),
        "min": float(values.min()),
        "q10": float(low),
        "median": float(median),
        "q90": float(high),
        "max": float(values.max()),
    }


def _summary(res: Any, by: str | None, bins: int) -> dict[str, Any]:
    ok = np.asarray(res.status) >= 0
    scalar = [k for k, v in res.outputs.items() if v.ndim == 1]
    summary: dict[str, Any] = {
        "scenarios": res.size,
        "failed": int(np.count_nonzero(~ok)),
        "sampler": res.sampler,
        "constants": res.constants,
        "outputs": {k: _describe(res.outputs[k], ok) for k in scalar},
    }
    if by is not None:
        tables = {k: res.binned(k, by=by, bins=bins) for k in scalar}
        first = next(iter(tables.values()), None)
        summary["by"] = {
            "input": by,
            "low": first.low if first is not None else [],
            "high": first.high if first is not None else [],
            "count": first.count if first is not None else [],
            "mean": {k: t.mean for k, t in tables.items()},
        }
    return summary


def _table(summary: dict[str, Any]) -> str:
    lines = [
        f"study: {summary['scenarios']} scenarios ({summary['sampler']} sampler), {summary['failed']} failed",
    ]
    if summary["constants"]:
        lines.append("constants: " + ", ".join(f"{k} = {v}" for k, v in summary["constants"].items()))
    columns = ("count", "mean", "std", "min", "q10", "median", "q90", "max")
    width = max([len("output"), *(len(k) for k in summary["outputs"])])
    lines += ["", "output".ljust(width) + "".join(c.rjust(13) for c in columns)]
    for name, stats in summary["outputs"].items():
        cells = [f"{stats['count']:13d}"] + [f"{stats.get(c, float('nan')):13.6g}" for c in columns[1:]]
        lines.append(name.ljust(width) + "".join(cells))
    if "by" in summary:
        by = summary["by"]
        names = list(by["mean"])
        lines += ["", f"mean of each output by {by['input']}:"]
        head = (
            by["input"].rjust(12) + "count".rjust(10) + "".join(n.rjust(max(14, len(n) + 2)) for n in names)
        )
        lines.append(head)
        for j in range(len(by["low"])):
            label = (
                f"{by['low'][j]:g}"
                if by["low"][j] == by["high"][j]
                else f"{by['low'][j]:.4g}-{by['high'][j]:.4g}"
            )
            row = label.rjust(12) + f"{by['count'][j]:10d}"
            row += "".join(f"{by['mean'][n][j]:.6g}".rjust(max(14, len(n) + 2)) for n in names)
            lines.append(row)
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    from burden.studies import study

    config = _toml(Path(args.config))
    kwargs = load_config(args.config)
    by, bins = config.get("summary_by"), config.get("bins", 10)
    if by is not None and (by not in kwargs["params"] or isinstance(kwargs["params"][by], (int, float))):
        raise _config_error("summary_by", f"{by!r} is not a varying parameter")
    path = args.output
    streamed = path is not None and Path(path).suffix not in (".parquet", ".npz")
    res = study(**kwargs, progress="auto", path=path if streamed else None)
    if path is not None and not streamed:
        res.save(path)
    summary = _summary(res, by, bins)
    if args.json:
        print_json(summary)
    else:
        print(_table(summary))
    return exit_code(res.status)
