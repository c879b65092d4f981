"""``burden reproduce``: published (or stated) numbers beside the computed ones."""

from __future__ import annotations

import argparse
import json

from burden.reproduce import PAPERS, reproduce

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``reproduce`` command."""
    parser = subparsers.add_parser(
        "reproduce",
        help="print published vs computed tables of the shipped reproductions",
        description="Run reproductions of published results and print, for each, the published "
        "(or stated) values beside those burden computes, the difference and whether it is within "
        "tolerance. Exit status 1 if any value disagrees.",
    )
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help=f"reproductions to run (default: all): {', '.join(PAPERS)}",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--list", action="store_true", help="list the available reproductions and exit")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the tables (or JSON); return 1 if any value is out of tolerance."""
    if args.list:
        print("\n".join(PAPERS))
        return 0
    results = reproduce(args.names)
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=2))
    else:
        print("\n\n".join(r.as_text() for r in results))
    failed = [r.name for r in results if not r.agrees.all()]
    if failed and not args.json:
        print(f"\nout of tolerance: {', '.join(failed)}")
    return 1 if failed else 0
