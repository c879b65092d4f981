"""``burden solve``: Nash against Lindahl for one alliance, member by member."""

from __future__ import annotations

import argparse
import json

import numpy as np

import burden as bd
from burden.cli._args import floats

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``solve`` command."""
    parser = subparsers.add_parser(
        "solve",
        help="Nash equilibrium vs Lindahl optimum of an alliance public good",
        description="Solve the Olson-Zeckhauser alliance model for one alliance: Nash contributions "
        "against the Lindahl optimum, per member, with the free-riding gaps. Preferences are "
        "Cobb-Douglas u = (1-a) ln x + a ln G, or CES with --rho.",
    )
    parser.add_argument(
        "--wealth",
        "-w",
        type=floats,
        required=True,
        help="members' wealth (GDP), comma-separated, e.g. 100,80",
    )
    parser.add_argument(
        "--alpha",
        "-a",
        type=floats,
        default=np.array([0.5]),
        help="weight on the alliance good, one value or one per member, in (0, 1) (default 0.5)",
    )
    parser.add_argument(
        "--rho",
        type=floats,
        default=None,
        help="CES substitution parameter(s), < 1 (default: Cobb-Douglas, i.e. rho = 0)",
    )
    parser.add_argument(
        "--price", "-p", type=float, default=1.0, help="unit price of the alliance good (default 1)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Solve and print; return the exit code."""
    prefs = bd.CobbDouglas(args.alpha) if args.rho is None else bd.CES(args.alpha, args.rho)
    fr = bd.free_riding(args.wealth, prefs, p=args.price)
    eq, opt = fr.nash, fr.lindahl
    members = [
        {
            "member": i + 1,
            "wealth": float(w),
            "nash_contribution": float(eq.g[i]),
            "burden": float(fr.burden[i]),
            "exploitation_index": float(fr.exploitation[i]),
            "contributor": bool(eq.contributors[i]),
            "lindahl_share": float(opt.tau[i]),
            "lindahl_contribution": float(opt.g[i]),
            "welfare_loss": float(fr.welfare_loss[i]),
        }
        for i, w in enumerate(np.broadcast_to(args.wealth, eq.g.shape))
    ]
    totals = {
        "G_nash": float(fr.G_nash),
        "G_lindahl": float(fr.G_lindahl),
        "gap": float(fr.gap),
        "ratio": float(fr.ratio),
        "welfare_loss_total": float(fr.welfare_loss_total),
        "samuelson_residual_at_nash": float(fr.samuelson_residual),
        "status": int(fr.status),
    }
    if args.json:
        print(json.dumps({"members": members, "totals": totals}, indent=2))
        return 0
    print(
        f"{'member':>6} {'wealth':>10} {'nash g':>10} {'burden':>8} {'exploit':>8} {'lindahl tau':>12} "
        f"{'lindahl g':>10} {'welf.loss':>10}"
    )
    for m in members:
        print(
            f"{m['member']:>6} {m['wealth']:>10.4g} {m['nash_contribution']:>10.4g} {m['burden']:>8.4f} "
            f"{m['exploitation_index']:>8.4f} {m['lindahl_share']:>12.4f} {m['lindahl_contribution']:>10.4g} "
            f"{m['welfare_loss']:>10.4g}" + ("" if m["contributor"] else "  (free rider)")
        )
    print()
    print(f"Nash total G = {totals['G_nash']:.6g}; Lindahl total G = {totals['G_lindahl']:.6g}")
    print(f"provision gap = {totals['gap']:.6g}; ratio G_N/G_L = {totals['ratio']:.4f}")
    print(f"welfare loss (money-metric, total) = {totals['welfare_loss_total']:.6g}")
    print(f"Samuelson residual at Nash (sum of MRS - p) = {totals['samuelson_residual_at_nash']:.6g}")
    if totals["status"]:
        print(f"warning: status {totals['status']} (see burden.free_riding)")
    return 0
