"""Argument parsing shared by the ``burden`` sub-commands: one list syntax, negative numbers.

Every list-valued flag takes numbers separated by commas, spaces or both
(``--wealth 100,80``, ``--wealth 100 80``, ``--wealth 100, 80``), and a value may be negative
in any notation (``--rho -1e-3``): argparse's own test for negative numbers knows only
``-1`` and ``-1.5``, so :class:`Parser` widens it.
"""

from __future__ import annotations

import argparse
import re

import numpy as np

__all__ = ["Parser", "flatten", "floats"]

# a number (or a comma list starting with one) with a leading minus, in any float notation
_NEGATIVE = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(,.*)?$|^-inf(inity)?(,.*)?$", re.IGNORECASE)


class Parser(argparse.ArgumentParser):
    """``ArgumentParser`` that reads ``-1e-3`` and ``-inf`` as values, not as options."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = _NEGATIVE


def floats(text: str) -> np.ndarray:
    """Parse ``"100,80"`` (or ``"100"``, ``"100, 80"``) into a float array: an argparse ``type``.

    >>> floats("100,80")
    array([100.,  80.])
    >>> floats("-1e-3")
    array([-0.001])
    """
    parts = [p for p in re.split(r"[,\s]+", text.strip()) if p]
    try:
        if not parts:
            raise ValueError
        return np.array([float(v) for v in parts])
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected numbers separated by commas or spaces, got {text!r}"
        ) from None


def flatten(values: list) -> np.ndarray:
    """Join ``nargs="+"`` values of :func:`floats` (``--pi 0.3 0.4`` or ``--pi 0.3,0.4``).

    >>> flatten([floats("0.3"), floats("0.4,0.5")])
    array([0.3, 0.4, 0.5])
    """
    return np.concatenate([np.atleast_1d(v) for v in values])
