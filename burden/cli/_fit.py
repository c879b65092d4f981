"""``burden fit``: fit the Nash or Lindahl alliance model to a CSV panel and print the summary."""

from __future__ import annotations

import argparse

from burden.cli._output import exit_code, print_json

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``fit`` command."""
    parser = subparsers.add_parser(
        "fit",
        help="fit the Nash or Lindahl alliance model to a country x year CSV panel",
        description="Structural fit of burden.estimation.fit (docs/estimation.md): one row per "
        "country and year with spending and income in the same units. Prints a statsmodels-style "
        "summary; exit status 1 if the fit's status is a failure.",
    )
    parser.add_argument("csv", metavar="CSV", help="the panel, a CSV file with a header row")
    parser.add_argument("--model", choices=["nash", "lindahl"], default="nash")
    parser.add_argument("--prefs", choices=["cobb-douglas", "ces"], default="cobb-douglas")
    parser.add_argument("--spillover", choices=["estimate"], default=None, help="estimate a spill-in theta")
    parser.add_argument("--method", choices=["best-response", "equilibrium"], default="best-response")
    parser.add_argument("--country", default="country", help="country column (default: country)")
    parser.add_argument("--year", default="year", help="year column (default: year)")
    parser.add_argument("--spending", default="spending", help="spending column (default: spending)")
    parser.add_argument("--income", default="income", help="income column (default: income)")
    parser.add_argument("--pooled", action="store_true", help="one preference share for all countries")
    parser.add_argument("--bootstrap", type=int, default=None, help="bootstrap replications for the SEs")
    parser.add_argument("--rng", type=int, default=None, help="seed of the bootstrap")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the summary")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Fit and print; return 1 if the status is a failure."""
    import pandas as pd

    from burden.estimation import fit

    try:
        data = pd.read_csv(args.csv, comment="#")
    except (OSError, pd.errors.ParserError) as exc:
        raise ValueError(f"cannot read CSV {args.csv!r}: {exc}") from exc
    res = fit(
        data,
        model=args.model,
        prefs=args.prefs,
        spillover=args.spillover,
        method=args.method,
        country=args.country,
        year=args.year,
        spending=args.spending,
        income=args.income,
        pooled=args.pooled,
        bootstrap=args.bootstrap,
        rng=args.rng,
    )
    if args.json:
        low, high = res.conf_int().T
        print_json(
            {
                "model": res.model,
                "prefs": res.prefs,
                "method": res.method,
                "params": dict(zip(res.param_names, res.params, strict=True)),
                "bse": dict(zip(res.param_names, res.bse, strict=True)),
                "conf_int": {n: [lo, hi] for n, lo, hi in zip(res.param_names, low, high, strict=True)},
                "cov_type": res.cov_type,
                "nobs": res.nobs,
                "loglik": res.loglik,
                "aic": res.aic,
                "bic": res.bic,
                "status": int(res.status),
            }
        )
    else:
        print(res.summary().as_text())
    return exit_code(res.status)
