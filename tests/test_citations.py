"""What the docs and docstrings cite exists, and nothing cites material outside the product.

Every ``docs/...``, ``papers/...``, ``benchmarks/...``, ``examples/...`` path named in the
package, the docs, README.md and the tests must exist (with its ``#section`` if one is
given). The product is self-contained: no file cites the design notes, the shared reference
folder, the issue tracker or earlier sessions.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    p
    for pattern in ("burden/**/*.py", "papers/**/*.py", "papers/**/*.md", "docs/**/*.md", "tests/**/*.py",
                    "benchmarks/**/*.py", "benchmarks/**/*.md", "README.md", "pyproject.toml", "setup.py")
    for p in ROOT.glob(pattern)
    if ".venv" not in p.parts
)  # fmt: skip
_PATH = re.compile(r"(?<![\w/.])((?:docs|papers|benchmarks|examples)/[\w./-]*\w)(#[\w-]+)?")
_LINK = re.compile(r"\]\(([\w./-]+\.md)(#[\w-]+)?\)")
# Pages written on other branches of the project at the same time: checked once they exist.
_SIBLING_PAGES = {
    f"docs/{name}.md" for name in ("impure", "games", "lcp", "data", "estimation", "studies", "symbolic")
}
_INTERNAL = re.compile(
    r"DESIGN(?:\.md| ?§)|\.\./shared|shared/DESIGN|\bissues? #?\d+\b|earlier runs?\b", re.I
)


def _slug(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _cited(path: Path):
    text = path.read_text(encoding="utf-8")
    for match in _PATH.finditer(text):
        yield ROOT / match.group(1), match.group(2)
    if path.suffix == ".md":
        for match in _LINK.finditer(text):
            yield (path.parent / match.group(1)).resolve(), match.group(2)


CITATIONS = sorted(
    {(str(src.relative_to(ROOT)), str(target.relative_to(ROOT)), section or "") for src in SOURCES
     for target, section in _cited(src)}
)  # fmt: skip


@pytest.mark.parametrize(
    ("source", "target", "section"), CITATIONS, ids=[f"{s}->{t}{x}" for s, t, x in CITATIONS]
)
def test_cited_file_and_section_exist(source, target, section):
    path = ROOT / target
    if target.rstrip("/") in {"docs", "papers", "benchmarks", "examples"} or (
        path.is_dir() and path.exists()
    ):
        return
    if not path.exists() and target in _SIBLING_PAGES:
        pytest.skip(f"{target} is written on another branch and not merged here yet")
    if "<" in target or "*" in target:  # a pattern such as papers/<first-author_year>/
        return
    assert path.exists(), f"{source} cites {target}, which does not exist"
    if section:
        headings = re.findall(r"^#+\s+(.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
        assert section[1:] in {_slug(h) for h in headings}, (
            f"{source} cites {target}{section}: no such section"
        )


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_no_citation_of_material_outside_the_product(path):
    if path == Path(__file__):
        return
    hits = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _INTERNAL.search(line)
    ]
    assert not hits, "cites the design notes, shared folder, issues or earlier runs:\n" + "\n".join(hits)


# `burden reproduce NAME ...`: names are identifiers with an underscore (prose words are not)
_REPRODUCE = re.compile(r"burden reproduce((?: [a-z]+_[a-z0-9_]+)+)")


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_reproductions_named_in_text_exist(path):
    from burden.reproduce import paper_names

    names = set(paper_names())
    for match in _REPRODUCE.finditer(path.read_text(encoding="utf-8")):
        for name in match.group(1).split():
            assert name in names, f"{path.relative_to(ROOT)}: `burden reproduce {name}` does not exist"
