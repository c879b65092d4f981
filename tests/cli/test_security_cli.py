"""Tests of the ``burden security`` command (registered on a local parser: the lead wires it in)."""

from __future__ import annotations

import argparse
import json

import pytest

from burden.cli import _security


def run(argv, capsys):
    parser = argparse.ArgumentParser(prog="burden")
    sub = parser.add_subparsers(dest="command", required=True)
    _security.register(sub)
    args = parser.parse_args(argv)
    code = args.func(args)
    return code, capsys.readouterr().out


def test_help_lists_subcommands(capsys):
    with pytest.raises(SystemExit) as exc:
        run(["security", "--help"], capsys)
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "solve" in out and "trust" in out


def test_solve_prints_equilibria_and_type(capsys):
    argv = (
        "security solve --pi 0.3 --d 1 --e 0.5 --s 0.2 --m 0.5 --kappa 0.1 --D 1 --h 0.05 --k 0.2 --rho 0.5"
    )
    code, out = run(argv.split(), capsys)
    assert code == 0
    assert "stag_hunt" in out
    assert "0.132075" in out  # the interior equilibrium 0.07 / 0.53 (derived)
    table = [line for line in out.splitlines() if line.strip()[:2] in ("0.", "1.")]
    assert len(table) == 3


def test_solve_json_and_two_values(capsys):
    argv = "security solve --pi 0.4 0.1 --d 2 0.5 --e 0.3 1 --s 0.5 --m 0.2 --k 0.5 --rho 1 --json"
    code, out = run(argv.split(), capsys)
    data = json.loads(out)
    assert code == 0 and len(data["equilibria"]) == 1
    assert data["equilibria"][0]["c1"] == 1.0 and data["equilibria"][0]["c2"] == 0.0


def test_trust_prints_cutoffs_and_spiral(capsys):
    code, out = run("security trust --c 0.1 0.5".split(), capsys)
    assert code == 0
    assert "0.229844, 0.870156" in out
    assert "none  (spiral" in out


def test_bad_values_raise(capsys):
    with pytest.raises(ValueError, match="`pi`"):
        run("security solve --pi 1.5 --d 1 --e 1".split(), capsys)
    with pytest.raises(ValueError, match="`--d`"):
        run("security solve --pi 0.5 --d 1 2 3 --e 1".split(), capsys)


def test_ally_values_may_be_comma_separated_like_burden_solve(capsys):
    from burden.cli import main

    rest = ["--d", "2", "--e", "1", "--k", "0.5", "--json"]
    assert main(["security", "solve", "--pi", "0.3,0.4", *rest]) == 0
    comma = capsys.readouterr().out
    assert main(["security", "solve", "--pi", "0.3", "0.4", *rest]) == 0
    assert capsys.readouterr().out == comma
