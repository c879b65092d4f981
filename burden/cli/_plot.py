"""``burden plot KIND ... -o FILE``: the figures of :mod:`burden.plots` from the shell (extra ``plot``)."""

from __future__ import annotations

import argparse
import inspect
import sys

import numpy as np

from burden.cli._args import flatten, floats
from burden.cli._output import EXIT_FAILURE, EXIT_OK, print_json

__all__ = ["register"]

_KINDS = {
    "reaction": "two allies' reaction curves, Nash and Lindahl points, Pareto set",
    "free-riding": "Nash and Lindahl totals and their ratio against alliance size",
    "commitment": "best responses and equilibria of a dyadic commitment game",
    "tradeoff": "equilibrium branches of a commitment game along one parameter",
    "burden-size": "burden against size in one year of the shipped NATO data, with the rank statistic",
    "rank-by-year": "the yearly rank statistic of burden on size, 1960-2022, with its band",
    "heatmap": "a heat map of one column of a tidy CSV over two others",
}


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="image file (.png, .pdf, .svg)")
    parser.add_argument("--dpi", type=float, default=150.0, help="resolution of raster images (default 150)")
    parser.add_argument("--json", action="store_true", help="print the saved path as JSON")


def _game_flags(parser: argparse.ArgumentParser) -> None:
    from burden.security import CommitmentGame

    for name, param in inspect.signature(CommitmentGame).parameters.items():
        default = None if param.default is inspect.Parameter.empty else param.default
        parser.add_argument(
            f"--{name}",
            type=floats,
            nargs="+",
            required=default is None,
            default=None if default is None else [np.array([default])],
            metavar="X",
            help=f"CommitmentGame {name}: one value (both allies) or two (ally 1, ally 2)"
            + ("" if default is None else f" (default {default:g})"),
        )


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``plot`` command and one sub-command per figure."""
    parser = subparsers.add_parser(
        "plot",
        help="draw a figure to a file (extra 'plot')",
        description="Draw one of burden's figures and save it (matplotlib, extra 'plot').",
    )
    sub = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, text in _KINDS.items():
        p = sub.add_parser(kind, help=text, description=text[0].upper() + text[1:] + ".")
        if kind in ("reaction", "free-riding"):
            p.add_argument("--wealth", "-w", type=floats, required=True, help="wealth (GDP), e.g. 100,80")
            p.add_argument(
                "--alpha", "-a", type=floats, default=np.array([0.5]), help="Cobb-Douglas weight(s)"
            )
            p.add_argument("--price", "-p", type=float, default=1.0, help="unit price of the alliance good")
        if kind == "free-riding":
            p.add_argument("--n-max", type=int, default=20, help="largest alliance size (default 20)")
        if kind in ("commitment", "tradeoff"):
            _game_flags(p)
        if kind == "tradeoff":
            p.add_argument("--vary", required=True, help="the parameter varied, e.g. d")
            p.add_argument("--ally", type=int, choices=(1, 2), help="whose parameter (omit for a shared one)")
            p.add_argument("--values", type=floats, nargs="+", required=True, help="the values taken")
            p.add_argument("--field", default="c", help="per-ally field drawn (default c)")
            p.add_argument(
                "--of", type=int, choices=(1, 2), default=1, help="whose field is drawn (default 1)"
            )
        if kind in ("burden-size", "rank-by-year"):
            p.add_argument("--method", choices=("spearman", "kendall"), default="spearman")
        if kind == "burden-size":
            p.add_argument(
                "--year",
                type=int,
                default=1964,
                help="1964 (the derived reconstruction) or 1960-2022 (the panel)",
            )
        if kind == "heatmap":
            p.add_argument("csv", metavar="CSV", help="a tidy CSV, one row per grid point")
            for axis in ("x", "y", "z"):
                p.add_argument(f"--{axis}", required=True, help=f"column drawn along {axis}")
        _common(p)
        p.set_defaults(func=run)


def _game(args: argparse.Namespace):
    from burden.security import CommitmentGame

    params = {}
    for name in inspect.signature(CommitmentGame).parameters:
        value = flatten(getattr(args, name))
        params[name] = value[0] if value.size == 1 else value
    return CommitmentGame(**params)


def _draw(args: argparse.Namespace):
    import burden as bd
    from burden import plots

    if args.kind in ("reaction", "free-riding"):
        prefs = bd.CobbDouglas(args.alpha if args.alpha.size > 1 else args.alpha[0])
        if args.kind == "reaction":
            return plots.reaction_curves(args.wealth, prefs, p=args.price)
        return plots.free_riding_gap(args.wealth[0], prefs, n_max=args.n_max, p=args.price)
    if args.kind == "commitment":
        return plots.commitment_best_responses(_game(args))
    if args.kind == "tradeoff":
        ally = None if args.ally is None else args.ally - 1
        curve = bd.tradeoff(_game(args), vary=args.vary, ally=ally, values=flatten(args.values))
        return plots.tradeoff_curves(curve, field=args.field, ally=args.of - 1)
    if args.kind == "heatmap":
        import pandas as pd

        grid = pd.read_csv(args.csv, comment="#").pivot_table(index=args.y, columns=args.x, values=args.z)
        return plots.study_heatmap(
            grid.to_numpy(), grid.columns.to_numpy(), grid.index.to_numpy(),
            xlabel=args.x, ylabel=args.y, colorbar_label=args.z, title=f"{args.z} over {args.x} and {args.y}",
        )  # fmt: skip
    return _draw_data(args)


def _draw_data(args: argparse.Namespace):
    from burden import plots
    from burden.data import load  # raises ImportError until the data extra is installed

    if args.kind == "rank-by-year":
        from burden.estimation import rank_test_by

        panel = load("nato_milex_gdp_1960_2022")
        table = rank_test_by(
            panel[panel["iso3"] != "ISL"], burden="burden", size="gdp_usd", method=args.method
        )
        return plots.rank_statistic_by_year(
            table["year"], table["statistic"], table["n"], pvalue=table["pvalue"], method=args.method,
            title="NATO 1960-2022 (DERIVED panel): burden on GDP",
        )  # fmt: skip
    if args.year == 1964:
        table = load("nato_1964_reconstructed_pwt_nmc")
        table = table[table["iso3"] != "ISL"]
        size, burden, title = "gdp_nominal_usd_mn", "burden_pct", "NATO 1964, DERIVED reconstruction"
    else:
        panel = load("nato_milex_gdp_1960_2022")
        table = panel[(panel["year"] == args.year) & (panel["iso3"] != "ISL")].dropna(subset=["burden"])
        if table.empty:
            raise ValueError(f"`--year` must be 1964 or in 1960-2022; got {args.year}")
        size, burden, title = "gdp_usd", "burden", f"NATO {args.year} (DERIVED panel)"
    return plots.burden_vs_size(
        table[size], table[burden], labels=table["iso3"], method=args.method,
        xlabel=f"GDP ({size})", ylabel=f"burden ({burden})", title=title,
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Draw the figure and save it to ``--output``."""
    from burden.plots import save

    try:
        figure = _draw(args)
    except ImportError as exc:  # an optional extra (matplotlib, pandas) or burden.data is missing
        print(f"burden plot {args.kind}: cannot draw: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    path = save(figure, args.output, dpi=args.dpi)
    if args.json:
        print_json({"kind": args.kind, "output": str(path)})
    else:
        print(f"saved {args.kind} figure to {path}")
    return EXIT_OK
