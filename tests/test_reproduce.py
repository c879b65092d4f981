"""Tests of the reproduction framework: tables agree, and a disagreement is reported."""

import numpy as np
import pytest

from burden.reproduce import PAPERS, Reproduction, reproduce


def test_every_shipped_reproduction_agrees_within_tolerance():
    results = reproduce()
    assert [r.name for r in results] == list(PAPERS)
    for result in results:
        assert result.agrees.all(), result.as_text()
        assert result.source_note and result.citation


def test_a_disagreement_is_visible():
    bad = Reproduction("x", "t", "c", "n", ("q",), np.array([1.0]), np.array([1.1]), np.array([0.01]))
    assert not bad.agrees.all()
    assert "NO" in bad.as_text()


def test_unknown_name():
    with pytest.raises(ValueError, match="unknown reproduction 'nope'"):
        reproduce(["nope"])
