"""Output shared by the ``burden`` sub-commands: strict JSON and the exit status.

JSON is strict (``allow_nan=False``): NaN and infinities become ``null``, numpy scalars and
arrays become numbers and lists, results become objects of their public fields. A command
exits 0 when every reported status is certified, 1 when any is a failure (the numbers are
still printed, with their status), 2 on bad input.
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import numpy as np

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILURE", "EXIT_OK", "exit_code", "jsonable", "print_json"]

EXIT_OK = 0
#: some reported status is a failure (or a reproduction misses a reference value)
EXIT_FAILURE = 1
#: invalid arguments (argparse uses 2 too)
EXIT_BAD_INPUT = 2


def jsonable(value: Any) -> Any:
    """Convert ``value`` to plain JSON types; NaN and infinities become ``None``.

    >>> import numpy as np
    >>> jsonable({"G": np.float64(60.0), "g": np.array([40.0, np.nan]), "ok": np.bool_(True)})
    {'G': 60.0, 'g': [40.0, None], 'ok': True}
    """
    from burden._results import Result  # the CLI may print results; results never import the CLI

    if isinstance(value, Result):
        return {name: jsonable(v) for name, v in value._fields().items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def print_json(value: Any) -> None:
    """Print ``value`` as strict, indented JSON."""
    print(json.dumps(jsonable(value), indent=2, allow_nan=False))


def exit_code(*statuses: Any) -> int:
    """``EXIT_FAILURE`` if any status is a failure (``< 0``), else ``EXIT_OK``.

    >>> exit_code([0, 1], 0), exit_code([0, -1])
    (0, 1)
    """
    failed = any(np.any(np.asarray(s) < 0) for s in statuses)
    return EXIT_FAILURE if failed else EXIT_OK
