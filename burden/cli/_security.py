"""``burden security``: Snyder's alliance commitment game and Kydd's trust game from the shell.

``burden security solve`` prints every equilibrium of one dyadic commitment game (with its
risks, stability and the strong/weak 2×2 type); ``burden security trust`` prints Kydd's
cutoff equilibria for a uniform type distribution. Flags are named after the parameters of
:class:`burden.security.CommitmentGame` and :func:`burden.security.trust_cutoffs`; both
commands take ``--json`` and exit 1 when a reported status is a failure.
"""

from __future__ import annotations

import argparse
import math

import numpy as np

from burden.cli._args import flatten, floats
from burden.cli._output import exit_code, print_json

__all__ = ["register"]

_ALLY = {
    "pi": ("crisis probability of each ally, in [0, 1]", None),
    "d": ("dependence: loss if abandoned in a crisis", None),
    "e": ("cost of fighting in the partner's war", None),
    "s": ("shared interests, in [0, 1]", 0.0),
    "m": ("moral hazard of each ally (how much backing emboldens it)", 0.0),
    "kappa": ("intra-alliance bargaining leverage", 0.0),
    "deterrence": ("value of joint deterrence (D in docs/security.md)", 0.0),
    "spiral": ("adversary-spiral cost of firmness (h in docs/security.md)", 0.0),
    "k": ("cost of maintaining commitment", 0.0),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``security`` command and its ``solve`` and ``trust`` sub-commands."""
    parser = subparsers.add_parser(
        "security",
        help="Snyder's alliance security dilemma and Kydd's trust game",
        description="Snyder's alliance security dilemma (our formalisation, see docs/security.md) "
        "and Kydd's trust game.",
    )
    sub = parser.add_subparsers(dest="security_command", metavar="SUBCOMMAND", required=True)

    solve = sub.add_parser(
        "solve",
        help="all equilibria of a dyadic commitment game and its 2x2 type",
        description="Print every equilibrium of the dyadic commitment game with the given parameters "
        "(one value for both allies, or two values: ally 1, ally 2, as '0.3 0.4' or '0.3,0.4'), "
        "and the type of its strong/weak 2x2 reduction.",
    )
    for name, (text, default) in _ALLY.items():
        solve.add_argument(
            f"--{name}",
            type=floats,
            nargs="+",
            required=default is None,
            default=None if default is None else [np.array([default])],
            metavar="X",
            help=text + ("" if default is None else f" (default {default:g})"),
        )
    solve.add_argument(
        "--realign",
        type=floats,
        default=np.array([0.0]),
        metavar="X",
        help="realignment options of the system (rho in docs/security.md), >= 0 (default 0)",
    )
    solve.add_argument("--json", action="store_true", help="print JSON instead of a table")
    solve.set_defaults(func=_run_solve)

    trust = sub.add_parser(
        "trust",
        help="Kydd's cutoff equilibria for uniform types",
        description="Cutoff equilibria t* = 1 + c - c/F(t*) of Kydd's trust game, types t ~ U[low, high].",
    )
    trust.add_argument(
        "--c", type=floats, nargs="+", required=True, metavar="C", help="cost(s) of being exploited, > 0"
    )
    trust.add_argument(
        "--low", type=floats, default=np.array([0.0]), metavar="X", help="lowest type (default 0)"
    )
    trust.add_argument(
        "--high", type=floats, default=np.array([2.0]), metavar="X", help="highest type (default 2)"
    )
    trust.add_argument("--json", action="store_true", help="print JSON instead of a table")
    trust.set_defaults(func=_run_trust)


def _scalar(values: np.ndarray, flag: str) -> float:
    """The single number given to ``flag``."""
    if values.size != 1:
        raise ValueError(f"`--{flag}` takes one number; got {values.size}")
    return float(values[0])


def _ally_values(args: argparse.Namespace) -> dict[str, np.ndarray]:
    values = {}
    for name in _ALLY:
        given = flatten(getattr(args, name))
        if len(given) not in (1, 2):
            raise ValueError(
                f"`--{name}` takes one value (both allies) or two (ally 1, ally 2); got {len(given)}"
            )
        values[name] = given
    return values


def _run_solve(args: argparse.Namespace) -> int:
    from burden import Status
    from burden.security import CommitmentGame

    game = CommitmentGame(**_ally_values(args), realign=_scalar(args.realign, "realign"))
    eq = game.equilibria()
    kind = str(game.to_2x2().name)
    rows = [
        {
            "c1": eq.c[i, 0],
            "c2": eq.c[i, 1],
            "stable": bool(eq.stable[i]),
            "abandonment1": eq.abandonment_risk[i, 0],
            "abandonment2": eq.abandonment_risk[i, 1],
            "entrapment1": eq.entrapment_risk[i, 0],
            "entrapment2": eq.entrapment_risk[i, 1],
            "U1": eq.utility[i, 0],
            "U2": eq.utility[i, 1],
        }
        for i in range(int(eq.count))
    ]
    status = Status(int(eq.status)).name
    if args.json:
        print_json(
            {
                "type_2x2": kind,
                "status": status,
                "continuum": bool(eq.continuum),
                "segments": eq.segments,
                "equilibria": rows,
            }
        )
        return exit_code(eq.status)
    print(f"strong/weak 2x2 type: {kind}")
    print(f"status: {status}")
    if eq.continuum:
        print("continuum of equilibria: the rows are its extreme points")
    header = list(rows[0]) if rows else []
    print("  ".join(f"{h:>12}" for h in header))
    for row in rows:
        print("  ".join(f"{v!s:>12}" if isinstance(v, bool) else _number(float(v)) for v in row.values()))
    return exit_code(eq.status)


def _run_trust(args: argparse.Namespace) -> int:
    from scipy import stats

    from burden import Status
    from burden.security import trust_cutoffs

    low, high = _scalar(args.low, "low"), _scalar(args.high, "high")
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"`--low` and `--high` must be finite; got low={low}, high={high}")
    if not high > low:
        raise ValueError(f"`--high` must exceed `--low`; got low={low}, high={high}")
    costs = flatten(args.c)
    res = trust_cutoffs(costs, stats.uniform(low, high - low))
    if args.json:
        print_json(
            [
                {
                    "c": c,
                    "cutoffs": row[:count],
                    "spiral": bool(spiral),
                    "everyone_cooperates": bool(everyone),
                    "status": Status(int(code)).name,
                }
                for c, row, count, spiral, everyone, code in zip(
                    costs,
                    res.cutoffs,
                    res.count,
                    res.spiral,
                    res.everyone_cooperates,
                    res.status,
                    strict=True,
                )
            ]
        )
        return exit_code(res.status)
    print(f"{'c':>10}  cutoffs")
    for c, row, count, spiral, code in zip(
        costs, res.cutoffs, res.count, res.spiral, res.status, strict=True
    ):
        text = ", ".join(f"{t:.6f}" for t in row[:count]) if count else "none"
        note = "  (spiral: only mutual defection)" if spiral else ""
        failed = "" if code >= 0 else f"  [{Status(int(code)).name}]"
        print(f"{c:10.4g}  {text}{note}{failed}")
    return exit_code(res.status)


def _number(value: float) -> str:
    """Twelve characters: fixed-point for everyday magnitudes, scientific beyond them (utilities
    scale with the payoffs, and 1e-300 to 1e300 are valid payoffs)."""
    if value == 0 or 1e-4 <= abs(value) < 1e6 or value != value:
        return f"{value:12.6f}"
    return f"{value:12.5e}"
