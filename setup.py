"""Package discovery for setuptools; the project's metadata lives in ``pyproject.toml``.

Every package under ``burden/`` is found, and ``papers/`` is installed as ``burden.papers``
with one subpackage per publication folder, so adding ``papers/<first-author_year>/`` adds a
reproduction without editing any list.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["burden", "burden.*"]),
        "burden.papers",
        *(f"burden.papers.{name}" for name in find_packages("papers")),
    ],
)
