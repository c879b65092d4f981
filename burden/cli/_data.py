"""``burden data``: list the shipped tables, or show one with its provenance."""

from __future__ import annotations

import argparse

from burden.cli._output import print_json

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``data`` command with its ``list`` and ``show`` actions."""
    parser = subparsers.add_parser(
        "data",
        help="list the shipped alliance tables, or show one with its source, licence and caveat",
        description="The real NATO tables shipped with burden (docs/data.md). Derived tables are "
        "labelled DERIVED; the 1964 table is a derived reconstruction, not Olson & Zeckhauser's.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="name every table with its source, licence and caveat")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=run_list)
    show = actions.add_parser("show", help="print one table (needs pandas) after its provenance")
    show.add_argument("name", metavar="NAME", help="a name from `burden data list`")
    show.add_argument("--rows", type=int, default=10, help="rows to print (default 10; 0 for all)")
    show.add_argument("--json", action="store_true", help="print JSON: the provenance and every row")
    show.set_defaults(func=run_show)


def run_list(args: argparse.Namespace) -> int:
    """Print the catalogue."""
    from burden import data

    entries = data.list()
    if args.json:
        print_json(entries)
    else:
        print("\n\n".join(str(entry) for entry in entries))
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print one table's provenance and rows."""
    from burden import data

    if args.rows < 0:
        raise ValueError(f"`--rows` must be >= 0; got {args.rows}")
    meta = data.info(args.name)
    frame = data.load(args.name)
    if args.json:
        rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        print_json({**vars(meta), "rows": rows})
        return 0
    print(meta)
    print(f"  {len(frame)} rows x {frame.shape[1]} columns; showing {args.rows or len(frame)}\n")
    print((frame if args.rows == 0 else frame.head(args.rows)).to_string())
    return 0
