"""``burden bargain``: table, strict JSON, exit codes."""

import json

import pytest

from burden.cli import main


def test_table_and_success(capsys):
    assert main(["bargain", "--wealth", "100", "60", "20", "--a", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "agreed total G = 90" in out and "SUCCESS" in out


def test_json_is_strict_and_lists_every_field(capsys):
    assert (
        main(["bargain", "--wealth", "100,60", "--threat", "standalone", "--weights", "2", "1", "--json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert {"G", "x", "payments", "gain", "weights", "status"} <= set(data)
    assert data["weights"] == pytest.approx([2 / 3, 1 / 3])


def test_failure_status_exits_1_and_writes_null(capsys):
    assert main(["bargain", "--wealth", "100", "80", "--threat", "10 10", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["G"] is None and data["status"] == -2


def test_bad_input_exits_2(capsys):
    assert main(["bargain", "--wealth", "100", "-80"]) == 2
    assert "`w` must be > 0" in capsys.readouterr().err
