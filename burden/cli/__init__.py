"""The ``burden`` command: one sub-command per task, each in its own module.

Each module ``burden.cli._<name>`` exposes ``register(subparsers)``, which adds its parser
and sets ``func`` to the function that runs it and returns the exit code (see
:mod:`burden.cli._output` for the exit codes and strict JSON).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

from burden.cli._args import Parser
from burden.cli._output import EXIT_BAD_INPUT

__all__ = ["main"]

_COMMANDS = ("reproduce", "solve", "bargain", "security", "study", "data", "fit", "plot")


def build_parser() -> Parser:
    """Return the ``burden`` argument parser with every sub-command registered."""
    parser = Parser(
        prog="burden",
        description="Game theory of alliance burden sharing: Olson-Zeckhauser public goods and "
        "Snyder's alliance security dilemma.",
    )
    from burden import __version__

    parser.add_argument("--version", action="version", version=f"burden {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=Parser)
    for name in _COMMANDS:
        importlib.import_module(f"burden.cli._{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``burden`` command line; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ValueError, TypeError) as exc:
        print(f"burden {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (`burden ... | head`): end quietly. Python would otherwise report
        # the failed flush of stdout at exit, so point stdout at /dev/null first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
