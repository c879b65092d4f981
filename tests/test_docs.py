"""Run the examples in README.md, docs/*.md and docs/howto/*.md as doctests: the docs must not drift.

A page that uses optional parts of the package says so in a comment,
``<!-- needs: burden.data burden.study -->``; it is skipped (not failed) where they are
missing. Figures are drawn with the non-interactive Agg backend.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from burden.reproduce import available

ROOT = Path(__file__).resolve().parents[1]
DOCS = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "docs" / "howto").glob("*.md")),
]
_NEEDS = re.compile(r"<!--\s*needs:\s*([\w. ]+?)\s*-->")


@pytest.mark.parametrize("path", DOCS, ids=[str(p.relative_to(ROOT)) for p in DOCS])
def test_examples_run(path):
    marker = _NEEDS.search(path.read_text(encoding="utf-8"))
    if marker and not available(*marker.group(1).split()):
        pytest.skip(f"{path.name} needs {marker.group(1)}")
    try:
        import matplotlib
    except ImportError:
        pass
    else:
        matplotlib.use("Agg")
    result = doctest.testfile(
        str(path), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    )
    assert result.attempted > 0 and result.failed == 0
