"""The reproduction framework: discovery, comparison rules, verdicts, needs, CLI exit codes."""

from __future__ import annotations

import json
import sys
import textwrap

import burden.papers
import pytest

from burden.cli import main
from burden.reproduce import Evidence, Needs, available, paper_names, paper_titles, reproduce

README = """\
# Fake (2024): a test paper

**Citation.** Fake, A. (2024). *Journal* 1(1), 1-2, Table 1 (p. 1).

**Claim.** Nothing.

**Data.** None.
"""


@pytest.fixture
def fake_paper(tmp_path, monkeypatch):
    """Write a paper folder ``fake_2024`` beside the shipped ones; return a writer for its files."""
    root = tmp_path / "extra"
    folder = root / "fake_2024"
    folder.mkdir(parents=True)
    monkeypatch.setattr(burden.papers, "__path__", [*burden.papers.__path__, str(root)])

    def write(reference: str, code: str) -> str:
        (folder / "README.md").write_text(README, encoding="utf-8")
        (folder / "reference.csv").write_text(textwrap.dedent(reference), encoding="utf-8")
        (folder / "__init__.py").write_text(textwrap.dedent(code), encoding="utf-8")
        sys.modules.pop("burden.papers.fake_2024", None)
        return "fake_2024"

    yield write
    sys.modules.pop("burden.papers.fake_2024", None)


def test_discovery_finds_every_folder_with_a_reference_table():
    names = paper_names()
    assert names == sorted(names)
    for name in ("olson_1966", "kydd_2005", "bergstrom_1986", "andreoni_1993", "sandler_1977", "snyder_1984"):
        assert name in names
    assert "_nato_panel" not in names
    assert paper_titles()["olson_1966"].startswith("Olson & Zeckhauser (1966)")


def test_a_new_folder_is_discovered_without_registration(fake_paper):
    name = fake_paper(
        """\
        quantity,value,tolerance,kind,source
        x,1,0,derived,by hand
        """,
        "def compute():\n    return {'x': 1}\n",
    )
    assert name in paper_names()
    [result] = reproduce([name], progress=False)
    assert result.ok and result.rows[0].verdict == "agrees"
    assert result.citation == "Fake, A. (2024). Journal 1(1), 1-2, Table 1 (p. 1)."


def test_printed_precision_compares_at_the_printed_digits(fake_paper):
    name = fake_paper(
        """\
        quantity,value,tolerance,kind,source
        # the reference 0.5556 is 5/9 printed to four decimals
        rounds to it,0.5556,printed,published,Table 1
        rounds elsewhere,0.5556,printed,published,Table 1
        halfway,0.25,printed,derived,by hand
        """,
        "def compute():\n    return {'rounds to it': 5 / 9, 'rounds elsewhere': 0.55566, 'halfway': 0.255}\n",
    )
    [result] = reproduce([name], progress=False)
    assert [row.verdict for row in result.rows] == ["agrees", "MISSED", "agrees"]
    assert result.rows[0].tolerance == pytest.approx(5e-5)
    assert not result.ok
    assert "MISSED" in result.as_text()


def test_a_disagreeing_verdict_is_a_finding_not_a_failure(fake_paper):
    name = fake_paper(
        """\
        quantity,value,tolerance,kind,source
        the finding holds,yes,,verdict,abstract
        the finding is denied,no,,verdict,abstract
        """,
        """\
        from burden.reproduce import Evidence
        def compute():
            return {
                'the finding holds': Evidence(False, 'rho 0.1, p 0.6'),
                'the finding is denied': Evidence(False, 'rho 0.1, p 0.6'),
            }
        """,
    )
    [result] = reproduce([name], progress=False)
    assert [row.verdict for row in result.rows] == ["does not agree", "agrees"]
    assert result.ok and len(result.findings) == 1
    assert "does not agree (finding)" in result.as_text() and "rho 0.1, p 0.6" in result.as_text()


def test_rows_that_need_something_are_listed_never_faked(fake_paper):
    name = fake_paper(
        """\
        quantity,value,tolerance,kind,source
        from data,0.49,printed,published,Table 1
        from their data,0.49,printed,published,Table 1
        by hand,2,0,derived,by hand
        """,
        """\
        from burden.reproduce import Needs
        NEEDS = ("burden.no_such_module.load",)
        def compute():
            return {'by hand': 2, 'from their data': Needs("the authors' data")}
        """,
    )
    [result] = reproduce([name], progress=False)
    assert [row.verdict for row in result.rows] == ["needs", "needs", "agrees"]
    assert result.rows[0].computed is None and result.ok
    assert result.needs == ("burden.no_such_module.load",)
    text = result.as_text()
    assert "needs: burden.no_such_module.load" in text and "needs: the authors' data" in text


def test_a_row_neither_computed_nor_declared_missing_is_an_error(fake_paper):
    name = fake_paper(
        """\
        quantity,value,tolerance,kind,source
        x,1,0,derived,by hand
        """,
        "def compute():\n    return {}\n",
    )
    with pytest.raises(ValueError, match="reference row 'x' was not computed"):
        reproduce([name], progress=False)


def test_a_computed_value_without_a_reference_row_is_an_error(fake_paper):
    name = fake_paper("quantity,value,tolerance,kind,source\n", "def compute():\n    return {'y': 1}\n")
    with pytest.raises(ValueError, match=r"computed 'y', which is not in reference\.csv"):
        reproduce([name], progress=False)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,1,0,guessed,by hand", "`kind` must be one of published, derived, verdict; got 'guessed'"),
        ("x,maybe,,verdict,abstract", "a verdict's `value` must be 'yes' or 'no'; got 'maybe'"),
        ("x,one,0,derived,by hand", r"row 2: `value` and `tolerance` must be numbers .*got 'one', '0'"),
        ("x,1,tight,derived,by hand", "got '1', 'tight'"),
    ],
)
def test_malformed_reference_rows_name_the_file_and_row(fake_paper, row, message):
    name = fake_paper(f"quantity,value,tolerance,kind,source\n{row}\n", "def compute():\n    return {}\n")
    with pytest.raises(ValueError, match=message):
        reproduce([name], progress=False)


def test_a_verdict_must_be_computed_as_evidence(fake_paper):
    name = fake_paper(
        "quantity,value,tolerance,kind,source\nx,yes,,verdict,abstract\n",
        "def compute():\n    return {'x': 1}\n",
    )
    with pytest.raises(TypeError, match="must be computed as an Evidence"):
        reproduce([name], progress=False)


def test_unknown_name():
    with pytest.raises(ValueError, match="unknown reproduction 'nope'; choose from andreoni_1993"):
        reproduce(["nope"], progress=False)


def test_available_checks_modules_and_attributes():
    assert available("burden.nash", "burden.reproduce.Evidence")
    assert not available("burden.not_there")
    assert not available("burden.reproduce.not_there")
    assert Needs("x") == Needs("x") and Evidence(True, "s").holds


def test_on_result_sees_every_paper_in_order():
    seen = []
    results = reproduce(["snyder_1984", "kydd_2005"], progress=False, on_result=seen.append)
    assert [r.name for r in seen] == ["snyder_1984", "kydd_2005"] == [r.name for r in results]


# -- the command --------------------------------------------------------------------------------


def test_cli_prints_tables_and_exits_0(capsys):
    assert main(["reproduce", "kydd_2005", "andreoni_1993"]) == 0
    out = capsys.readouterr().out
    assert "reference" in out and "computed" in out and "difference" in out and "verdict" in out
    assert "2 reproductions, 9 rows: 9 agree; 0 missed" in out


def test_cli_every_reproduction_agrees(capsys):
    # moved here from tests/cli/test_solve_cli.py when the papers moved to one folder each
    assert main(["reproduce"]) == 0
    out = capsys.readouterr().out
    assert "Olson & Zeckhauser (1966)" in out and "Kydd (2005)" in out
    assert "MISSED" not in out and "; 0 missed" in out


def test_cli_json_is_strict(capsys):
    assert main(["reproduce", "olson_1966", "--json"]) == 0
    [paper] = json.loads(capsys.readouterr().out, parse_constant=pytest.fail)
    assert paper["name"] == "olson_1966"
    kinds = {row["kind"] for row in paper["rows"]}
    assert kinds == {"published", "derived", "verdict"}
    needs = [row for row in paper["rows"] if row["verdict"] == "needs"]
    assert needs and all(row["computed"] is None for row in needs)


def test_cli_list(capsys):
    assert main(["reproduce", "--list"]) == 0
    out = capsys.readouterr().out
    assert "olson_1966" in out and "Olson & Zeckhauser (1966)" in out


def test_cli_exits_1_when_a_number_is_missed(fake_paper, capsys):
    name = fake_paper(
        "quantity,value,tolerance,kind,source\nx,1,0,derived,by hand\n",
        "def compute():\n    return {'x': 2}\n",
    )
    assert main(["reproduce", name]) == 1
    assert "1 missed — fake_2024: x" in capsys.readouterr().out


def test_cli_finding_does_not_fail(fake_paper, capsys):
    name = fake_paper(
        "quantity,value,tolerance,kind,source\nx,yes,,verdict,abstract\n",
        "from burden.reproduce import Evidence\ndef compute():\n    return {'x': Evidence(False, 'no')}\n",
    )
    assert main(["reproduce", name]) == 0
    assert "1 published findings not supported by our evidence (findings)" in capsys.readouterr().out


def test_cli_unknown_name_is_bad_input(capsys):
    assert main(["reproduce", "nope"]) == 2
    assert "unknown reproduction 'nope'" in capsys.readouterr().err
