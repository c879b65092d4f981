"""Tests of the joint optimum and of free riding with impure public goods."""

import numpy as np
import pytest
from scipy.optimize import minimize

import burden as bd


@pytest.fixture
def rng():
    return np.random.default_rng(20240611)


# -- joint optimum and free riding -------------------------------------------------------------


@pytest.mark.parametrize("theta", [1.0, 0.5])
def test_symmetric_joint_optimum_closed_forms(theta):
    """Derived: with identical allies the optimum spends a w/p (Cobb–Douglas) or (a+b) w/p."""
    opt = bd.joint_optimum(np.full(4, 3.0), bd.CobbDouglas(0.3), spillover=theta, p=2.0)
    np.testing.assert_allclose(opt.g, 0.3 * 3.0 / 2.0, rtol=1e-6)
    opt = bd.joint_optimum(np.full(3, 3.0), bd.JointProduct(0.3, 0.2), spillover=theta, p=2.0)
    np.testing.assert_allclose(opt.g, 0.5 * 3.0 / 2.0, rtol=1e-6)
    assert opt.status == 0


def test_joint_optimum_matches_an_independent_optimiser(rng):
    w, a = np.array([4.0, 2.0, 1.0]), np.array([0.3, 0.5, 0.4])
    theta = np.array([[0, 0.8, 0.2], [0.5, 0, 0.4], [0.1, 0.9, 0]])
    opt = bd.joint_optimum(w, bd.CobbDouglas(a), spillover=theta)

    def negative_welfare(q):
        Q = q + theta @ q
        return -np.sum((1 - a) * np.log(w - q) + a * np.log(Q))

    ref = minimize(negative_welfare, w / 3, method="SLSQP", bounds=[(1e-9, wi - 1e-9) for wi in w], tol=1e-14)
    np.testing.assert_allclose(opt.g, ref.x, rtol=1e-5, atol=1e-6)
    assert opt.welfare >= -ref.fun - 1e-12


def test_free_riding_against_the_optimum(rng, geographic_spillins):
    w = rng.lognormal(0, 0.5, (4, 5))
    theta = geographic_spillins(rng, (4,), 5)
    fr = bd.free_riding(w, bd.JointProduct(0.3, 0.1), spillover=theta)
    assert isinstance(fr, bd.FreeRiding) and (fr.status == 0).all()
    assert (fr.gap > 0).all() and (fr.ratio < 1).all()  # under-provision
    assert (fr.optimum.welfare >= fr.nash.utility.sum(-1)).all()
    np.testing.assert_allclose(fr.burden, fr.nash.g / w)
    np.testing.assert_allclose(fr.private_share, 0.25)
    assert ((fr.private_benefit_share > 0) & (fr.private_benefit_share < 1)).all()
    # the money-metric losses add up to something positive: the optimum is better on the whole
    assert (fr.welfare_loss_total > 0).all()


def test_impure_measures_at_theta_one_agree_with_the_pure_measures():
    # identical allies: the utilitarian optimum is the Lindahl point
    pure = bd.free_riding([2.0, 2.0, 2.0], bd.CobbDouglas(0.4))
    impure = bd.free_riding([2.0, 2.0, 2.0], bd.CobbDouglas(0.4), spillover=1.0)
    np.testing.assert_allclose(impure.G_optimum, pure.G_optimum, rtol=1e-6)
    np.testing.assert_allclose(impure.G_nash, pure.G_nash, rtol=1e-14)
    np.testing.assert_allclose(impure.exploitation, pure.exploitation, rtol=1e-14)
    np.testing.assert_allclose(impure.welfare_loss, pure.welfare_loss, rtol=1e-5)


def test_joint_optimum_threads_give_the_same_answer(rng):
    w = rng.uniform(1.0, 10.0, (4, 3))
    one = bd.joint_optimum(w, bd.JointProduct(0.3, 0.1), spillover=0.5)
    assert (one.status == 0).all()
    assert bd.joint_optimum(w, bd.JointProduct(0.3, 0.1), spillover=0.5, workers=2) == one
    np.testing.assert_allclose(one.tau.sum(-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(one.G, one.g.sum(-1), rtol=1e-12)
