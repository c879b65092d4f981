"""Alliance arguments shared by the public-goods sub-commands: wealth, preferences, price, G0.

Flags are named after the API parameters they set: ``--wealth`` (``w``), ``--a``, ``--rho``
(:class:`burden.CES` when given, else :class:`burden.CobbDouglas`), ``--b`` (joint products,
:class:`burden.JointProduct`), ``--p``, ``--G0``.
"""

from __future__ import annotations

import argparse

import numpy as np

import burden as bd
from burden.cli._args import flatten, floats

__all__ = ["add_alliance_arguments", "alliance_from"]


def add_alliance_arguments(parser: argparse.ArgumentParser, *, joint_products: bool = True) -> None:
    """Add ``--wealth``, ``--a``, ``--rho`` (and ``--b``), ``--p`` and ``--G0`` to ``parser``."""
    parser.add_argument(
        "--wealth", "-w", type=floats, nargs="+", required=True, metavar="W",
        help="members' wealth (GDP): '100 80' or '100,80'",
    )  # fmt: skip
    parser.add_argument(
        "--a", type=floats, nargs="+", default=[np.array([0.5])], metavar="A",
        help="weight on the alliance good, in (0, 1): one value or one per member (default 0.5)",
    )  # fmt: skip
    parser.add_argument(
        "--rho", type=floats, nargs="+", default=None, metavar="RHO",
        help="CES substitution parameter(s), < 1 (default: Cobb-Douglas, i.e. rho = 0)",
    )  # fmt: skip
    if joint_products:
        parser.add_argument(
            "--b", type=floats, nargs="+", default=None, metavar="B",
            help="joint products: weight on the private benefit of own defence, in [0, 1) with a + b < 1",
        )  # fmt: skip
    parser.add_argument("--p", type=float, default=1.0, help="unit price of the alliance good (default 1)")
    parser.add_argument("--G0", type=float, default=0.0, help="exogenous provision, >= 0 (default 0)")


def alliance_from(args: argparse.Namespace) -> tuple[np.ndarray, bd.Preferences]:
    """``(w, prefs)`` from the parsed alliance arguments."""
    a = flatten(args.a)
    b = getattr(args, "b", None)
    if b is not None and args.rho is not None:
        raise ValueError("`--b` (joint products) and `--rho` (CES) cannot be combined")
    if b is not None:
        prefs = bd.JointProduct(a, flatten(b))
    elif args.rho is not None:
        prefs = bd.CES(a, flatten(args.rho))
    else:
        prefs = bd.CobbDouglas(a)
    return flatten(args.wealth), prefs
