r"""Preferences over private consumption ``x`` and the alliance good.

A member with wealth :math:`w` buys the alliance good at unit price :math:`p`: it contributes
:math:`g`, consumes :math:`x = w - p g` privately and enjoys :math:`Q` (the alliance total
:math:`G` for a pure public good). A preference class gives ``utility`` and the marginal rate
of substitution ``mrs`` :math:`= u_G/u_x`; every other method (replacement function, drop-out
level, Lindahl price, money-metric inverse) has a numeric default and, in the built-in
classes, a closed form. ``docs/publicgoods.md`` derives them and states the protocol the
solvers rely on; ``docs/impure.md`` covers :class:`JointProduct`.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._roots import bracket_and_solve, solve_monotone
from burden._validation import as_float_array, broadcast_named, check_interval, format_index

__all__ = ["CES", "CobbDouglas", "JointProduct", "Preferences", "QuasiLinear", "StoneGeary"]

# Below this |rho| the CES formulas switch to their series about rho = 0 (Cobb–Douglas):
# rho * log(x) would underflow, and the O(rho^2) error of the series is below rounding.
_CES_TINY_RHO = 1e-8

# The numeric paths search consumption in (w * _TINY, w]: the lower end stands for "spend
# (almost) everything" without evaluating mrs at x = 0, where many utilities are singular.
_TINY = 1e-12

_HUGE = np.finfo(np.float64).max

# Newton steps allowed for the CES Lindahl allocation (quadratic convergence: far more than needed)
_NEWTON_STEPS = 100

# Relative step of the central difference for the marginal utility of consumption.
_FD_STEP = 1e-6

#: methods that hold in closed form only for the utility they were written for (see
#: `Preferences.__init_subclass__`)
_CLOSED_FORM_METHODS = (
    "linear_foc",
    "replacement",
    "best_response",
    "dropout",
    "lindahl_price",
    "lindahl_allocation",
    "consumption_for_utility",
    "own_utility",
    "marginal_rates",
    "marginal_utility_x",
    "compensating_consumption",
)


class Preferences:
    """Base class: subclass it and define :meth:`utility` and :meth:`mrs`.

    The other methods have numeric defaults that assume *normality* (``mrs`` increasing in
    ``x`` and decreasing in ``G``), the condition under which the Nash equilibrium is unique.
    Built-in subclasses override them with closed forms, and declare which one in
    :attr:`closed_form`. A subclass that defines ``utility`` or ``mrs`` itself (say, a
    modified Cobb–Douglas) is never solved with its parent's closed forms: it gets the
    numeric default of every method it does not define itself, and ``closed_form = None``.

    Parameters are numpy array attributes that broadcast against member arrays
    ``(..., n)``; the built-in classes copy them and keep them read-only. The solvers work on
    chunks of scenarios and take matching rows of every array attribute of shape
    ``(..., n)`` or ``(..., 1)``.

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
    >>> MyCD.closed_form is None
    True
    """

    #: parameter names, in constructor order (used by ``repr`` and validation messages)
    _param_names: tuple[str, ...] = ()

    #: the closed form the solvers may use: ``None`` (numeric), ``"cobb_douglas"``,
    #: ``"ces"``, ``"stone_geary"``, ``"quasi_linear"`` or ``"joint_product"``
    closed_form: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        own = vars(cls)
        if ("utility" in own or "mrs" in own) and "closed_form" not in own:
            # A closed form inherited from a parent describes the parent's utility, not this one.
            cls.closed_form = None
            for name in _CLOSED_FORM_METHODS:
                if name not in own:
                    setattr(cls, name, getattr(Preferences, name))

    def utility(self, x: ArrayLike, G: ArrayLike) -> NDArray:
        """Utility of private consumption ``x`` and alliance good ``G``."""
        raise NotImplementedError(f"{type(self).__name__} must define utility(x, G)")

    def mrs(self, x: ArrayLike, G: ArrayLike) -> NDArray:
        """Marginal rate of substitution ``u_G / u_x`` (willingness to pay for one more unit of G)."""
        raise NotImplementedError(f"{type(self).__name__} must define mrs(x, G)")

    # -- the protocol of the impure-good solvers (own defence ``g`` may matter) --------------
    def own_utility(self, x: ArrayLike, Q: ArrayLike, g: ArrayLike) -> NDArray:
        """Utility at consumption ``x``, good enjoyed ``Q`` and own provision ``g``.

        ``utility(x, Q)`` unless own provision brings a private benefit (:class:`JointProduct`).
        """
        return self.utility(x, Q)

    def marginal_rates(self, x: ArrayLike, Q: ArrayLike, g: ArrayLike) -> tuple[NDArray, NDArray]:
        """``(u_Q / u_x, u_g / u_x)``: willingness to pay for the good enjoyed and for own provision."""
        mrs = self.mrs(x, Q)
        return mrs, np.zeros(np.shape(mrs))

    def marginal_utility_x(self, x: ArrayLike, Q: ArrayLike, g: ArrayLike) -> NDArray:
        """Marginal utility of consumption ``u_x`` (a central difference by default)."""
        x = np.asarray(x, dtype=float)
        h = _FD_STEP * x
        with np.errstate(divide="ignore", invalid="ignore"):
            return (self.own_utility(x + h, Q, g) - self.own_utility(x - h, Q, g)) / (2 * h)

    def compensating_consumption(self, u: ArrayLike, Q: ArrayLike, g: ArrayLike) -> NDArray:
        """Consumption ``x`` with ``own_utility(x, Q, g) = u`` (money-metric welfare)."""
        return self.consumption_for_utility(u, Q)

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

    def best_response(self, S: ArrayLike, w: ArrayLike, p: ArrayLike = 1.0) -> NDArray:
        """Own provision ``g`` in ``[0, w/p]`` maximising utility when the others provide ``S``.

        The member enjoys ``g + S``: solves ``mrs(w - p g, g + S) = p`` (``mrs`` falls as ``g``
        rises when both goods are normal); 0 when ``mrs(w, S) <= p``, ``w/p`` when the good is
        worth its price even at the last unit of consumption. Shapes broadcast.
        """
        S, w, p = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (S, w, p)))
        linear = self._linear_replacement(w, p)
        with np.errstate(all="ignore"):
            if linear is not None:
                A, c = linear
                return np.asarray(np.maximum(0.0, (A - c * S) / (1.0 + c)))
            budget = w / p
            hi = budget * (1.0 - _TINY)
            none = ~(self.mrs(w, S) > p)
            every = ~none & (self.mrs(w - p * hi, hi + S) >= p)
        # with nothing from the others (S = 0) many mrs are singular at g = 0: start just above
        lo = np.where(S > 0, 0.0, budget * 1e-300)
        g, _ = solve_monotone(lambda g: p - self.mrs(w - p * g, g + S), lo, hi, active=~none & ~every)
        return np.where(none, 0.0, np.where(every, budget, g))

    @property
    def private_share(self) -> NDArray:
        """Share of the motive for own provision that is private (0: a pure public good)."""
        return np.zeros(())

    def subsistence(self) -> tuple[NDArray, NDArray] | None:
        """``(x_min, G_min)`` below which utility is undefined, or ``None`` (no subsistence levels)."""
        return None

    def dropout(self, w: ArrayLike, p: ArrayLike = 1.0) -> NDArray:
        """Drop-out level ``Q̄``: the total at and above which the member contributes nothing.

        Solves ``mrs(w, Q) = p`` for ``Q > 0`` (numerically by default): 0 if the member
        never contributes (``mrs(w, Q) <= p`` for every ``Q``), ``inf`` if it always does.
        """
        w, p = np.broadcast_arrays(np.asarray(w, dtype=np.float64), np.asarray(p, dtype=np.float64))
        linear = self._linear_replacement(w, p)
        if linear is not None:
            A, c = linear
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.asarray(A / c)
        Q, _ = bracket_and_solve(lambda Q: p - self.mrs(w, Q), w / p, 2 * w / p, xmin=0.0)
        with np.errstate(all="ignore"):
            # no sign change found: the member never contributes (mrs <= p already near Q = 0)
            # or always does (mrs > p even at an astronomically large Q)
            never = ~(self.mrs(w, w / p * 1e-300) > p)
            always = self.mrs(w, w / p * 1e300) > p
        return np.where(np.isnan(Q) & never, 0.0, np.where(np.isnan(Q) & always, np.inf, Q))

    def lindahl_price(self, G: ArrayLike, w: ArrayLike, G0: ArrayLike = 0.0) -> NDArray:
        """Personalised price per unit at which the member demands exactly the total ``G``.

        The member pays ``t`` per unit of ``G - G0`` (the part the alliance buys, above
        exogenous provision ``G0 < G``) and demands ``G``: ``t = mrs(w - t (G - G0), G)``. The
        Lindahl equilibrium is the ``G`` at which these prices add up to ``p``.
        """
        return self.lindahl_allocation(G, w, G0)[0]

    def lindahl_allocation(self, G: ArrayLike, w: ArrayLike, G0: ArrayLike = 0.0) -> tuple[NDArray, NDArray]:
        """``(t, x)``: the Lindahl price of :meth:`lindahl_price` and the consumption it leaves.

        Solved for ``x`` (``x + mrs(x, G) (G - G0) = w``, increasing in ``x``), so that a member
        left with almost nothing gets its consumption to full relative precision (``w - t G``
        would cancel); ``t = mrs(x, G)``. Where even ``x = 0`` leaves the member wanting more,
        its budget binds: ``x = 0``, ``t = w / (G - G0)``.
        """
        G, w, G0 = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (G, w, G0)))
        bought = G - G0

        def residual(x: NDArray) -> NDArray:
            value = x + self.mrs(x, G) * bought - w
            # a singular mrs at x = 0 (0 * inf) reads as 0; an overflow as the largest float
            return np.where(np.isnan(value), -w, np.clip(value, -_HUGE, _HUGE))

        with np.errstate(all="ignore"):
            corner = residual(np.zeros_like(G)) >= 0
        x, _ = solve_monotone(residual, np.zeros_like(G), w, active=~corner)
        with np.errstate(all="ignore"):
            t = np.where(corner, w / bought, self.mrs(x, G))
        return t, np.where(corner, 0.0, x)

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


def _member_shaped(value: NDArray, *others: ArrayLike) -> NDArray:
    """``value`` broadcast against the other arguments of a method (a fresh array)."""
    return np.array(np.broadcast_to(value, np.broadcast_shapes(np.shape(value), *map(np.shape, others))))


def _param(value: ArrayLike, name: str, low=None, high=None, closed="neither") -> NDArray:
    """A validated, owned, read-only copy of a parameter (changing the caller's array later
    must not change the preferences)."""
    arr = np.array(as_float_array(value, name), dtype=np.float64, copy=True)
    if low is not None or high is not None:
        check_interval(arr, name, low, high, closed=closed)
    arr.flags.writeable = False
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
    closed_form = "cobb_douglas"

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

    def marginal_utility_x(self, x, Q, g):
        with np.errstate(divide="ignore"):
            return _member_shaped((1.0 - self.a) / np.asarray(x, dtype=float), Q, g)

    def lindahl_allocation(self, G, w, G0=0.0):
        # a (w - t (G - G0)) = (1 - a) t G, solved for t; x from the first-order condition
        G = np.asarray(G, dtype=float)
        t = self.a * np.asarray(w) / (G - self.a * np.asarray(G0))
        return t, (1.0 - self.a) * t * G / self.a

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
    closed_form = "ces"

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
        # With rho near 1 (sigma large) c overflows to inf: the solvers report that
        # scenario as NOT_FINITE (its answer is below the floating-point range).
        with np.errstate(over="ignore"):
            return np.zeros(()), (p * (1 - self.a) / self.a) ** self.sigma / p

    def marginal_utility_x(self, x, Q, g):
        # u_x = (1-a) x^(rho-1) u^(1-rho), in logs
        a, rho = self.a, self.rho
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            log_x, log_Q = np.log(x), np.log(Q)
            log_u = _ces_log_mean(log_x, log_Q, a, rho)
            return _member_shaped(np.exp(np.log1p(-a) + (rho - 1) * log_x + (1 - rho) * log_u), Q, g)

    def lindahl_allocation(self, G, w, G0=0.0):
        # x + t (G - G0) = w with t = k (x/G)^s (k = a/(1-a), s = 1 - rho): in y = x/w,
        # y + beta y^s = 1, beta = k (G - G0)/w (w/G)^s. In z = ln y the left side is convex and
        # increasing, so Newton from a point where it is >= 1 descends monotonically to the root.
        G, w, G0 = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (G, w, G0)))
        a, s = self.a, 1.0 - self.rho
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            log_k = np.log(a) - np.log1p(-a)
            log_beta = log_k + np.log(G - G0) - np.log(w) + s * (np.log(w) - np.log(G))
            z = np.minimum(0.0, -log_beta / s)
            for _ in range(_NEWTON_STEPS):
                y, power = np.exp(z), np.exp(log_beta + s * z)
                step = np.where(power > 0, (y + power - 1.0) / (y + s * power), 0.0)
                z = z - step
                if not np.any(np.abs(step) > 4 * np.finfo(float).eps):
                    break
            x = np.where(G > G0, w * np.exp(z), w)
            t = np.exp(log_k + s * (np.log(x) - np.log(G)))
        return np.broadcast_to(t, x.shape).copy(), x

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
    closed_form = "quasi_linear"

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

    def marginal_utility_x(self, x, Q, g):
        return _member_shaped(np.ones(np.shape(x)), Q, g)

    def best_response(self, S, w, p=1.0):
        """``clip(b/p - S, 0, w/p)``: the member tops the others' provision up to its ideal ``b/p``."""
        S, w, p = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (S, w, p)))
        return np.clip(self.b / p - S, 0.0, w / p)

    def dropout(self, w, p=1.0):
        return np.broadcast_to(
            self.b / np.asarray(p, dtype=float),
            np.broadcast_shapes(np.shape(w), np.shape(p), np.shape(self.b)),
        ).copy()

    def lindahl_allocation(self, G, w, G0=0.0):
        G, w, G0 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (G, w, G0)))
        t = _member_shaped(self.b / G, w)
        return t, w - t * (G - G0)

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
    closed_form = "stone_geary"

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

    def subsistence(self):
        return self.x_min, self.G_min

    def marginal_utility_x(self, x, Q, g):
        with np.errstate(divide="ignore"):
            return _member_shaped((1 - self.a) / (np.asarray(x, dtype=float) - self.x_min), Q, g)

    def lindahl_allocation(self, G, w, G0=0.0):
        # a (x - x_min) = (1 - a) t (G - G_min) with x = w - t (G - G0), solved for t.
        G = np.asarray(G, dtype=float)
        denominator = G - self.a * np.asarray(G0) - (1 - self.a) * self.G_min
        t = self.a * (np.asarray(w) - self.x_min) / denominator
        return t, self.x_min + (1 - self.a) * t * (G - self.G_min) / self.a

    def consumption_for_utility(self, u, G):
        with np.errstate(invalid="ignore"):
            return self.x_min + np.exp(
                (np.asarray(u) - self.a * np.log(np.asarray(G) - self.G_min)) / (1 - self.a)
            )


class JointProduct(Preferences):
    r"""Joint-product preferences :math:`u = a\ln Q + b\ln g + (1-a-b)\ln x`.

    Own defence ``g`` buys the alliance-wide deterrent (of which the ally enjoys ``Q``) and
    an excludable private benefit (Sandler 1977; Cornes & Sandler 1984). ``a`` weighs the
    public deterrent, ``b`` the private benefit. ``b = 0`` is Cobb–Douglas over the deterrent,
    for which some allies may contribute nothing; with ``b > 0`` all contribute. The best
    response and the solvers are derived in ``docs/impure.md``.

    Parameters
    ----------
    a : array_like
        Weight on the public deterrent, in (0, 1).
    b : array_like
        Weight on the private benefit, in [0, 1), with ``a + b < 1``.

    Examples
    --------
    >>> import burden as bd
    >>> jp = bd.JointProduct(0.3, 0.2)
    >>> jp.c, jp.private_share
    (array(0.5), array(0.4))
    >>> jp.best_response(S=0.0, w=10.0)  # alone: the share a + b of wealth
    array(5.)
    """

    _param_names = ("a", "b")
    closed_form = "joint_product"

    def __init__(self, a: ArrayLike, b: ArrayLike):
        a = _param(a, "a", 0.0, 1.0)
        b = _param(b, "b", 0.0, 1.0, closed="left")
        a_b, b_b = broadcast_named({"a": a, "b": b})
        bad = a_b + b_b >= 1.0
        if bad.any():
            index = tuple(np.argwhere(bad)[0]) if bad.ndim else ()
            at = format_index(index)
            raise ValueError(
                f"`a + b` must be < 1 (private consumption needs a positive weight); "
                f"a{at} + b{at} = {a_b[index]!r} + {b_b[index]!r}"
            )
        self.a, self.b = a, b

    @property
    def c(self) -> NDArray:
        """Weight on private consumption, ``1 - a - b``."""
        return np.asarray(1.0 - self.a - self.b)

    @property
    def private_share(self) -> NDArray:
        """Share of defence's utility weight that is private, ``b / (a + b)``."""
        return np.asarray(self.b / (self.a + self.b))

    def utility(self, x: ArrayLike, Q: ArrayLike, q: ArrayLike) -> NDArray:
        """Utility of private consumption ``x``, deterrent enjoyed ``Q`` and own defence ``q``."""
        x, Q, q = (np.asarray(v, dtype=float) for v in (x, Q, q))
        with np.errstate(divide="ignore", invalid="ignore"):
            private = np.where(self.b > 0, self.b * np.log(q), 0.0)  # b = 0: no private term, even at q = 0
            return self.a * np.log(Q) + private + self.c * np.log(x)

    def mrs(self, x: ArrayLike, Q: ArrayLike) -> NDArray:
        """Willingness to pay for the deterrent enjoyed, ``u_Q / u_x = a x / (c Q)``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.a * np.asarray(x) / (self.c * np.asarray(Q))

    def own_utility(self, x, Q, g):
        return self.utility(x, Q, g)

    def marginal_rates(self, x, Q, g):
        x = np.asarray(x, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            private = np.where(self.b > 0, self.b * x / (self.c * np.asarray(g)), 0.0)
        return self.mrs(x, Q), private

    def marginal_utility_x(self, x, Q, g):
        with np.errstate(divide="ignore"):
            return np.broadcast_to(
                self.c / np.asarray(x, dtype=float),
                np.broadcast_shapes(np.shape(x), np.shape(Q), np.shape(g), self.c.shape),
            ).copy()

    def compensating_consumption(self, u, Q, g):
        zero_x = self.utility(1.0, Q, g)  # utility at x = 1, where c ln x vanishes
        return np.exp((np.asarray(u) - zero_x) / self.c)

    def consumption_for_utility(self, u: ArrayLike, Q: ArrayLike, q: ArrayLike) -> NDArray:
        """Private consumption ``x`` with ``utility(x, Q, q) = u``."""
        return self.compensating_consumption(u, Q, q)

    def best_response(self, S: ArrayLike, w: ArrayLike, p: ArrayLike = 1.0) -> NDArray:
        """Own defence maximising utility given spill-ins ``S >= 0`` (``docs/impure.md``)."""
        S, w, p = (np.asarray(v, dtype=float) for v in (S, w, p))
        return joint_product_response(self.a, self.b, self.c, S, w, p)

    def __repr__(self) -> str:
        return f"JointProduct(a={_short(self.a)}, b={_short(self.b)})"


def positive_root(alpha: NDArray, B: NDArray, b: NDArray, S: NDArray, w: NDArray, p: NDArray) -> NDArray:
    """Non-negative root of ``p α q² - B q - b S w = 0`` (``α > 0``; ``b, S, w >= 0``).

    Without cancellation (``2 b S w / (R - B)`` when ``B < 0``) and without overflow (``R`` as a
    ``hypot``, the constant term as a product of square roots).
    """
    with np.errstate(all="ignore"):
        R = np.hypot(B, 2.0 * np.sqrt(p * alpha * b) * np.sqrt(S) * np.sqrt(w))
        return np.where(B >= 0, (B + R) / (2.0 * p * alpha), 2.0 * b * (S / (R - B)) * w)


def joint_product_response(a, b, c, S, w, p):
    """The joint-product best response to spill-ins ``S``: the root of ``p q² - B q - b S w``."""
    return positive_root(1.0, (a + b) * w - (b + c) * p * S, b, S, w, p)
