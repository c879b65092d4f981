"""Reproductions of the published record: reference values beside the ones ``burden`` computes.

Every publication has one folder ``papers/<first-author_year>/`` (installed as the package
``burden.papers``), found by discovery — adding a folder adds a reproduction. A folder holds

* ``README.md``: a ``# title`` line, then ``**Citation.**``, ``**Claim.**`` and ``**Data.**``
  paragraphs (the citation with table and page, what we have and what we lack);
* ``reference.csv``: one row per reference value, columns ``quantity, value, tolerance, kind,
  source`` (lines starting with ``#`` are comments);
* ``__init__.py``: ``compute()`` returning ``{quantity: value}`` through the public API only,
  an optional ``NEEDS`` tuple of capabilities (``"burden.data.load"``) without which some rows
  cannot be computed, and an optional ``plots(directory)`` returning the paths it saved.

Kinds of reference rows:

``published``
    A number printed in the paper. Missing it is a failure.
``derived``
    A number worked by hand from the model. Missing it is a failure.
``verdict``
    A published qualitative finding (``value`` is ``yes`` when the paper asserts the
    ``quantity`` statement, ``no`` when it denies it), shown beside the :class:`Evidence` we
    compute. A disagreement is reported as a finding, never as a failure.

``tolerance`` is an absolute tolerance, or ``printed``: the reference is stored rounded and
is compared at its printed precision (``0.5556`` agrees with anything that rounds to it), so a
rounding difference never looks like a solver error. A row the code cannot compute yet
(missing capability, data we do not have) is listed as ``needs: ...``, never faked. See
``docs/howto/add-a-reproduction.md``.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import importlib
import importlib.util
import io
import math
import re
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Literal

__all__ = [
    "Evidence",
    "Needs",
    "PaperResult",
    "Row",
    "available",
    "paper_names",
    "paper_titles",
    "reproduce",
]

_KINDS = ("published", "derived", "verdict")
#: verdict of a number within tolerance, or of a published finding our evidence supports
_AGREES = "agrees"
#: a published or derived number out of tolerance: a failure
_MISSED = "MISSED"
#: a published finding our evidence does not support: a finding, not a failure
_DISAGREES = "does not agree"
_NEEDS = "needs"


@dataclasses.dataclass(frozen=True)
class Evidence:
    """What our computation says about a published qualitative finding.

    Parameters
    ----------
    holds : bool
        Does the finding's statement hold on our data or model?
    summary : str
        The statistics behind ``holds``, in a few words (printed in the table).
    """

    holds: bool
    summary: str


@dataclasses.dataclass(frozen=True)
class Needs:
    """A value that cannot be computed yet: what it needs (a capability or data we lack).

    Parameters
    ----------
    what : str
        The missing capability or data, as printed after ``needs:``.
    """

    what: str


def available(*capabilities: str) -> bool:
    """Can every capability (``"module"`` or ``"module.attribute"``) be imported?

    Examples
    --------
    >>> available("burden.nash", "numpy.linalg")
    True
    >>> available("burden.no_such_module")
    False
    """
    return not _missing(capabilities)


def _missing(capabilities: Iterable[str]) -> list[str]:
    missing = []
    for capability in capabilities:
        parts = capability.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            try:
                for attribute in parts[cut:]:
                    obj = getattr(obj, attribute)
            except AttributeError:
                missing.append(capability)
            break
        else:
            missing.append(capability)
    return missing


@dataclasses.dataclass(frozen=True)
class Row:
    """One reference row beside its computed value.

    Attributes
    ----------
    quantity, kind, source : str
        As in ``reference.csv``.
    reference : str
        The reference value as printed (``yes``/``no`` for a verdict).
    tolerance : float
        Absolute tolerance (half a unit of the last printed digit for ``printed``; NaN for a
        verdict).
    computed : float or None
        Our value (None for a verdict or a row that needs something we lack).
    evidence : str
        For a verdict, the evidence; for a row we cannot compute, what it needs.
    verdict : {"agrees", "MISSED", "does not agree", "needs"}
    """

    quantity: str
    kind: str
    source: str
    reference: str
    tolerance: float
    computed: float | None
    evidence: str
    verdict: str

    @property
    def difference(self) -> float | None:
        """``computed - reference`` for a number, else None."""
        if self.computed is None or self.kind == "verdict":
            return None
        return self.computed - float(self.reference)

    @property
    def failed(self) -> bool:
        """A published or derived number out of tolerance (the only failure)."""
        return self.verdict == _MISSED


@dataclasses.dataclass(frozen=True)
class PaperResult:
    """One publication's reference rows, each beside what we compute.

    Attributes
    ----------
    name, title, citation : str
    rows : tuple of Row
    needs : tuple of str
        Capabilities the paper declares and this installation lacks.
    """

    name: str
    title: str
    citation: str
    rows: tuple[Row, ...]
    needs: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """No published or derived number is missed (findings and needs are not failures)."""
        return not any(row.failed for row in self.rows)

    @property
    def findings(self) -> tuple[Row, ...]:
        """Verdict rows whose published finding our evidence does not support."""
        return tuple(row for row in self.rows if row.verdict == _DISAGREES)

    def as_text(self) -> str:
        """The side-by-side table printed by ``burden reproduce``."""
        headers = ("quantity", "kind", "reference", "computed", "difference", "verdict")
        body = [
            (
                row.quantity,
                row.kind,
                row.reference,
                _format_number(row.computed),
                _format_difference(row.difference),
                _verdict_text(row),
            )
            for row in self.rows
        ]
        widths = [max(len(h), *(len(line[i]) for line in body)) for i, h in enumerate(headers)]
        align = ("<", "<", ">", ">", ">", "<")

        def line(cells: Sequence[str]) -> str:
            return "  ".join(f"{c:{a}{w}}" for c, a, w in zip(cells, align, widths, strict=True)).rstrip()

        out = [
            f"{self.name}: {self.title}",
            _wrap(self.citation),
            line(headers),
            line(["-" * w for w in widths]),
        ]
        out += [line(cells) for cells in body]
        evidence = [
            _wrap(f"{row.quantity}: {row.evidence}")
            for row in self.rows
            if row.verdict != _NEEDS and row.evidence
        ]
        # One line per distinct missing capability, not one per row that needs it.
        needs = dict.fromkeys(row.evidence for row in self.rows if row.verdict == _NEEDS)
        notes = evidence + [
            _wrap(f"{sum(row.evidence == what for row in self.rows)} row(s) {what}") for what in needs
        ]
        return "\n".join(out + [""] + notes if notes else out)

    def as_dict(self) -> dict:
        """A JSON-ready dictionary (numbers stay numbers; see :mod:`burden.cli._output`)."""
        return {
            "name": self.name,
            "title": self.title,
            "citation": self.citation,
            "ok": self.ok,
            "needs": list(self.needs),
            "rows": [
                {
                    "quantity": row.quantity,
                    "kind": row.kind,
                    "source": row.source,
                    "reference": row.reference,
                    "tolerance": row.tolerance,
                    "computed": row.computed,
                    "difference": row.difference,
                    "evidence": row.evidence,
                    "verdict": row.verdict,
                }
                for row in self.rows
            ],
        }


def _wrap(text: str) -> str:
    """A note, indented and wrapped for a terminal."""
    return textwrap.fill(text, width=100, initial_indent="  ", subsequent_indent="    ")


def _format_number(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def _format_difference(value: float | None) -> str:
    return "" if value is None else f"{value:.2e}"


def _verdict_text(row: Row) -> str:
    if row.verdict == _DISAGREES:
        return "does not agree (finding)"
    if row.verdict == _NEEDS:
        return "needs (not computed)"
    return row.verdict


# -- discovery ----------------------------------------------------------------------------------


@functools.cache
def _papers_package() -> ModuleType:
    """``burden.papers``: installed, or the ``papers/`` folder of a source checkout."""
    try:
        return importlib.import_module("burden.papers")
    except ImportError:
        pass
    # A source checkout run without installing (PYTHONPATH=.): papers/ sits beside burden/.
    root = Path(__file__).resolve().parent.parent / "papers"
    spec = importlib.util.spec_from_file_location(
        "burden.papers", root / "__init__.py", submodule_search_locations=[str(root)]
    )
    if spec is None or spec.loader is None:  # pragma: no cover - a broken install
        raise ImportError(f"no reproductions found: neither burden.papers nor {root} exists")
    module = importlib.util.module_from_spec(spec)
    sys.modules["burden.papers"] = module
    spec.loader.exec_module(module)
    sys.modules["burden"].papers = module  # as the import system would for an installed subpackage
    return module


def _paper_dirs() -> dict[str, Path]:
    dirs: dict[str, Path] = {}
    for location in _papers_package().__path__:
        for path in sorted(Path(location).iterdir()):
            if (path / "reference.csv").is_file() and (path / "__init__.py").is_file():
                dirs.setdefault(path.name, path)
    return dirs


def paper_titles() -> dict[str, str]:
    """``{name: title}`` of every reproduction, from the first line of its README.

    Examples
    --------
    >>> paper_titles()["kydd_2005"]
    'Kydd (2005): trust thresholds and the spiral of mistrust'
    """
    return {name: _readme(path)[0] for name, path in _paper_dirs().items()}


def paper_names() -> list[str]:
    """The reproductions found in ``papers/`` (every folder with a ``reference.csv``), sorted.

    Examples
    --------
    >>> "olson_1966" in paper_names()
    True
    """
    return list(_paper_dirs())


_HEADING = re.compile(r"^#\s+(.+?)\s*$", re.MULTILINE)
_CITATION = re.compile(r"\*\*Citation\.\*\*\s+(.+?)(?:\n\s*\n|\Z)", re.DOTALL)


def _readme(path: Path) -> tuple[str, str]:
    """Title (first heading) and citation paragraph of a paper's README.md."""
    text = (path / "README.md").read_text(encoding="utf-8")
    heading, citation = _HEADING.search(text), _CITATION.search(text)
    if heading is None or citation is None:
        raise ValueError(f"{path / 'README.md'} needs a '# title' line and a '**Citation.**' paragraph")
    # Markdown emphasis is for the rendered README; the terminal table prints plain text.
    return heading.group(1), " ".join(citation.group(1).replace("*", "").split())


@dataclasses.dataclass(frozen=True)
class _Reference:
    quantity: str
    value: str
    tolerance: float
    kind: str
    source: str


def _decimals(text: str) -> int:
    mantissa = text.lower().split("e")[0]
    exponent = int(text.lower().split("e")[1]) if "e" in text.lower() else 0
    return (len(mantissa.split(".")[1]) if "." in mantissa else 0) - exponent


def _read_reference(path: Path) -> list[_Reference]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = []
    for number, record in enumerate(csv.DictReader(io.StringIO("\n".join(lines))), start=2):
        where = f"{path}, row {number}"
        kind = record["kind"].strip()
        if kind not in _KINDS:
            raise ValueError(f"{where}: `kind` must be one of {', '.join(_KINDS)}; got {kind!r}")
        value, tolerance_text = record["value"].strip(), record["tolerance"].strip()
        if kind == "verdict":
            if value not in ("yes", "no"):
                raise ValueError(f"{where}: a verdict's `value` must be 'yes' or 'no'; got {value!r}")
            tolerance = math.nan
        else:
            try:
                float(value)
                tolerance = (
                    0.5 * 10.0 ** -_decimals(value) if tolerance_text == "printed" else float(tolerance_text)
                )
            except ValueError:
                raise ValueError(
                    f"{where}: `value` and `tolerance` must be numbers (or tolerance 'printed'); "
                    f"got {value!r}, {tolerance_text!r}"
                ) from None
        rows.append(_Reference(record["quantity"].strip(), value, tolerance, kind, record["source"].strip()))
    return rows


def _compare(ref: _Reference, computed: object) -> Row:
    """The verdict of one reference row against its computed value."""

    def row(number: float | None, evidence: str, verdict: str) -> Row:
        return Row(ref.quantity, ref.kind, ref.source, ref.value, ref.tolerance, number, evidence, verdict)

    if isinstance(computed, Needs):
        return row(None, f"needs: {computed.what}", _NEEDS)
    if ref.kind == "verdict":
        if not isinstance(computed, Evidence):
            raise TypeError(f"verdict {ref.quantity!r} must be computed as an Evidence; got {computed!r}")
        agrees = computed.holds == (ref.value == "yes")
        return row(None, computed.summary, _AGREES if agrees else _DISAGREES)
    number = float(computed)  # type: ignore[arg-type]
    # Compared with a relative slack of 1e-9 of the tolerance so that a value printed exactly
    # halfway (0.5 unit of the last digit) is not judged by a rounding error of the subtraction.
    within = abs(number - float(ref.value)) <= ref.tolerance * (1 + 1e-9)
    return row(number, "", _AGREES if within else _MISSED)


def _run_one(name: str, path: Path) -> PaperResult:
    title, citation = _readme(path)
    references = _read_reference(path / "reference.csv")
    module = importlib.import_module(f"burden.papers.{name}")
    missing = tuple(_missing(getattr(module, "NEEDS", ())))
    computed: Mapping[str, object] = module.compute()
    unknown = set(computed) - {ref.quantity for ref in references}
    if unknown:
        raise ValueError(f"papers/{name}: computed {sorted(unknown)[0]!r}, which is not in reference.csv")
    rows = []
    for ref in references:
        if ref.quantity in computed:
            rows.append(_compare(ref, computed[ref.quantity]))
        elif missing:
            rows.append(_compare(ref, Needs(", ".join(missing))))
        else:
            raise ValueError(f"papers/{name}: reference row {ref.quantity!r} was not computed")
    return PaperResult(name, title, citation, tuple(rows), missing)


def reproduce(
    names: Sequence[str] | None = None,
    *,
    plots: str | Path | None = None,
    progress: bool | Literal["auto"] = "auto",
    on_result: Callable[[PaperResult], None] | None = None,
) -> list[PaperResult]:
    """Run reproductions and compare every reference row with what ``burden`` computes.

    Parameters
    ----------
    names : sequence of str, optional
        Folders of ``papers/`` to run (default: all, see :func:`paper_names`).
    plots : path, optional
        A directory: each paper with figures saves them there (needs the extra ``plot``).
    progress : bool or "auto"
        Progress bar over papers (``"auto"``: only on a terminal).
    on_result : callable, optional
        Called with each :class:`PaperResult` as soon as it is ready.

    Returns
    -------
    list of PaperResult
        In the order of ``names``. A result's ``ok`` is False when a published or derived
        number is missed; findings (verdicts that do not agree) and rows that need something
        we lack are reported, not failed.

    Examples
    --------
    >>> [result] = reproduce(["kydd_2005"], progress=False)
    >>> result.ok, [row.verdict for row in result.rows][:2]
    (True, ['agrees', 'agrees'])
    """
    from burden._progress import progress_bar

    dirs = _paper_dirs()
    names = list(dirs) if not names else list(names)
    unknown = [name for name in names if name not in dirs]
    if unknown:
        raise ValueError(f"unknown reproduction {unknown[0]!r}; choose from {', '.join(dirs)}")
    results = []
    with progress_bar(len(names), progress=progress, desc="reproduce", unit="paper") as bar:
        for name in names:
            result = _run_one(name, dirs[name])
            if plots is not None:
                module = importlib.import_module(f"burden.papers.{name}")
                if hasattr(module, "plots") and not result.needs:
                    Path(plots).mkdir(parents=True, exist_ok=True)
                    module.plots(Path(plots))
            results.append(result)
            if on_result is not None:
                on_result(result)
            bar.update(1)
    return results
