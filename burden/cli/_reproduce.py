"""``burden reproduce``: reference values from the literature beside the ones ``burden`` computes."""

from __future__ import annotations

import argparse
import importlib
import sys

from burden.cli._output import EXIT_FAILURE, EXIT_OK, print_json

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``reproduce`` command."""
    parser = subparsers.add_parser(
        "reproduce",
        help="reference values from the literature beside the computed ones",
        description="Run reproductions of published results (one folder per publication in papers/) "
        "and print, row by row, the reference value, ours, the difference and a verdict. Kinds: "
        "published (a number printed in the paper), derived (worked by hand from the model), verdict "
        "(a published finding beside the evidence we compute). Exit status 1 only when a published "
        "or derived number is missed; a verdict our data do not support is printed as a finding, and "
        "rows that need data or capabilities we lack are listed as such.",
    )
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help="reproductions to run (default: all; see --list)"
    )
    parser.add_argument("--list", action="store_true", help="list the reproductions and exit")
    parser.add_argument(
        "--plots", metavar="DIR", help="also save each reproduction's figures in DIR (extra 'plot')"
    )
    parser.add_argument("--json", action="store_true", help="print strict JSON instead of tables")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the tables (or JSON); return 1 if a published or derived number is missed."""
    from burden.reproduce import available, paper_titles, reproduce

    if args.list:
        titles = paper_titles()
        width = max(map(len, titles))
        for name, title in titles.items():
            needs = getattr(importlib.import_module(f"burden.papers.{name}"), "NEEDS", ())
            missing = "" if available(*needs) else f"  (some rows need: {', '.join(needs)})"
            print(f"{name:<{width}}  {title}{missing}")
        return EXIT_OK
    try:
        results = reproduce(args.names or None, plots=args.plots, progress="auto")
    except ImportError as exc:  # --plots without the extra 'plot'
        print(f"burden reproduce: cannot draw the figures: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    if args.json:
        print_json([result.as_dict() for result in results])
    else:
        print("\n\n".join(result.as_text() for result in results))
        print()
        print(_summary(results))
    return EXIT_OK if all(result.ok for result in results) else EXIT_FAILURE


def _summary(results) -> str:
    rows = [row for result in results for row in result.rows]
    counts = {
        verdict: sum(row.verdict == verdict for row in rows) for verdict in {row.verdict for row in rows}
    }
    parts = [f"{len(results)} reproductions, {len(rows)} rows: {counts.get('agrees', 0)} agree"]
    if counts.get("does not agree"):
        parts.append(
            f"{counts['does not agree']} published findings not supported by our evidence (findings)"
        )
    if counts.get("needs"):
        parts.append(f"{counts['needs']} not computed (need data or capabilities we lack)")
    missed = [f"{r.name}: {row.quantity}" for r in results for row in r.rows if row.failed]
    parts.append(f"{len(missed)} missed" + (" — " + "; ".join(missed) if missed else ""))
    return "; ".join(parts)
