"""The study tests name model functions by import path (``tests.studies._functions:quadratic``), as
users do in configs and as Dask workers need: keep the repository root importable however pytest runs."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
