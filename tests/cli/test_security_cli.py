"""Tests of the ``burden security`` command (registered on a local parser: the lead wires it in)."""

from __future__ import annotations

import json

import pytest

from burden.cli import _security
from burden.cli._args import Parser


def run(argv, capsys):
    parser = Parser(prog="burden")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
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
        "security solve --pi 0.3 --d 1 --e 0.5 --s 0.2 --m 0.5 --kappa 0.1 --deterrence 1 --spiral 0.05 "
        "--k 0.2 --realign 0.5"
    )
    code, out = run(argv.split(), capsys)
    assert code == 0
    assert "stag_hunt" in out
    assert "0.132075" in out  # the interior equilibrium 0.07 / 0.53 (derived)
    table = [line for line in out.splitlines() if line.strip()[:2] in ("0.", "1.")]
    assert len(table) == 3


def test_solve_json_and_two_values(capsys):
    argv = "security solve --pi 0.4 0.1 --d 2 0.5 --e 0.3 1 --s 0.5 --m 0.2 --k 0.5 --realign 1 --json"
    code, out = run(argv.split(), capsys)
    data = json.loads(out)
    assert code == 0 and len(data["equilibria"]) == 1 and data["status"] == "SUCCESS"
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


def test_flags_are_named_after_the_api_parameters(capsys):
    with pytest.raises(SystemExit):
        run(["security", "solve", "--help"], capsys)
    out = capsys.readouterr().out
    for flag in ("--deterrence", "--spiral", "--realign", "--kappa", "--json"):
        assert flag in out
    # no two flags differing only by case, no --h beside -h, no --rho (CES substitution elsewhere)
    for gone in ("--D ", "--h ", "--rho"):
        assert gone not in out
    for old in (["--D", "1"], ["--h", "0.1"], ["--rho", "0.5"]):
        with pytest.raises(SystemExit):
            run(["security", "solve", "--pi", "0.3", "--d", "1", "--e", "0.5", *old], capsys)


def test_simplest_game_is_quiet_and_succeeds(capsys, recwarn):
    code, out = run("security solve --pi 0.3 --d 1 --e 0.5".split(), capsys)
    assert code == 0 and "SUCCESS" in out
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_trust_json_and_its_status(capsys):
    code, out = run("security trust --c 0.1,0.5 --json".split(), capsys)
    data = json.loads(out)
    assert code == 0
    assert data[0]["cutoffs"] == pytest.approx([0.229844, 0.870156], abs=5e-7)
    assert data[1]["cutoffs"] == [] and data[1]["spiral"] and data[1]["status"] == "SUCCESS"


@pytest.mark.parametrize(
    "argv",
    [
        "security trust --c 0.1 --high inf",
        "security trust --c 0.1 --low -inf",
        "security trust --c 0.1 --low 1 --high 1",
        "security trust --c 0.1 --high 1,2",
        "security solve --pi 0.3 --d 1 --e 0.5 --realign 1,2",
    ],
)
def test_bad_trust_and_solve_arguments_exit_2(argv, capsys):
    from burden.cli import main

    assert main(argv.split()) == 2
    assert "error" in capsys.readouterr().err


def test_negative_realign_is_read_as_a_number_and_refused(capsys):
    from burden.cli import main

    assert main("security solve --pi 0.3 --d 1 --e 0.5 --realign -1e-3".split()) == 2
    assert "`realign` must be >= 0" in capsys.readouterr().err


def test_a_failed_status_exits_1(capsys, monkeypatch):
    from burden.cli import main
    from burden.security import _results

    original = _results.TrustCutoffs.__post_init__

    def failing(self):  # a cutoff that failed its certificate
        object.__setattr__(self, "status", self.status * 0 - 1)
        original(self)

    monkeypatch.setattr(_results.TrustCutoffs, "__post_init__", failing)
    assert main("security trust --c 0.1".split()) == 1
    assert "NOT_CONVERGED" in capsys.readouterr().out


def test_solve_prints_huge_utilities_in_scientific_notation(capsys):
    code, out = run("security solve --pi 0.5 --d 1e308 --e 1e-308".split(), capsys)
    assert code == 0
    row = out.splitlines()[-1].split()
    assert row[-2:] == ["-5.00000e+307", "-5.00000e+307"]  # not 308 digits of fixed point
