"""``burden bargain``: the Nash bargaining solution over burden sharing for one alliance."""

from __future__ import annotations

import argparse

import burden as bd
from burden.cli._args import flatten, floats
from burden.cli._output import exit_code, print_json
from burden.cli._prefs import add_alliance_arguments, alliance_from

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``bargain`` command."""
    parser = subparsers.add_parser(
        "bargain",
        help="Nash bargaining over provision and burden sharing",
        description="The (asymmetric) Nash bargaining solution of one alliance: the agreed total, "
        "what each member pays and its gain over the threat point (the Nash equilibrium of "
        "voluntary contributions, or each member providing alone). See docs/sharing.md.",
    )
    add_alliance_arguments(parser, joint_products=False)
    parser.add_argument(
        "--threat", default="nash", help="'nash' (default), 'standalone', or threat utilities ('1.2 0.8')"
    )
    parser.add_argument(
        "--weights",
        type=floats,
        nargs="+",
        default=None,
        metavar="B",
        help="bargaining weights (default equal)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Solve and print; return the exit code."""
    w, prefs = alliance_from(args)
    threat = args.threat if args.threat in ("nash", "standalone") else floats(args.threat)
    weights = None if args.weights is None else flatten(args.weights)
    deal = bd.bargain(w, prefs, threat=threat, weights=weights, p=args.p, G0=args.G0)
    if args.json:
        print_json(deal)
        return exit_code(deal.status)
    print(
        f"{'member':>6} {'wealth':>10} {'weight':>7} {'pays':>10} {'burden':>8} {'utility':>10} {'gain':>10}"
    )
    for i in range(w.size):
        print(
            f"{i + 1:>6} {w[i]:>10.4g} {deal.weights[i]:>7.3f} {deal.payments[i]:>10.4g} "
            f"{deal.burden[i]:>8.4f} {deal.utility[i]:>10.5g} {deal.gain[i]:>10.4g}"
        )
    print()
    print(f"agreed total G = {float(deal.G):.6g} (threat: {args.threat})")
    print(f"Samuelson residual (sum of MRS - p)/p = {float(deal.samuelson_residual):.2e}")
    status = bd.Status(int(deal.status))
    print(f"status: {status.name}")
    return exit_code(deal.status)
