"""Reproductions of published (or stated) numbers, printed beside the computed ones.

Each reproduction lives in ``papers/<name>/`` (installed as ``burden.papers.<name>``) and
exposes ``TITLE``, ``CITATION``, ``SOURCE_NOTE`` and ``rows()``, a list of
``(quantity, published, computed, tolerance)``. The computed values are computed when
``rows()`` runs — never stored. :func:`reproduce` collects them; ``burden reproduce`` prints
them as tables.
"""

from __future__ import annotations

import dataclasses
import importlib

import numpy as np

__all__ = ["PAPERS", "Reproduction", "reproduce"]

#: the reproductions shipped, in the order ``burden reproduce`` prints them
PAPERS = ("worked_examples", "kydd_trust")


@dataclasses.dataclass(frozen=True)
class Reproduction:
    """One publication's numbers: published (or stated) against computed.

    Attributes
    ----------
    name, title, citation, source_note : str
    quantities : tuple of str
    published, computed, tolerance : ndarray
    """

    name: str
    title: str
    citation: str
    source_note: str
    quantities: tuple[str, ...]
    published: np.ndarray
    computed: np.ndarray
    tolerance: np.ndarray

    @property
    def difference(self) -> np.ndarray:
        """``computed - published``."""
        return self.computed - self.published

    @property
    def agrees(self) -> np.ndarray:
        """Per quantity: is the difference within its tolerance?"""
        return np.abs(self.difference) <= self.tolerance

    def as_text(self) -> str:
        """The table printed by ``burden reproduce``."""
        width = max(len(q) for q in self.quantities)
        lines = [self.title, self.citation, f"Note: {self.source_note}", ""]
        lines.append(f"{'quantity':<{width}}  {'reference':>12}  {'computed':>12}  {'difference':>11}  ok")
        for row in zip(
            self.quantities, self.published, self.computed, self.difference, self.agrees, strict=True
        ):
            quantity, published, computed, difference, agrees = row
            lines.append(
                f"{quantity:<{width}}  {published:>12.6g}  {computed:>12.6g}  {difference:>11.2e}  "
                f"{'yes' if agrees else 'NO'}"
            )
        return "\n".join(lines)

    def as_dict(self) -> dict:
        """A JSON-ready dictionary."""
        return {
            "name": self.name,
            "title": self.title,
            "citation": self.citation,
            "source_note": self.source_note,
            "rows": [
                {
                    "quantity": q,
                    "published": float(p),
                    "computed": float(c),
                    "tolerance": float(t),
                    "ok": bool(ok),
                }
                for q, p, c, t, ok in zip(
                    self.quantities, self.published, self.computed, self.tolerance, self.agrees, strict=True
                )
            ],
        }


def reproduce(names: list[str] | tuple[str, ...] | None = None) -> list[Reproduction]:
    """Run the named reproductions (all of :data:`PAPERS` by default).

    Examples
    --------
    >>> from burden.reproduce import reproduce
    >>> [rep] = reproduce(["worked_examples"])
    >>> bool(rep.agrees.all())
    True
    """
    names = PAPERS if not names else tuple(names)
    unknown = [name for name in names if name not in PAPERS]
    if unknown:
        raise ValueError(f"unknown reproduction {unknown[0]!r}; choose from {', '.join(PAPERS)}")
    out = []
    for name in names:
        module = importlib.import_module(f"burden.papers.{name}")
        quantities, published, computed, tolerance = zip(*module.rows(), strict=True)
        out.append(
            Reproduction(
                name=name,
                title=module.TITLE,
                citation=module.CITATION,
                source_note=module.SOURCE_NOTE,
                quantities=tuple(quantities),
                published=np.asarray(published, dtype=float),
                computed=np.asarray(computed, dtype=float),
                tolerance=np.asarray(tolerance, dtype=float),
            )
        )
    return out
