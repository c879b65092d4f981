"""Parameter studies: a solver over many scenarios, in chunks, on numpy or Dask (``docs/studies.md``)."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from burden._progress import progress_bar
from burden._results import Result, _describe, _equal, result_class
from burden._status import Status, status_dtype
from burden._validation import workers_iv
from burden.studies._design import Design, design_iv
from burden.studies._indices import indices_of_study
from burden.studies.models import as_model

__all__ = ["DEFAULT_CHUNK_SIZE", "BinnedSummary", "StudyResult", "load_study", "study"]

#: scenarios per chunk by default: large enough that the study's own work per chunk costs
#: under 5 % of a 10-member Nash solve (``benchmarks/bench_studies.py``), small enough that a
#: chunk's temporaries stay in the tens of megabytes
DEFAULT_CHUNK_SIZE = 2**16

_MANIFEST = "study.json"


@result_class
class StudyResult(Result):
    """Inputs and outputs of a parameter study, one row per scenario.

    Attributes
    ----------
    inputs : dict of str to ndarray, each shape ``(size,)``
        The varying parameters, in the order of ``params``.
    outputs : dict of str to ndarray, each shape ``(size,)`` or ``(size, k)``
        The selected outputs.
    status : ndarray of int8, shape ``(size,)``
        Each scenario's :class:`burden.Status` (failed scenarios' outputs must not be used).
    constants : dict
        The parameters held fixed.
    sampler : str
        The sampler that made the inputs.
    grid_shape : tuple of int or None
        For the grid sampler, the grid's shape (reshape an output with ``.reshape(grid_shape)``).
    path : str or None
        The directory holding the arrays when the study streamed them to disk (``path=``);
        the arrays are then read-only memory maps of its ``.npy`` files.
    """

    inputs: dict[str, NDArray]
    outputs: dict[str, NDArray]
    status: NDArray
    constants: dict[str, Any] = dataclasses.field(default_factory=dict)
    sampler: str = "grid"
    grid_shape: tuple[int, ...] | None = None
    path: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        for group in (self.inputs, self.outputs):
            for value in group.values():
                if isinstance(value, np.ndarray) and value.flags.writeable:
                    value.flags.writeable = False

    @property
    def size(self) -> int:
        """Number of scenarios."""
        return len(self.status)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, name: str) -> NDArray:
        """An input or output column (or ``"status"``) by name."""
        if name == "status":
            return self.status
        for group in (self.inputs, self.outputs):
            if name in group:
                return group[name]
        raise KeyError(
            f"{name!r} is not a column; inputs: {', '.join(self.inputs)}; outputs: {', '.join(self.outputs)}"
        )

    def __repr__(self) -> str:
        lines = [f"StudyResult({self.size} scenarios, sampler={self.sampler!r}"]
        for title, group in (("inputs", self.inputs), ("outputs", self.outputs)):
            for name, value in group.items():
                lines.append(f"  {title[:-1]} {name}: {_describe(value, 4)}")
        failed = int(np.count_nonzero(np.asarray(self.status) < 0))
        lines.append(f"  constants: {self.constants!r}")
        lines.append(f"  failed: {failed}")
        return "\n".join(lines) + "\n)"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return (
            self.inputs.keys() == other.inputs.keys()
            and self.outputs.keys() == other.outputs.keys()
            and all(_equal(self.inputs[k], other.inputs[k]) for k in self.inputs)
            and all(_equal(self.outputs[k], other.outputs[k]) for k in self.outputs)
            and _equal(self.status, other.status)
            and self.constants == other.constants
            and self.sampler == other.sampler
            and self.grid_shape == other.grid_shape
        )

    def _columns(self, rows: slice = slice(None)) -> dict[str, NDArray]:
        """Flat columns: inputs, outputs (``name[k]`` for each entry of a 2-D one), status."""
        columns = {name: np.asarray(value[rows]) for name, value in self.inputs.items()}
        for name, value in self.outputs.items():
            if value.ndim == 1:
                columns[name] = np.asarray(value[rows])
            else:
                for k in range(value.shape[1]):
                    columns[f"{name}[{k}]"] = np.asarray(value[rows, k])
        columns["status"] = np.asarray(self.status[rows])
        return columns

    def to_frame(self, batch_names: Sequence[str] | None = None):
        """The study as a :class:`pandas.DataFrame`: one row per scenario (requires pandas).

        Columns are the inputs, the outputs (a per-member output ``g`` becomes ``g[0]``,
        ``g[1]``, ...) and ``status``; the index is named ``scenario`` (or ``batch_names[0]``).
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_frame() needs pandas: pip install 'burden[data]'") from exc

        name = "scenario" if batch_names is None else batch_names[0]
        return pd.DataFrame(self._columns(), index=pd.RangeIndex(self.size, name=name))

    def _meta(self) -> dict[str, Any]:
        return {
            "inputs": list(self.inputs),
            "outputs": {k: (None if v.ndim == 1 else v.shape[1]) for k, v in self.outputs.items()},
            "constants": {k: _plain(v) for k, v in self.constants.items()},
            "sampler": self.sampler,
            "grid_shape": None if self.grid_shape is None else list(self.grid_shape),
        }

    def save(self, path: str | os.PathLike, *, rows_per_group: int = DEFAULT_CHUNK_SIZE) -> Path:
        """Write the study to ``path``: Parquet (``.parquet``, needs pyarrow) or ``.npz``.

        Parquet is written in row groups of ``rows_per_group`` scenarios, so a study on disk
        is saved without loading it whole. :func:`load_study` reads either back.
        """
        path = Path(path)
        meta = json.dumps(self._meta())
        if path.suffix == ".npz":
            arrays = {f"input:{k}": v for k, v in self.inputs.items()}
            arrays |= {f"output:{k}": v for k, v in self.outputs.items()}
            np.savez(path, status=self.status, __meta__=np.array(meta), **arrays)
            return path
        if path.suffix != ".parquet":
            raise ValueError(f"`path` must end in .parquet or .npz; got {str(path)!r}")
        pa, pq = _pyarrow()

        writer = None
        try:
            for start in range(0, max(self.size, 1), rows_per_group):
                table = pa.table(self._columns(slice(start, start + rows_per_group)))
                if writer is None:
                    schema = table.schema.with_metadata({"burden.study": meta})
                    writer = pq.ParquetWriter(path, schema)
                writer.write_table(table.cast(writer.schema))
        finally:
            if writer is not None:
                writer.close()
        return path

    def binned(
        self, output: str, by: str, *, bins: int = 10, quantiles: Sequence[float] = (0.1, 0.5, 0.9)
    ) -> BinnedSummary:
        """Mean and quantiles of ``output`` against the input ``by``, over successful scenarios.

        An input with at most ``bins`` distinct values (alliance size, a grid axis) is
        grouped by value; otherwise its range is cut into ``bins`` equal-width bins.

        Examples
        --------
        >>> import burden as bd
        >>> res = bd.study(bd.free_riding, {"n": [2, 3, 4], "a": 0.5, "w": (1.0, 3.0)}, n=5)
        >>> res.binned("ratio", by="n").mean  # Cobb-Douglas, a = 1/2: 2/(n+1) whatever w
        array([0.666667, 0.5     , 0.4     ])
        """
        x, y = np.asarray(self[by]), np.asarray(self[output])
        if y.ndim != 1:
            raise ValueError(
                f"`output` {output!r} has one value per member: pick one ({output}[0]) or reduce it"
            )
        if not isinstance(bins, (int, np.integer)) or bins < 1:
            raise ValueError(f"`bins` must be a positive integer; got {bins!r}")
        q = np.asarray(quantiles, dtype=float)
        if q.ndim != 1 or np.any((q < 0) | (q > 1)):
            raise ValueError(f"`quantiles` must be numbers in [0, 1]; got {quantiles!r}")
        distinct = np.unique(x)
        if len(distinct) <= bins:
            low = high = distinct.astype(float)
            index = np.searchsorted(distinct, x)
        else:
            edges = np.linspace(distinct[0], distinct[-1], bins + 1)
            low, high = edges[:-1], edges[1:]
            index = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, bins - 1)
        ok = (np.asarray(self.status) >= 0) & np.isfinite(y)
        k = len(low)
        count = np.bincount(index[ok], minlength=k)
        failed = np.bincount(index[~ok], minlength=k)
        mean = np.full(k, np.nan)
        table = np.full((k, len(q)), np.nan)
        for j in np.flatnonzero(count):
            values = y[ok & (index == j)]
            mean[j] = values.mean()
            table[j] = np.quantile(values, q)
        return BinnedSummary(
            by=by,
            output=output,
            low=low,
            high=high,
            count=count,
            failed=failed,
            mean=mean,
            quantiles=table,
            q=q,
            status=np.where(count > 0, Status.SUCCESS, Status.NOT_FINITE).astype(status_dtype),
        )

    def sobol_indices(self, outputs: Sequence[str] | None = None):
        """First-order and total Sobol' indices of ``outputs`` (a study with ``sampler="saltelli"``).

        See :func:`burden.sobol_indices`.
        """
        return indices_of_study(self, outputs)


@result_class
class BinnedSummary(Result):
    """An output's mean and quantiles per bin (or value) of one input; see :meth:`StudyResult.binned`.

    Attributes
    ----------
    by, output : str
    low, high : ndarray, shape ``(k,)``
        Bin limits (equal for a bin of one value).
    count, failed : ndarray of int, shape ``(k,)``
        Successful scenarios (those summarised) and failed ones (left out) per bin.
    mean : ndarray, shape ``(k,)``
    quantiles : ndarray, shape ``(k, len(q))``
    q : ndarray
        The quantile levels.
    status : ndarray of int8, shape ``(k,)``
        ``SUCCESS``, or ``NOT_FINITE`` for a bin without successful scenarios (its statistics are NaN).
    """

    by: str
    output: str
    low: NDArray
    high: NDArray
    count: NDArray
    failed: NDArray
    mean: NDArray
    quantiles: NDArray
    q: NDArray
    status: NDArray


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("Parquet files need pyarrow: pip install pyarrow (or use .npz)") from exc
    return pa, pq


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def load_study(path: str | os.PathLike, *, mmap: bool = True) -> StudyResult:
    """Read a study saved by :meth:`StudyResult.save` or streamed to a directory by ``study(path=...)``.

    A directory's arrays are memory-mapped read-only unless ``mmap=False``.
    """
    path = Path(path)
    if path.is_dir():
        meta = json.loads((path / _MANIFEST).read_text())
        mode = "r" if mmap else None
        columns = {k: np.load(path / f, mmap_mode=mode) for k, f in meta["files"].items()}
        return _from_columns(columns, meta, str(path))
    if path.suffix == ".npz":
        with np.load(path) as data:
            meta = json.loads(str(data["__meta__"]))
            inputs = {k: data[f"input:{k}"] for k in meta["inputs"]}
            outputs = {k: data[f"output:{k}"] for k in meta["outputs"]}
            status = data["status"]
        return _result(inputs, outputs, status, meta)
    _, pq = _pyarrow()
    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[b"burden.study"])
    columns = {name: table.column(name).to_numpy() for name in table.column_names}
    inputs = {k: columns[k] for k in meta["inputs"]}
    outputs = {
        k: columns[k] if width is None else np.stack([columns[f"{k}[{j}]"] for j in range(width)], axis=1)
        for k, width in meta["outputs"].items()
    }
    return _result(inputs, outputs, columns["status"], meta)


def _result(inputs, outputs, status, meta, path=None) -> StudyResult:
    grid = meta.get("grid_shape")
    return StudyResult(
        inputs=inputs,
        outputs=outputs,
        status=status,
        constants=meta["constants"],
        sampler=meta["sampler"],
        grid_shape=None if grid is None else tuple(grid),
        path=path,
    )


def _from_columns(columns: dict[str, NDArray], meta: dict[str, Any], path: str | None) -> StudyResult:
    inputs = {k: columns[f"input:{k}"] for k in meta["inputs"]}
    outputs = {k: columns[f"output:{k}"] for k in meta["outputs"]}
    return _result(inputs, outputs, columns["status"], meta, path)


class _Store:
    """Preallocated columns: arrays in memory, or ``.npy`` files in a directory.

    On disk each chunk is written at its offset in the file: the data go through the page
    cache, not the process's memory, so the study's resident memory does not grow with
    its size (a memory map would count every page written as resident).
    """

    def __init__(self, size: int, path: Path | None):
        self.size, self.path = size, path
        self.columns: dict[str, NDArray] = {}  # in memory
        self.files: dict[str, str] = {}  # on disk: column key -> file name
        self._open: dict[str, tuple] = {}  # key -> file, data offset, bytes per row, dtype

    @property
    def keys(self) -> list[str]:
        return list(self.files if self.path is not None else self.columns)

    def write(self, start: int, group: str, values: Mapping[str, NDArray]) -> None:
        for name, value in values.items():
            key = name if group == "" else f"{group}:{name}"
            if self.path is None:
                column = self.columns.get(key)
                if column is None:
                    column = self.columns[key] = np.empty((self.size, *value.shape[1:]), dtype=value.dtype)
                column[start : start + len(value)] = value
                continue
            if key not in self._open:
                self._create(key, value)
            file, offset, row, dtype = self._open[key]
            file.seek(offset + start * row)
            file.write(np.ascontiguousarray(value, dtype=dtype).tobytes())

    def _create(self, key: str, value: NDArray) -> None:
        name = f"column{len(self.files)}.npy"
        self.files[key] = name
        shape = (self.size, *value.shape[1:])
        # open_memmap writes the .npy header and sizes the file; the data are written directly
        header = np.lib.format.open_memmap(self.path / name, mode="w+", dtype=value.dtype, shape=shape)
        offset = header.offset
        del header
        file = open(self.path / name, "r+b")  # closed by close()
        self._open[key] = (file, offset, value.dtype.itemsize * int(np.prod(shape[1:])), value.dtype)

    def close(self) -> None:
        for file, *_ in self._open.values():
            file.close()
        self._open.clear()


def _run_chunk(model, design: Design, start: int, stop: int, outputs, points) -> tuple[int, dict, dict]:
    """Inputs and outputs of scenarios ``start..stop-1`` (runs in a thread or a Dask worker)."""
    varying = design.inputs(start, stop, points)
    result = model({**design.constants, **varying}, outputs, stop - start)
    return start, varying, result


def _chunks(size: int, chunk_size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, size, chunk_size):
        yield start, min(start + chunk_size, size)


def _numpy_backend(task: Callable, bounds: list[tuple[int, int]], workers: int, done: Callable) -> None:
    if workers == 1:
        for start, stop in bounds:
            done(task(start, stop))
        return
    # At most 2 chunks per thread in flight, so memory stays bounded by the chunk size.
    pending = iter(bounds)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running = {pool.submit(task, *b) for b in itertools.islice(pending, 2 * workers)}
        while running:
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                done(future.result())
                following = next(pending, None)
                if following is not None:
                    running.add(pool.submit(task, *following))


def _dask_backend(
    client: Any,
    model: Any,
    design: Design,
    outputs,
    bounds: list[tuple[int, int]],
    workers: int,
    done: Callable,
) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("backend='dask' needs dask.distributed: pip install 'burden[dask]'") from exc
    owned = []
    if client is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        )
        owned.append(cluster)
        client = Client(cluster)
        owned.append(client)
    elif isinstance(client, str):
        client = Client(client)
        owned.append(client)
    elif not isinstance(client, Client):
        raise TypeError(f"`client` must be None, a scheduler address or a distributed.Client; got {client!r}")
    try:
        light = design.without_points()
        window = 2 * max(sum(client.nthreads().values()), 1)
        pending = iter(bounds)

        def submit(start: int, stop: int):
            args = (model, light, start, stop, outputs, design.chunk_points(start, stop))
            return client.submit(_run_chunk, *args, pure=False)

        queue = as_completed([submit(*b) for b in itertools.islice(pending, window)], with_results=True)
        for _, result in queue:
            done(result)
            following = next(pending, None)
            if following is not None:
                queue.add(submit(*following))
    finally:
        for thing in reversed(owned):
            thing.close()


def study(
    solver: Any,
    params: Mapping[str, Any],
    *,
    sampler: Literal["grid", "random", "sobol", "latin_hypercube", "saltelli"] = "grid",
    n: int | None = None,
    rng: Any = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    backend: Literal["numpy", "dask"] = "numpy",
    client: Any = None,
    progress: bool | Literal["auto"] = "auto",
    outputs: Sequence[str] | None = None,
    path: str | os.PathLike | None = None,
    workers: int | None = None,
) -> StudyResult:
    """Evaluate a solver over many scenarios, chunk by chunk, with bounded memory.

    Parameters
    ----------
    solver : callable
        :func:`burden.nash`, :func:`burden.lindahl` or :func:`burden.free_riding` (scenarios
        are alliances built by :class:`burden.studies.Alliance`: parameters ``n``, ``w``,
        ``sigma``, ``a``, ``p``, ...), an ``Alliance`` with other preferences, or a function
        of arrays ``f(**params)`` returning a burden result, a dict of arrays or an array
        (see :mod:`burden.studies.models`). For ``backend="dask"`` it must be importable by
        name (no lambdas or closures).
    params : dict
        Parameter names to a constant (number), a range ``(low, high)`` (a tuple), discrete
        values (a list), or a frozen ``scipy.stats`` distribution (sampled through its inverse
        CDF).
    sampler : {"grid", "random", "sobol", "latin_hypercube", "saltelli"}, optional
        ``grid`` (default): every combination, ranges and distributions at ``n`` points each;
        ``random``: ``n`` independent uniform draws; ``sobol`` and ``latin_hypercube``:
        ``n`` points of :mod:`scipy.stats.qmc`'s scrambled Sobol' sequence or Latin hypercube;
        ``saltelli``: the ``n (d + 2)`` scenarios of the Saltelli design behind
        :func:`burden.sobol_indices`.
    n : int, optional
        Scenarios (grid: points per range or distribution). A power of 2 for Sobol'.
    rng : None, int, Generator, optional
        Seed for the random and quasi-random samplers (``np.random.default_rng(rng)``). The
        same seed gives the same study whatever ``chunk_size``, ``backend`` and ``workers``.
    chunk_size : int, optional
        Scenarios solved per chunk (default ``2**16``); the memory of one chunk's work.
    backend : {"numpy", "dask"}, optional
        ``numpy`` runs chunks in this process (``workers`` threads); ``dask`` runs each chunk as
        a task on a Dask cluster.
    client : None, str or distributed.Client, optional
        For ``backend="dask"``: a client, a scheduler address, or ``None`` to start (and close)
        a ``LocalCluster`` of ``workers`` single-threaded processes on 127.0.0.1.
    progress : bool or "auto", optional
        A tqdm progress bar on standard error (``"auto"``: when it is a terminal).
    outputs : list of str, optional
        Outputs to keep (default: every per-scenario field of the solver's result). Only these
        are kept from each chunk. See :mod:`burden.studies.models` for ``g.sum``, ``g[0]``,
        ``nash.G``.
    path : str or path, optional
        A new (or empty) directory: each chunk is written into ``.npy`` files there as it
        completes, and the result memory-maps them, so a study larger than memory fits on disk
        (resident memory stays that of a few chunks).
    workers : int, optional
        Threads (numpy) or worker processes of the started LocalCluster (dask); ``-1``: one per
        CPU. Default 1 thread for numpy, one process per CPU for dask.

    Returns
    -------
    StudyResult
        ``inputs`` and ``outputs`` (dicts of arrays, one row per scenario) and ``status``.

    Examples
    --------
    Olson's group-size effect, Cobb–Douglas preferences, three alliance sizes on a grid:

    >>> import burden as bd
    >>> res = bd.study(bd.free_riding, {"n": [2, 5, 10], "a": 0.5, "w": 1.0}, outputs=["ratio", "gap"])
    >>> res.inputs["n"], res.outputs["ratio"]
    (array([ 2,  5, 10]), array([0.666667, 0.333333, 0.181818]))

    A Sobol' sample of 10-member alliances with unequal wealth:

    >>> res = bd.study(bd.nash, {"n": 10, "a": (0.2, 0.8), "sigma": (0.0, 1.0)},
    ...                sampler="sobol", n=1024, rng=1, outputs=["G", "contributors.sum"])
    >>> res.size, bool(res.success.all())
    (1024, True)
    """
    design = design_iv(params, sampler, n, rng)
    model = as_model(solver)
    model.check(list(params))
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ValueError(f"`chunk_size` must be a positive integer; got {chunk_size!r}")
    if backend not in ("numpy", "dask"):
        raise ValueError(f"`backend` must be 'numpy' or 'dask'; got {backend!r}")
    if client is not None and backend != "dask":
        raise ValueError("`client` is only used with backend='dask'")
    if outputs is not None:
        if isinstance(outputs, str) or not all(isinstance(o, str) for o in outputs):
            raise TypeError(f"`outputs` must be a list of output names; got {outputs!r}")
        outputs = tuple(outputs)
    workers = (1 if backend == "numpy" else -1) if workers is None else workers
    workers = workers_iv(workers)
    folder = None if path is None else _folder_iv(path)

    store = _Store(design.size, folder)
    bounds = list(_chunks(design.size, int(chunk_size)))
    with (
        progress_bar(design.size, progress=progress, desc="study", unit="scenario") as bar,
        contextlib.closing(store),
    ):

        def done(chunk: tuple[int, dict, dict]) -> None:
            start, varying, result = chunk
            store.write(start, "input", varying)
            store.write(start, "output", {k: v for k, v in result.items() if k != "status"})
            store.write(start, "", {"status": result["status"]})
            bar.update(len(result["status"]))

        if backend == "numpy":

            def task(start: int, stop: int):
                return _run_chunk(model, design, start, stop, outputs, None)

            _numpy_backend(task, bounds, workers, done)
        else:
            _dask_backend(client, model, design, outputs, bounds, workers, done)

    meta = {
        "inputs": list(design.names),
        "outputs": [k.split(":", 1)[1] for k in store.keys if k.startswith("output:")],
        "constants": {k: _plain(v) for k, v in design.constants.items()},
        "sampler": design.sampler,
        "grid_shape": design.grid_shape,
    }
    if folder is None:
        return _from_columns(store.columns, meta, None)
    (folder / _MANIFEST).write_text(json.dumps({**meta, "files": store.files}))
    return load_study(folder)


def _folder_iv(path: str | os.PathLike) -> Path:
    folder = Path(path)
    if folder.suffix in (".parquet", ".npz"):
        raise ValueError(
            f"`path` is a directory for the study's columns; got {str(folder)!r} "
            "(to write one file, call .save() on the result)"
        )
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ValueError(f"`path` must be a new or empty directory; {str(folder)!r} is not")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
