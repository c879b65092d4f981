r"""Derive a preference's optimum conditions with sympy (``docs/symbolic.md``).

From a utility :math:`u(x, G)` in private consumption ``x`` and the alliance good ``G``,
:func:`derive` works out the marginal rate of substitution :math:`m = u_G/u_x`, a contributor's
private consumption on its first-order condition :math:`m(x, G) = p` (the replacement function
is :math:`r(G) = (w - x^*(G))/p`), the best response to the others' total, the drop-out level,
the normality conditions :math:`\partial m/\partial x > 0`, :math:`\partial m/\partial G < 0`
(Bergstrom, Blume & Varian 1986) and the Samuelson and Lindahl conditions. Closed forms are
kept where sympy solves the equations; otherwise the derivation says so and
:meth:`SymbolicPreferences.bind` hands the solvers numeric versions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import sympy as sp

__all__ = ["SymbolicPreferences", "derive"]

#: names the derivation uses for its own symbols; a parameter may not take them
RESERVED = ("w", "p", "t", "G_o")


@dataclasses.dataclass(frozen=True, eq=False)
class SymbolicPreferences:
    r"""The derivation of one utility form: every quantity is a sympy expression.

    Produced by :func:`derive`; :meth:`bind` turns it into numeric preferences usable by
    every solver. Symbols: ``x`` private consumption, ``G`` the total, ``w`` wealth, ``p``
    the price of the alliance good, ``t`` a Lindahl price, ``G_o`` the others' total.

    Attributes
    ----------
    utility : sympy.Expr
        The utility :math:`u(x, G)`.
    mrs : sympy.Expr
        Marginal rate of substitution :math:`u_G / u_x`.
    consumption : sympy.Expr or None
        A contributor's private consumption :math:`x^*(G, p)` solving :math:`m(x, G) = p`;
        None when sympy finds no unique closed form (then it is found numerically).
    replacement : sympy.Expr or None
        Unclipped replacement function :math:`(w - x^*(G, p))/p`; the solvers use
        :math:`\min(w/p, \max(0, \cdot))`.
    best_response : sympy.Expr or None
        Unclipped best response :math:`g` to the others' total ``G_o``: the ``g`` solving
        :math:`m(w - p g, g + G_o) = p`, in closed form when the consumption line is linear in
        ``G`` (None otherwise: the solvers never need it, they work with the replacement
        function).
    dropout : sympy.Expr or None
        Drop-out level :math:`\bar Q(w, p)` solving :math:`m(w, \bar Q) = p`.
    linear : bool
        True when :math:`x^*` is linear in ``G`` (``x* = x0 + p c G``): the solvers then use the
        exact sort-and-add closed form.
    normality : dict
        ``{"dm/dx > 0": expr, "dm/dG < 0": expr}``: the two normality conditions, simplified.
    normal : bool or None
        True/False when sympy decides both conditions for every ``x, G > 0`` and every
        parameter value its assumptions allow; None when it cannot (``bind`` then checks the
        given parameter values numerically).
    samuelson : sympy.Eq
        The Samuelson condition :math:`\sum_i m(x_i, G) = p` over ``n`` members.
    lindahl : sympy.Eq
        The Lindahl price condition :math:`t = m(w - t G, G)`.
    """

    utility: sp.Expr
    x: sp.Symbol
    G: sp.Symbol
    params: tuple[sp.Symbol, ...]
    mrs: sp.Expr
    consumption: sp.Expr | None
    replacement: sp.Expr | None
    best_response: sp.Expr | None
    dropout: sp.Expr | None
    linear: bool
    normality: dict[str, sp.Expr]
    normal: bool | None
    samuelson: sp.Eq
    lindahl: sp.Eq
    w: sp.Symbol
    p: sp.Symbol
    t: sp.Symbol
    G_o: sp.Symbol

    def bind(self, **params):
        """Numeric preferences with these parameter values (broadcastable arrays).

        See :class:`burden.symbolic.BoundPreferences`.
        """
        from burden.symbolic.bound import BoundPreferences

        return BoundPreferences(self, **params)

    def _repr_latex_(self) -> str:
        rows = [
            ("u", self.utility),
            (r"\mathrm{MRS} = u_G/u_x", self.mrs),
            ("x^*(G, p)", self.consumption),
            ("r(G)", self.replacement),
            ("g^*(G_{-i})", self.best_response),
            (r"\bar Q", self.dropout),
            (r"\partial m/\partial x", self.normality["dm/dx > 0"]),
            (r"\partial m/\partial G", self.normality["dm/dG < 0"]),
        ]
        numeric = r"\text{numeric}"
        body = r" \\ ".join(f"{name} &= {numeric if e is None else sp.latex(e)}" for name, e in rows)
        samuelson, lindahl = sp.latex(self.samuelson), sp.latex(self.lindahl)
        conditions = rf"\text{{Samuelson: }} & {samuelson} \\ \text{{Lindahl: }} & {lindahl}"
        return rf"$\begin{{aligned}} {body} \\ {conditions} \end{{aligned}}$"

    def __repr__(self) -> str:
        def show(expr):
            return "numeric" if expr is None else str(expr)

        lines = [
            f"SymbolicPreferences(u = {self.utility}",
            f"  mrs           = {show(self.mrs)}",
            f"  x*(G, p)      = {show(self.consumption)}",
            f"  replacement   = {show(self.replacement)}",
            f"  best response = {show(self.best_response)}",
            f"  dropout       = {show(self.dropout)}",
            f"  linear        = {self.linear}",
            f"  dm/dx         = {self.normality['dm/dx > 0']}",
            f"  dm/dG         = {self.normality['dm/dG < 0']}",
            f"  normal        = {self.normal}",
            ")",
        ]
        return "\n".join(lines)


def _unique_solution(equation: sp.Expr, symbol: sp.Symbol) -> sp.Expr | None:
    """The one solution sympy finds of ``equation = 0`` for ``symbol``, else None."""
    try:
        solutions = sp.solve(equation, symbol, dict=False)
    except (NotImplementedError, ValueError, TypeError):  # sympy gives up in several ways
        return None
    solutions = [s for s in solutions if not s.has(sp.I) and s.is_real is not False]
    return sp.simplify(solutions[0]) if len(solutions) == 1 else None


def _sign(expr: sp.Expr, positive: bool) -> bool | None:
    """Whether sympy decides ``expr > 0`` (``positive``) or ``expr < 0`` everywhere."""
    return expr.is_positive if positive else expr.is_negative


def derive(
    utility: sp.Expr, x: sp.Symbol, G: sp.Symbol, params: Iterable[sp.Symbol] | None = None
) -> SymbolicPreferences:
    r"""Derive the optimum conditions of the utility form ``utility(x, G)``.

    Parameters
    ----------
    utility : sympy.Expr
        Utility of private consumption ``x`` and the alliance good ``G``; may contain named
        parameters (sympy symbols; their assumptions, e.g. ``positive=True``, help sympy decide
        the normality conditions).
    x, G : sympy.Symbol
        The symbols standing for private consumption and the alliance good (both are taken to
        be positive).
    params : iterable of sympy.Symbol, optional
        The parameters, in the order :meth:`SymbolicPreferences.bind` shows them; default: the
        free symbols other than ``x`` and ``G``, sorted by name.

    Returns
    -------
    SymbolicPreferences

    Raises
    ------
    TypeError
        If ``utility`` is not a sympy expression or ``x``/``G`` are not symbols.
    ValueError
        If ``utility`` does not depend on ``x`` or on ``G``, contains symbols that are not in
        ``params``, or a parameter uses a reserved name (``w``, ``p``, ``t``, ``G_o``).

    Examples
    --------
    Cobb–Douglas gives the linear replacement function of the built-in class:

    >>> import sympy as sp
    >>> from burden.symbolic import derive
    >>> x, G, a = sp.symbols("x G a", positive=True)
    >>> cd = derive((1 - a) * sp.log(x) + a * sp.log(G), x, G)
    >>> cd.mrs
    -a*x/(G*(a - 1))
    >>> cd.replacement  # w/p - c G with c = (1 - a)/a
    G - G/a + w/p
    >>> cd.linear
    True
    """
    if not isinstance(utility, sp.Expr):
        raise TypeError(f"`utility` must be a sympy expression; got {type(utility).__name__}")
    for name, symbol in (("x", x), ("G", G)):
        if not isinstance(symbol, sp.Symbol):
            raise TypeError(f"`{name}` must be a sympy Symbol; got {symbol!r}")
    free = utility.free_symbols
    for name, symbol in (("x", x), ("G", G)):
        if symbol not in free:
            raise ValueError(f"`utility` must depend on `{name}` ({symbol}); got {utility}")
    params = tuple(sorted(free - {x, G}, key=str)) if params is None else tuple(params)
    unknown = free - {x, G} - set(params)
    if unknown:
        raise ValueError(f"`utility` has symbols that are not in `params`: {sorted(map(str, unknown))}")
    for symbol in params:
        if not isinstance(symbol, sp.Symbol):
            raise TypeError(f"`params` must be sympy Symbols; got {symbol!r}")
        if str(symbol) in RESERVED or symbol in (x, G):
            raise ValueError(f"parameter name {str(symbol)!r} is reserved; rename it")

    # Work with positive x and G: the model's domain, and it lets sympy pick real branches.
    xp, Gp = sp.Symbol(str(x), positive=True), sp.Symbol(str(G), positive=True)
    u = utility.subs({x: xp, G: Gp}, simultaneous=True)
    w, p, t = (sp.Symbol(name, positive=True) for name in ("w", "p", "t"))
    G_o = sp.Symbol("G_o", nonnegative=True)
    u_x, u_G = sp.diff(u, xp), sp.diff(u, Gp)
    if u_x == 0 or u_G == 0:
        raise ValueError(f"`utility` must depend on both goods; got {utility}")
    mrs = sp.simplify(u_G / u_x)

    consumption = _unique_solution(mrs - p, xp)
    linear = consumption is not None and sp.simplify(sp.diff(consumption, Gp, 2)) == 0
    replacement = None if consumption is None else sp.simplify((w - consumption) / p)
    best_response = None
    if linear:
        # x*(G) = x0 + s G: the contribution g with x*(g + G_o) = w - p g, a linear equation
        slope = sp.diff(consumption, Gp)
        best_response = sp.simplify((w - consumption.subs(Gp, G_o)) / (p + slope))
    dropout = _unique_solution(mrs.subs(xp, w) - p, Gp)
    dm_dx, dm_dG = sp.simplify(sp.diff(mrs, xp)), sp.simplify(sp.diff(mrs, Gp))
    decided = (_sign(dm_dx, positive=True), _sign(dm_dG, positive=False))
    normal = False if False in decided else (True if all(decided) else None)
    i, n = sp.Symbol("i", integer=True, positive=True), sp.Symbol("n", integer=True, positive=True)
    x_i = sp.Indexed(sp.IndexedBase("x"), i)
    samuelson = sp.Eq(sp.Sum(mrs.subs(xp, x_i), (i, 1, n)), p)
    lindahl = sp.Eq(t, mrs.subs(xp, w - t * Gp))
    return SymbolicPreferences(
        utility=u,
        x=xp,
        G=Gp,
        params=params,
        mrs=mrs,
        consumption=consumption,
        replacement=replacement,
        best_response=best_response,
        dropout=dropout,
        linear=bool(linear),
        normality={"dm/dx > 0": dm_dx, "dm/dG < 0": dm_dG},
        normal=normal,
        samuelson=samuelson,
        lindahl=lindahl,
        w=w,
        p=p,
        t=t,
        G_o=G_o,
    )
