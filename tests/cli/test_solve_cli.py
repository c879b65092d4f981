"""Tests of ``burden solve`` and ``burden reproduce`` (run in-process through ``main``)."""

import json

import pytest

from burden.cli import main


def test_solve_prints_nash_and_lindahl(capsys):
    assert main(["solve", "--wealth", "100,80", "--alpha", "0.5,0.5"]) == 0
    out = capsys.readouterr().out
    assert "Nash total G = 60" in out and "Lindahl total G = 90" in out
    assert "ratio G_N/G_L = 0.6667" in out


def test_solve_marks_free_riders(capsys):
    main(["solve", "--wealth", "100,40"])
    assert "(free rider)" in capsys.readouterr().out


def test_solve_json(capsys):
    assert main(["solve", "-w", "100,80", "--rho", "-0.5", "--price", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["member"] for m in data["members"]] == [1, 2]
    assert data["totals"]["G_nash"] < data["totals"]["G_lindahl"]


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
