"""Parameter studies: samplers, chunked evaluation with bounded memory, progress, a Dask backend,
and Sobol' sensitivity indices. The maths and the conventions are in ``docs/studies.md``."""

from burden.studies._design import StudyWarning
from burden.studies.models import Alliance, FunctionModel
from burden.studies.sensitivity import SobolIndices, sobol_indices
from burden.studies.study import DEFAULT_CHUNK_SIZE, BinnedSummary, StudyResult, load_study, study

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "Alliance",
    "BinnedSummary",
    "FunctionModel",
    "SobolIndices",
    "StudyResult",
    "StudyWarning",
    "load_study",
    "sobol_indices",
    "study",
]
