"""``burden solve``: Nash against the Pareto optimum for one alliance, member by member.

Flags are named after the parameters of :func:`burden.free_riding` and the preference
classes they set (``docs/publicgoods.md``).
"""

from __future__ import annotations

import argparse

import numpy as np

import burden as bd
from burden.cli._args import flatten, floats
from burden.cli._output import exit_code, print_json

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``solve`` command."""
    parser = subparsers.add_parser(
        "solve",
        help="Nash equilibrium vs the Pareto optimum of an alliance good",
        description="Solve the Olson-Zeckhauser alliance model for one alliance: Nash contributions "
        "against the Lindahl optimum (the joint optimum with spill-ins or joint products), per member, "
        "with the free-riding measures. Preferences are Cobb-Douglas u = (1-a) ln x + a ln G, CES with "
        "--rho, or joint products with --b. Lists take commas, spaces or both (--wealth 100 80). "
        "Exit status 1 when the reported status is a failure.",
    )
    parser.add_argument(
        "--wealth", "-w", type=floats, nargs="+", required=True, help="members' wealth (GDP), e.g. 100 80"
    )
    parser.add_argument(
        "--a",
        type=floats,
        nargs="+",
        default=[np.array([0.5])],
        help="weight on the alliance good, one value or one per member, in (0, 1) (default 0.5)",
    )
    parser.add_argument(
        "--rho",
        type=floats,
        nargs="+",
        default=None,
        help="CES substitution parameter(s), < 1 (default: Cobb-Douglas, i.e. rho = 0)",
    )
    parser.add_argument(
        "--b",
        type=floats,
        nargs="+",
        default=None,
        help="joint products: weight on the private benefit of own defence, in [0, 1) with a + b < 1",
    )
    parser.add_argument("--p", type=float, default=1.0, help="unit price of the alliance good (default 1)")
    parser.add_argument("--G0", type=float, default=0.0, help="exogenous provision, >= 0 (default 0)")
    parser.add_argument(
        "--spillover",
        type=float,
        default=None,
        help="spill-in weight in [0, 1]: the share of an ally's defence that protects the others "
        "(default: a pure public good)",
    )
    parser.add_argument("--json", action="store_true", help="print strict JSON instead of a table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Solve and print; return the exit code."""
    wealth, a = flatten(args.wealth), flatten(args.a)
    if args.b is not None and args.rho is not None:
        raise ValueError("`--b` (joint products) and `--rho` (CES) cannot be combined")
    if args.b is not None:
        prefs = bd.JointProduct(a, flatten(args.b))
    elif args.rho is not None:
        prefs = bd.CES(a, flatten(args.rho))
    else:
        prefs = bd.CobbDouglas(a)
    fr = bd.free_riding(wealth, prefs, p=args.p, G0=args.G0, spillover=args.spillover)
    eq, opt = fr.nash, fr.optimum
    members = [
        {
            "member": i + 1,
            "wealth": float(w),
            "nash_contribution": eq.g[i],
            "burden": fr.burden[i],
            "exploitation_index": fr.exploitation[i],
            "contributor": bool(eq.contributors[i]),
            "optimum_share": opt.tau[i],
            "optimum_contribution": opt.g[i],
            "welfare_loss": fr.welfare_loss[i],
        }
        for i, w in enumerate(np.broadcast_to(wealth, eq.g.shape))
    ]
    totals = {
        "G_nash": fr.G_nash,
        "G_optimum": fr.G_optimum,
        "gap": fr.gap,
        "ratio": fr.ratio,
        "welfare_loss_total": fr.welfare_loss_total,
        "samuelson_residual_at_nash": fr.samuelson_residual,
        "status": int(fr.status),
        "status_name": bd.Status(int(fr.status)).name,
    }
    code = exit_code(fr.status)
    if args.json:
        print_json({"members": members, "totals": totals})
        return code
    lindahl = isinstance(opt, bd.LindahlOptimum)
    reference, short = ("Lindahl", "L") if lindahl else ("joint optimum", "opt")
    print(
        f"{'member':>6} {'wealth':>10} {'nash g':>10} {'burden':>8} {'exploit':>8} {'opt. share':>12} "
        f"{'opt. g':>10} {'welf.loss':>10}"
    )
    for m in members:
        print(
            f"{m['member']:>6} {m['wealth']:>10.4g} {m['nash_contribution']:>10.4g} {m['burden']:>8.4f} "
            f"{m['exploitation_index']:>8.4f} {m['optimum_share']:>12.4f} {m['optimum_contribution']:>10.4g} "
            f"{m['welfare_loss']:>10.4g}" + ("" if m["contributor"] else "  (free rider)")
        )
    print()
    print(f"Nash total G = {float(fr.G_nash):.6g}; {reference} total G = {float(fr.G_optimum):.6g}")
    print(f"provision gap = {float(fr.gap):.6g}; ratio G_N/G_{short} = {float(fr.ratio):.4f}")
    print(f"welfare loss (money-metric, total) = {float(fr.welfare_loss_total):.6g}")
    print(f"Samuelson residual at Nash (social value of a unit - p) = {float(fr.samuelson_residual):.6g}")
    if totals["status"]:
        print(f"status {totals['status_name']} ({totals['status']}): see docs/status.md")
    return code
