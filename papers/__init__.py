"""Reproductions of published results, one subpackage per publication (``<first-author_year>``).

Run them with ``burden reproduce`` or :func:`burden.reproduce.reproduce`; each folder's
``README.md`` states the claim, the citation and what data we have and lack.
"""
