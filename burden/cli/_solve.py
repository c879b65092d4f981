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
from burden.cli._prefs import add_alliance_arguments, alliance_from

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
    add_alliance_arguments(parser)
    parser.add_argument(
        "--spillover",
        type=float,
        default=None,
        help="spill-in weight in [0, 1]: the share of an ally's defence that protects the others "
        "(default: a pure public good)",
    )
    parser.add_argument(
        "--floor", type=floats, nargs="+", default=None, metavar="S",
        help="spending floors (pledges) as shares of income in [0, 1), e.g. 0.02: solve the pledged "
        "Nash equilibrium beside plain Nash and Lindahl (docs/sharing.md)",
    )  # fmt: skip
    parser.add_argument(
        "--rule", default=None, metavar="RULE",
        help="a cost-sharing rule: 'income', 'equal', 'lindahl' or shares ('0.6 0.4'); the alliance "
        "chooses the total by --choice (docs/sharing.md)",
    )  # fmt: skip
    parser.add_argument(
        "--choice", default="median", choices=("median", "utilitarian"),
        help="collective choice of the total under --rule (default median)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print strict JSON instead of a table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Solve and print; return the exit code."""
    wealth, prefs = alliance_from(args)
    if args.floor is not None and args.rule is not None:
        raise ValueError("`--floor` (pledges) and `--rule` (cost sharing) cannot be combined")
    if args.floor is not None or args.rule is not None:
        if args.spillover is not None:
            raise ValueError("`--floor` and `--rule` solve the pure public good: drop `--spillover`")
        return _arrangement(args, wealth, prefs)
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
            f"{m['welfare_loss']:>10.4g}" + _role(m)
        )
    print()
    print(f"Nash total G = {float(fr.G_nash):.6g}; {reference} total G = {float(fr.G_optimum):.6g}")
    print(f"provision gap = {float(fr.gap):.6g}; ratio G_N/G_{short} = {float(fr.ratio):.4f}")
    print(f"welfare loss (money-metric, total) = {float(fr.welfare_loss_total):.6g}")
    print(f"Samuelson residual at Nash (social value of a unit - p) = {float(fr.samuelson_residual):.6g}")
    if totals["status"]:
        print(f"status {totals['status_name']} ({totals['status']}): see docs/status.md")
    return code


def _arrangement(args: argparse.Namespace, wealth: np.ndarray, prefs: bd.Preferences) -> int:
    """``--floor`` or ``--rule``: the arrangement beside plain Nash, per member."""
    if args.floor is not None:
        out = bd.pledged_nash(wealth, prefs, flatten(args.floor), p=args.p, G0=args.G0)
        status = out.comparison_status
        members = {"pays": out.g * args.p, "floor": out.floor * args.p, "bound": out.bound}
        totals = {"G": out.G, "G_nash": out.G_nash, "added": out.added, "G_lindahl": out.G_lindahl}
        title = "pledged Nash equilibrium"
    else:
        rule = args.rule if args.rule in ("income", "equal", "lindahl") else floats(args.rule)
        out = bd.cost_sharing(wealth, prefs, rule, p=args.p, G0=args.G0, choice=args.choice)
        status = out.status
        members = {
            "share": out.shares,
            "pays": out.payments,
            "ideal_G": out.ideal,
            "prefers_nash": out.prefers_nash,
        }
        totals = {"G": out.G, "rule": out.rule, "choice": out.choice}
        title = f"cost sharing ({out.rule} shares, {out.choice} choice)"
    totals |= {"status": int(status), "status_name": bd.Status(int(status)).name}
    if args.json:
        rows = [
            {"member": i + 1, "wealth": w} | {k: v[i] for k, v in members.items()}
            for i, w in enumerate(wealth)
        ]
        print_json({"members": rows, "totals": totals})
        return exit_code(status)
    print(title)
    print(f"{'member':>6} {'wealth':>10} " + " ".join(f"{k:>12}" for k in members))
    for i, w in enumerate(wealth):
        cells = " ".join(f"{_cell(v[i]):>12}" for v in members.values())
        print(f"{i + 1:>6} {w:>10.4g} {cells}")
    print()
    print("; ".join(f"{k} = {_cell(v)}" for k, v in totals.items() if k not in ("status", "status_name")))
    if totals["status"]:
        print(f"status {totals['status_name']} ({totals['status']}): see docs/status.md")
    return exit_code(status)


def _cell(value) -> str:
    value = np.asarray(value)[()]
    if isinstance(value, (bool, np.bool_, str)):
        return str(value)
    return f"{float(value):.6g}"


def _role(member: dict) -> str:
    """The note after a member's row: absent members (NaN wealth) are not free riders."""
    if member["wealth"] is None or member["wealth"] != member["wealth"]:
        return "  (absent)"
    return "" if member["contributor"] else "  (free rider)"
