"""Tests of ``burden solve`` and ``burden reproduce`` (run in-process through ``main``)."""

import json

import pytest

from burden.cli import main


def test_solve_prints_nash_and_lindahl(capsys):
    assert main(["solve", "--wealth", "100,80", "--a", "0.5,0.5"]) == 0
    out = capsys.readouterr().out
    assert "Nash total G = 60" in out and "Lindahl total G = 90" in out
    assert "ratio G_N/G_L = 0.6667" in out


def test_solve_marks_free_riders(capsys):
    main(["solve", "--wealth", "100,40"])
    assert "(free rider)" in capsys.readouterr().out


def test_solve_marks_absent_members_as_absent_not_free_riders(capsys):
    main(["solve", "--wealth", "nan,80"])
    rows = capsys.readouterr().out.splitlines()[1:3]
    assert rows[0].endswith("(absent)") and not rows[1].endswith(")")


def test_solve_names_the_bad_value_as_a_plain_number(capsys):
    assert main(["solve", "--wealth", "100,-80"]) == 2
    assert "w[1] = -80.0" in capsys.readouterr().err


def test_solve_json(capsys):
    assert main(["solve", "-w", "100,80", "--rho", "-0.5", "--p", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["member"] for m in data["members"]] == [1, 2]
    assert data["totals"]["G_nash"] < data["totals"]["G_optimum"]


def test_solve_takes_lists_with_spaces_commas_or_both(capsys):
    outputs = []
    for wealth in (["100", "80"], ["100,80"], ["100,", "80"]):
        assert main(["solve", "--wealth", *wealth, "--a", "0.5", "0.5", "--json"]) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0]["totals"]["G_nash"] == 60.0


def test_solve_flags_are_the_parameters(capsys):
    # G0, spillover and p reach free_riding under their own names (derived values)
    assert main(["solve", "--wealth", "100", "80", "--G0", "30", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["G_nash"] == 70.0
    assert main(["solve", "--wealth", "100", "80", "--spillover", "0.5", "--json"]) == 0
    members = json.loads(capsys.readouterr().out)["members"]
    assert abs(members[0]["nash_contribution"] - 128 / 3) < 1e-9
    assert main(["solve", "--wealth", "100", "80", "--rho", "-1e-3", "--p", "2"]) == 0
    assert "Lindahl total G" in capsys.readouterr().out
    assert main(["solve", "--wealth", "1", "1", "1", "--a", "0.3", "--b", "0.2", "--json"]) == 0
    assert abs(json.loads(capsys.readouterr().out)["members"][0]["nash_contribution"] - 0.375) < 1e-12


def test_solve_json_is_strict_and_a_failure_exits_1(capsys):
    # CES with rho near 1: the equilibrium lies below the floating-point range (NOT_FINITE)
    assert main(["solve", "--wealth", "100", "80", "--a", "0.3", "--rho", "0.999", "--json"]) == 1
    text = capsys.readouterr().out
    assert "NaN" not in text and "Infinity" not in text
    data = json.loads(text)
    assert data["totals"]["status_name"] == "NOT_FINITE"
    assert main(["solve", "--wealth", "100", "80", "--a", "0.3", "--rho", "0.999"]) == 1
    assert "NOT_FINITE" in capsys.readouterr().out


def test_solve_bad_input_is_a_clean_error(capsys):
    assert main(["solve", "--wealth", "100,-5"]) == 2
    assert "`w` must be > 0; w[1]" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["solve", "--wealth", "100,abc"])
    assert "expected numbers separated by commas or spaces" in capsys.readouterr().err


def test_every_command_has_help(capsys):
    for command in (["--help"], ["solve", "--help"], ["reproduce", "--help"], ["security", "--help"]):
        with pytest.raises(SystemExit) as exit_info:
            main(command)
        assert exit_info.value.code == 0
        assert "usage: burden" in capsys.readouterr().out


def test_solve_with_a_floor_reports_the_pledged_equilibrium(capsys):
    assert main(["solve", "--wealth", "100", "40", "--a", "0.5", "--floor", "0.3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["G"] == pytest.approx(56.0) and data["totals"]["added"] == pytest.approx(6.0)
    assert [m["bound"] for m in data["members"]] == [False, True]


def test_solve_with_a_rule_reports_cost_sharing(capsys):
    assert main(["solve", "--wealth", "100,80", "--rule", "income"]) == 0
    assert "G = 90" in capsys.readouterr().out
    # equal shares: the poorest member cannot pay a third of the median choice
    assert main(["solve", "--wealth", "100", "80", "20", "--rule", "equal", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["status_name"] == "INFEASIBLE" and data["members"][2]["prefers_nash"]


def test_floor_and_rule_are_exclusive(capsys):
    assert main(["solve", "--wealth", "100", "80", "--floor", "0.1", "--rule", "equal"]) == 2
    assert "cannot be combined" in capsys.readouterr().err
