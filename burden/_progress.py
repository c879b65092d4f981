"""Progress bars for long work (studies, bootstraps, reproductions), shown with tqdm if installed.

``progress=True`` asks for a bar, ``False`` for none, and ``"auto"`` shows one only when
standard error is a terminal. Without tqdm (the optional extra ``progress``) no bar is drawn
and nothing else changes.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Literal

__all__ = ["ProgressLike", "progress_bar"]


class _Silent:
    """A bar that draws nothing."""

    def update(self, n: int = 1) -> None:
        pass


ProgressLike = _Silent


def _wanted(progress: bool | Literal["auto"]) -> bool:
    if progress == "auto":
        return sys.stderr.isatty()
    if not isinstance(progress, bool):
        raise TypeError(f"`progress` must be True, False or 'auto'; got {progress!r}")
    return progress


@contextlib.contextmanager
def progress_bar(
    total: int, *, progress: bool | Literal["auto"] = "auto", desc: str | None = None, unit: str = "it"
) -> Iterator[ProgressLike]:
    """Yield an object with ``update(n)``: a tqdm bar when wanted and available, else silent.

    Examples
    --------
    >>> with progress_bar(3, progress=False) as bar:
    ...     for _ in range(3):
    ...         bar.update(1)
    """
    if not _wanted(progress):
        yield _Silent()
        return
    try:
        from tqdm.auto import tqdm
    except ImportError:  # the optional extra is not installed: work on without a bar
        yield _Silent()
        return
    with tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True) as bar:
        yield bar
