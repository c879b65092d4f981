r"""Preferences over private consumption ``x`` and the alliance good ``G``.

A member with wealth :math:`w` buys the alliance (public) good at unit price :math:`p`:
it contributes :math:`g`, consumes :math:`x = w - p g` privately and enjoys the total
:math:`G`. Everything the solvers need from a preference is

* ``utility(x, G)`` and the marginal rate of substitution ``mrs(x, G)`` :math:`= u_G/u_x`;
* the Cornes–Hartley *replacement function* ``replacement(G, w, p)``: the contribution
  consistent with the member's optimum when the total is :math:`G` (solves
  :math:`\mathrm{mrs}(w - p r, G) = p`; zero when :math:`\mathrm{mrs}(w, G) \le p`);
* the *drop-out level* ``dropout(w, p)`` :math:`\bar Q`: the total at and above which the member
  contributes nothing, :math:`\mathrm{mrs}(w, \bar Q) = p`;
* the *Lindahl price* ``lindahl_price(G, w)``: the personalised price per unit of ``G`` at which
  the member demands exactly ``G``, :math:`t = \mathrm{mrs}(w - tG, G)`;
* ``consumption_for_utility(u, G)``: the private consumption that gives utility ``u`` at ``G``
  (used for money-metric welfare).

The built-in classes give these in closed form; a subclass of :class:`Preferences` that
defines only ``utility`` and ``mrs`` gets numeric versions (batched root finding), so it
works everywhere a built-in does. All parameters broadcast against member arrays of shape
``(..., n)``.

References
----------
Cornes, R. & Hartley, R. (2007). Aggregative public good games. *Journal of Public Economic
Theory* 9(2), 201–219.
Bergstrom, T., Blume, L. & Varian, H. (1986). On the private provision of public goods.
*Journal of Public Economics* 29(1), 25–49.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._roots import bracket_and_solve, solve_monotone
from burden._validation import as_float_array, check_interval

__all__ = ["CES", "CobbDouglas", "Preferences", "QuasiLinear", "StoneGeary"]

# Below this |rho| the CES formulas switch to their series about rho = 0 (Cobb–Douglas):
# rho * log(x) would underflow, and the O(rho^2) error of the series is below rounding.
_CES_TINY_RHO = 1e-8

# The numeric paths search consumption in (w * _TINY, w]: the lower end stands for "spend
# (almost) everything" without evaluating mrs at x = 0, where many utilities are singular.
_TINY = 1e-12


class Preferences:
    """Base class: subclass it and define :meth:`utility` and :meth:`mrs`.

    The other methods have numeric defaults that assume *normality* (``mrs`` increasing in
    ``x`` and decreasing in ``G``), the condition under which the Nash equilibrium is unique
    (Bergstrom, Blume & Varian 1986). Built-in subclasses override them with closed forms.

    Examples
    --------
    A user-defined form (here Cobb–Douglas written by hand) works with every solver:

    >>> import numpy as np, burden as bd
    >>> class MyCD(bd.Preferences):
    ...     def utility(self, x, G):
    ...         return 0.5 * np.log(x) + 0.5 * np.log(G)
    ...     def mrs(self, x, G):
    ...         return x / G
    >>> bd.nash([100.0, 80.0], MyCD()).g.round(9)
    array([40., 20.])
    """

    #: parameter names, in constructor order (used by ``repr`` and validation messages)
    _param_names: tuple[str, ...] = ()

    def utility(self, x: ArrayLike, G: ArrayLike) -> NDArray:
        """Utility of private consumption ``x`` and alliance good ``G``."""
        raise NotImplementedError(f"{type(self).__name__} must define utility(x, G)")

    def mrs(self, x: ArrayLike, G: ArrayLike) -> NDArray:
        """Marginal rate of substitution ``u_G / u_x`` (willingness to pay for one more unit of G)."""
        raise NotImplementedError(f"{type(self).__name__} must define mrs(x, G)")

    # -- closed-form hook ------------------------------------------------------------------
    def linear_foc(self, p: NDArray) -> tuple[NDArray, NDArray] | None:
        """Return ``(x0, c)`` if a contributor's optimum is the line ``x = x0 + p c G``, else ``None``.

        Then ``mrs(x, G) = p`` gives ``x`` linear in ``G`` and the replacement function is
        ``r(G) = max(0, (w - x0)/p - c G)``: true of homothetic (``x0 = 0``) and Stone–Geary
        preferences, for which the Nash solver uses the exact sort-and-add closed form.
        ``None`` (the default) means the replacement function is found numerically.
        """
        return None

    def _linear_replacement(self, w: NDArray, p: NDArray) -> tuple[NDArray, NDArray] | None:
        """``(A, c)`` with ``replacement(G) = max(0, A - c G)``, from :meth:`linear_foc`."""
        foc = self.linear_foc(p)
        if foc is None:
            return None
        x0, c = foc
        A = (np.asarray(w) - x0) / p
        return A, np.broadcast_to(c, A.shape)

    # -- numeric defaults ------------------------------------------------------------------
    def replacement(self, G: ArrayLike, w: ArrayLike, p: ArrayLike = 1.0) -> NDArray:
        """Contribution consistent with the member's optimum when the total is ``G``.

        Solves ``mrs(w - p r, G) = p`` for ``r`` in ``[0, w/p]`` (zero when
        ``mrs(w, G) <= p``; ``w/p`` when even the last unit of consumption is worth less than
        the good). Shapes broadcast.
        """
        G, w, p = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (G, w, p)))
        linear = self._linear_replacement(w, p)
        if linear is not None:
            A, c = linear
            return np.asarray(np.maximum(0.0, A - c * G))
        with np.errstate(all="ignore"):
            wants_more = self.mrs(w, G) > p
            x_lo = w * _TINY
            corner = wants_more & (self.mrs(x_lo, G) >= p)
        x, _ = solve_monotone(lambda x: self.mrs(x, G) - p, x_lo, w, active=wants_more & ~corner)
        x = np.where(wants_more, x, w)
        return np.where(corner, w / p, (w - x) / p)

    def dropout(self, w: ArrayLike, p: ArrayLike = 1.0) -> NDArray:
        """Drop-out level ``Q̄``: the total at and above which the member contributes nothing.

        Solves ``mrs(w, Q) = p`` for ``Q > 0`` (numerically by default).
        """
        w, p = np.broadcast_arrays(np.asarray(w, dtype=np.float64), np.asarray(p, dtype=np.float64))
        linear = self._linear_replacement(w, p)
        if linear is not None:
            A, c = linear
            return np.asarray(A / c)
        Q, _ = bracket_and_solve(lambda Q: p - self.mrs(w, Q), w / p, 2 * w / p, xmin=0.0)
        return Q

    def lindahl_price(self, G: ArrayLike, w: ArrayLike) -> NDArray:
        """Personalised price per unit of ``G`` at which the member demands exactly ``G``.

        Solves ``t = mrs(w - t G, G)`` for ``t`` in ``(0, w/G)``; the Lindahl equilibrium is the
        ``G`` at which these prices add up to ``p``.
        """
        G, w = np.broadcast_arrays(np.asarray(G, dtype=np.float64), np.asarray(w, dtype=np.float64))

        def residual(t: NDArray) -> NDArray:
            # Rises from -mrs(w, G) < 0 at t = 0 to w/G at t = w/G (x = 0), where a singular
            # mrs is read as 0: private consumption is essential.
            value = t - self.mrs(w - t * G, G)
            return np.where(np.isfinite(value), value, t)

        hi = w / G
        with np.errstate(all="ignore"):
            # The root can sit closer to x = 0 than rounding resolves: then w/G is the answer.
            corner = residual(hi) <= 0
        t, _ = solve_monotone(residual, np.zeros_like(G), hi, active=~corner)
        return np.where(corner, hi, t)

    def consumption_for_utility(self, u: ArrayLike, G: ArrayLike) -> NDArray:
        """Private consumption ``x`` with ``utility(x, G) = u`` (utility is increasing in ``x``).

        NaN (numeric default) or ``inf`` (closed forms) where no consumption reaches ``u``.
        """
        u, G = np.broadcast_arrays(np.asarray(u, dtype=np.float64), np.asarray(G, dtype=np.float64))
        x, _ = bracket_and_solve(
            lambda x: self.utility(x, G) - u, np.ones_like(u), np.full_like(u, 2.0), xmin=0.0
        )
        return x

    def __repr__(self) -> str:
        params = ", ".join(f"{name}={_short(getattr(self, name))}" for name in self._param_names)
        return f"{type(self).__name__}({params})"


def _short(value: NDArray) -> str:
    value = np.asarray(value)
    if value.size <= 8:
        return np.array2string(value, precision=6, separator=", ") if value.ndim else f"{value[()]:g}"
    return f"<array {value.shape}>"


def _param(value: ArrayLike, name: str, low=None, high=None, closed="neither") -> NDArray:
    arr = as_float_array(value, name)
    if low is not None or high is not None:
        check_interval(arr, name, low, high, closed=closed)
    return arr


class CobbDouglas(Preferences):
    r"""Cobb–Douglas preferences :math:`u = (1-a)\ln x + a \ln G`, ``a`` in (0, 1).

    Linear replacement :math:`r(G) = \max(0, w/p - cG)` with :math:`c = (1-a)/a`; drop-out
    level :math:`\bar Q = a w / ((1-a) p)`; Lindahl price :math:`t = a w / G`.

    Parameters
    ----------
    a : array_like
        Weight on the alliance good, broadcast against members ``(..., n)``.

    Examples
    --------
    >>> import burden as bd
    >>> prefs = bd.CobbDouglas(0.5)
    >>> prefs.replacement(60.0, [100.0, 80.0])
    array([40., 20.])
    >>> prefs.dropout([100.0, 40.0])
    array([100.,  40.])
    """

    _param_names = ("a",)

    def __init__(self, a: ArrayLike):
        self.a = _param(a, "a", 0.0, 1.0)

    def utility(self, x, G):
        a = self.a
        with np.errstate(divide="ignore"):
            return (1.0 - a) * np.log(x) + a * np.log(G)

    def mrs(self, x, G):
        with np.errstate(divide="ignore"):
            return self.a * np.asarray(x) / ((1.0 - self.a) * np.asarray(G))

    def linear_foc(self, p):
        return np.zeros(()), (1.0 - self.a) / self.a

    def lindahl_price(self, G, w):
        return self.a * np.asarray(w) / np.asarray(G)

    def consumption_for_utility(self, u, G):
        return np.exp((np.asarray(u) - self.a * np.log(G)) / (1.0 - self.a))


class CES(Preferences):
    r"""CES preferences :math:`u = ((1-a) x^\rho + a G^\rho)^{1/\rho}`, ``rho < 1``.

    ``rho = 0`` is Cobb–Douglas (written :math:`x^{1-a} G^a`); the elasticity of substitution
    is :math:`\sigma = 1/(1-\rho)`. Homothetic, so the replacement function is linear:
    :math:`r(G) = \max(0, w/p - cG)` with :math:`c = (p(1-a)/a)^\sigma / p`.

    Parameters
    ----------
    a : array_like
        Share parameter in (0, 1).
    rho : array_like
        Substitution parameter, ``rho < 1``.

    Examples
    --------
    >>> import burden as bd
    >>> bd.CES(0.5, 0.0).dropout(100.0)  # the Cobb–Douglas case
    array(100.)
    >>> bd.CES(0.5, -1.0).dropout(100.0, p=4.0)  # sigma = 1/2: c = (4 * 1)^(1/2) / 4
    array(50.)
    """

    _param_names = ("a", "rho")

    def __init__(self, a: ArrayLike, rho: ArrayLike):
        self.a = _param(a, "a", 0.0, 1.0)
        self.rho = _param(rho, "rho", None, 1.0)

    @property
    def sigma(self) -> NDArray:
        """Elasticity of substitution ``1 / (1 - rho)``."""
        return 1.0 / (1.0 - self.rho)

    def utility(self, x, G):
        a, rho = self.a, self.rho
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            log_x, log_G = np.log(x), np.log(G)
            return np.exp(_ces_log_mean(log_x, log_G, a, rho))

    def mrs(self, x, G):
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.a / (1 - self.a) * (np.asarray(x) / np.asarray(G)) ** (1 - self.rho)

    def linear_foc(self, p):
        return np.zeros(()), (p * (1 - self.a) / self.a) ** self.sigma / p

    def consumption_for_utility(self, u, G):
        # invert u = M(x, G): ln x = M^{-1} with the roles of the weights exchanged
        a, rho = self.a, self.rho
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            log_u, log_G = np.log(u), np.log(G)
            tiny = np.abs(rho) < _CES_TINY_RHO
            safe = np.where(tiny, 1.0, rho)
            # small |rho|: log1p/expm1 keep full precision as rho -> 0 (the Cobb–Douglas limit)
            near = np.log1p((np.expm1(safe * log_u) - a * np.expm1(safe * log_G)) / (1 - a)) / safe
            far = np.log((np.exp(safe * log_u) - a * np.exp(safe * log_G)) / (1 - a)) / safe
            # tiny |rho|: invert the O(rho^2) series of the utility (one correction step)
            geometric = (log_u - a * log_G) / (1 - a)
            series = geometric - 0.5 * rho * a * (geometric - log_G) ** 2
            log_x = np.where(tiny, series, np.where(np.abs(rho) < 0.5, near, far))
        # A utility out of reach at this G: with complements (rho < 0) utility is bounded in x
        # (no consumption suffices: +inf); with substitutes it is bounded below by u(0, G) (x = 0).
        unreachable = np.isnan(log_x) & ~np.isnan(u) & ~np.isnan(G)
        return np.where(unreachable, np.where(rho < 0, np.inf, 0.0), np.exp(log_x))


def _ces_log_mean(log_x: NDArray, log_G: NDArray, a: NDArray, rho: NDArray) -> NDArray:
    """``ln(((1-a) x^rho + a G^rho)^(1/rho))``, accurate for every ``rho < 1`` including 0."""
    tiny = np.abs(rho) < _CES_TINY_RHO
    safe = np.where(tiny, 1.0, rho)
    # small |rho|: log1p/expm1 keep full precision as rho -> 0; large |rho|: logaddexp avoids overflow
    near = np.log1p((1 - a) * np.expm1(safe * log_x) + a * np.expm1(safe * log_G)) / safe
    far = np.logaddexp(np.log1p(-a) + safe * log_x, np.log(a) + safe * log_G) / safe
    # |rho| so small that rho * log underflows: the expansion in rho (the power mean's Taylor
    # series about the geometric mean), exact to O(rho^2)
    series = (1 - a) * log_x + a * log_G + 0.5 * rho * a * (1 - a) * (log_x - log_G) ** 2
    return np.where(tiny, series, np.where(np.abs(rho) < 0.5, near, far))


class QuasiLinear(Preferences):
    r"""Quasi-linear preferences :math:`u = x + b \ln G`, ``b > 0``.

    No income effect on the alliance good: a member's ideal total is :math:`b/p` whatever its
    wealth, so (budget permitting) only the member(s) with the largest ``b`` contribute.
    The replacement "function" is a correspondence (vertical at ``G = b/p``); the Nash
    solver uses its own closed form.

    Parameters
    ----------
    b : array_like
        Valuation of the alliance good, ``b > 0``.

    Examples
    --------
    >>> import burden as bd
    >>> bd.QuasiLinear(30.0).dropout(100.0, p=2.0)
    array(15.)
    """

    _param_names = ("b",)

    def __init__(self, b: ArrayLike):
        self.b = _param(b, "b", 0.0, None)

    def utility(self, x, G):
        with np.errstate(divide="ignore"):
            return np.asarray(x) + self.b * np.log(G)

    def mrs(self, x, G):
        x, G = np.asarray(x, dtype=float), np.asarray(G, dtype=float)
        with np.errstate(divide="ignore"):
            return np.broadcast_to(self.b / G, np.broadcast_shapes(x.shape, G.shape, np.shape(self.b)))

    def replacement(self, G, w, p=1.0):
        """Contribution at total ``G``: ``w/p`` below ``b/p``, 0 at or above it.

        At exactly ``G = b/p`` any contribution in ``[0, w/p]`` is optimal; 0 is returned.
        """
        G, w, p = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (G, w, p)))
        return np.where(G < self.b / p, w / p, 0.0)

    def dropout(self, w, p=1.0):
        return np.broadcast_to(
            self.b / np.asarray(p, dtype=float),
            np.broadcast_shapes(np.shape(w), np.shape(p), np.shape(self.b)),
        ).copy()

    def lindahl_price(self, G, w):
        return np.broadcast_to(
            self.b / np.asarray(G, dtype=float),
            np.broadcast_shapes(np.shape(G), np.shape(w), np.shape(self.b)),
        ).copy()

    def consumption_for_utility(self, u, G):
        return np.asarray(u) - self.b * np.log(G)


class StoneGeary(Preferences):
    r"""Stone–Geary preferences :math:`u = (1-a)\ln(x - \bar x) + a \ln(G - \bar G)`.

    Subsistence levels :math:`\bar x` (private) and :math:`\bar G` (security). Not homothetic,
    but the replacement function is still linear:
    :math:`r(G) = \max(0, A - cG)` with :math:`c = (1-a)/a` and
    :math:`A = (w - \bar x)/p + c\bar G`, so the Nash closed form applies. Wealth must exceed
    :math:`\bar x`; an equilibrium in which some member's :math:`G \le \bar G` is infeasible and
    reported through ``status``.

    Parameters
    ----------
    a : array_like
        Weight on the alliance good, in (0, 1).
    x_min, G_min : array_like
        Subsistence levels (finite; ``x_min >= 0``).

    Examples
    --------
    >>> import burden as bd
    >>> bd.StoneGeary(0.5, x_min=20.0, G_min=10.0).dropout(100.0)
    array(90.)
    """

    _param_names = ("a", "x_min", "G_min")

    def __init__(self, a: ArrayLike, x_min: ArrayLike = 0.0, G_min: ArrayLike = 0.0):
        self.a = _param(a, "a", 0.0, 1.0)
        self.x_min = _param(x_min, "x_min", 0.0, None, closed="left")
        self.G_min = _param(G_min, "G_min")

    def utility(self, x, G):
        x, G = np.asarray(x, dtype=float), np.asarray(G, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            u = (1 - self.a) * np.log(x - self.x_min) + self.a * np.log(G - self.G_min)
        return np.where((x > self.x_min) & (G > self.G_min), u, -np.inf)

    def mrs(self, x, G):
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.a * (np.asarray(x) - self.x_min) / ((1 - self.a) * (np.asarray(G) - self.G_min))

    def linear_foc(self, p):
        # a (x - x_min) = p (1 - a) (G - G_min)
        c = (1 - self.a) / self.a
        return self.x_min - p * c * self.G_min, c

    def lindahl_price(self, G, w):
        # a (x - x_min) = (1 - a) t (G - G_min) with x = w - t G, solved for t.
        G = np.asarray(G, dtype=float)
        return self.a * (np.asarray(w) - self.x_min) / (G - (1 - self.a) * self.G_min)

    def consumption_for_utility(self, u, G):
        with np.errstate(invalid="ignore"):
            return self.x_min + np.exp(
                (np.asarray(u) - self.a * np.log(np.asarray(G) - self.G_min)) / (1 - self.a)
            )
