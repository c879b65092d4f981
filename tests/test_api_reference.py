"""The API reference: every exported name has a numpydoc docstring and is listed in docs/api.md."""

from __future__ import annotations

import inspect
import re
import types
from pathlib import Path

import pytest

import burden as bd
import burden.plots
import burden.reproduce
from burden.reproduce import available

API = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
_SECTIONS = ("Parameters", "Returns", "Attributes", "Examples")
PUBLIC = [
    *((f"bd.{name}", getattr(bd, name)) for name in bd.__all__ if name != "__version__"),
    *((f"bd.plots.{name}", getattr(burden.plots, name)) for name in burden.plots.__all__),
    *((f"burden.reproduce.{name}", getattr(burden.reproduce, name)) for name in burden.reproduce.__all__),
]


def _sections(doc: str) -> list[str]:
    return [s for s in _SECTIONS if re.search(rf"^{s}\n-{{{len(s)}}}$", doc, re.MULTILINE)]


@pytest.mark.parametrize(("name", "obj"), PUBLIC, ids=[name for name, _ in PUBLIC])
def test_numpydoc_docstring(name, obj):
    doc = inspect.getdoc(obj)
    assert doc and doc.splitlines()[0].strip(), f"{name} has no summary line"
    if isinstance(obj, types.ModuleType) or (inspect.isclass(obj) and issubclass(obj, Warning)):
        return
    # A result class may document its fields by reference to its base class ("the fields of Optimum").
    mro = inspect.getmro(obj)[1:] if inspect.isclass(obj) else ()
    bases = [
        inspect.getdoc(b) or "" for b in mro if b.__module__.startswith("burden.") and b.__name__ != "Result"
    ]
    assert _sections(doc) or any(map(_sections, bases)), f"{name}: none of the numpydoc sections {_SECTIONS}"
    if "Parameters" in _sections(doc) and callable(obj):
        documented = doc.split("Parameters\n----------", 1)[1]
        for parameter in inspect.signature(obj).parameters.values():
            if (
                parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
                or parameter.name == "self"
            ):
                continue
            assert re.search(rf"\b{parameter.name}\b", documented), f"{name}: `{parameter.name}` undocumented"


@pytest.mark.parametrize("name", [name for name, _ in PUBLIC], ids=str)
def test_listed_in_docs_api(name):
    assert f"`{name}`" in API, f"docs/api.md does not list {name}"


# Names that other parts of the package add (data, estimation, studies); checked once present.
_OPTIONAL = {"data": "burden.data", "estimation": "burden.estimation", "studies": "burden.studies"}
_OPTIONAL |= dict.fromkeys(("study", "StudyResult", "sobol_indices", "SobolIndices"), "burden.studies")


@pytest.mark.parametrize("name", re.findall(r"`((?:bd|burden\.reproduce)\.[\w.]+)`", API))
def test_every_listed_name_exists(name):
    head, *path = name.split(".")[1 if name.startswith("bd.") else 2 :]
    module = bd if name.startswith("bd.") else burden.reproduce
    if not hasattr(module, head) and head in _OPTIONAL and not available(_OPTIONAL[head]):
        pytest.skip(f"{name} comes with {_OPTIONAL[head]}, not installed here")
    obj = getattr(module, head)
    for part in path:
        obj = getattr(obj, part)
