"""Loss surface, path plane, simplex coordinates and the optimiser race, against direct
evaluation with loss_and_gradients and cases worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from softmax_core import (
    default_centres,
    loss_and_gradients,
    make_gaussian_classes,
    predict_proba,
    solve_optimum,
)
from softmax_core.landscape import flatten, loss_surface, path_plane, unflatten
from softmax_core.race import LaneSpec, Race
from softmax_core.simplex import simplex_coordinates, ternary_xy


@pytest.fixture(scope="module")
def blobs():
    X, y = make_gaussian_classes(default_centres(4), 40, 1.0, 0)
    W, b = solve_optimum(X, y, 1e-2)[:2]
    return X, y, 1e-2, flatten(W, b)


def J(theta, X, y, l2):
    W, b = unflatten(theta, X.shape[1], theta.size // (X.shape[1] + 1))
    return loss_and_gradients(W, b, X, y, l2)[0]


def test_surface_at_the_optimum_and_at_points_of_the_plane_is_the_objective(blobs):
    X, y, l2, opt = blobs
    rng = np.random.default_rng(0)
    path = opt + rng.standard_normal((30, opt.size)) * np.linspace(3, 0, 30)[:, None]
    plane = path_plane(path, opt)
    a = np.array([-2.0, 0.0, 0.7])
    c = np.array([-1.0, 0.0, 1.5, 2.0])
    S = loss_surface(X, y, l2, plane, a, c)
    assert S.shape == (4, 3)
    assert S[1, 1] == pytest.approx(J(opt, X, y, l2), rel=1e-6)
    for i, ci in enumerate(c):
        for j, aj in enumerate(a):
            assert S[i, j] == pytest.approx(J(plane.point(aj, ci), X, y, l2), rel=1e-6)


def test_surface_survives_huge_logits_without_overflow(blobs):
    X, y, l2, opt = blobs
    plane = path_plane(opt[None] + np.eye(opt.size)[:3] * 1e3, opt)
    S = loss_surface(X, y, l2, plane, np.array([-50.0, 50.0]), np.array([-50.0, 50.0]))
    assert np.isfinite(S).all()
    assert S[0, 0] == pytest.approx(J(plane.point(-50, -50), X, y, l2), rel=1e-5)


def test_projection_worked_by_hand():
    """Origin 0, path along e1 and e2 only: the plane is span(e1, e2) and projects exactly."""
    path = np.array([[3.0, 0, 0], [0, 2.0, 0], [1.0, 1.0, 0], [-1.0, 0.5, 0]])
    plane = path_plane(path, np.zeros(3))
    assert plane.method == "pca"
    assert plane.explained == pytest.approx(1.0)
    xy = plane.project(path)
    np.testing.assert_allclose(np.linalg.norm(xy, axis=1), np.linalg.norm(path, axis=1))
    np.testing.assert_allclose(abs(plane.d1 @ plane.d2), 0, atol=1e-12)
    # a point off the plane loses only its e3 component
    assert np.linalg.norm(plane.project(np.array([0, 0, 5.0]))) == pytest.approx(0, abs=1e-12)


def test_explained_share_is_the_variance_held_by_two_directions():
    rng = np.random.default_rng(3)
    path = rng.standard_normal((40, 5)) * np.array([5, 3, 0.1, 0.1, 0.1])
    plane = path_plane(path, np.zeros(5))
    s2 = np.linalg.svd(path, compute_uv=False) ** 2
    assert plane.explained == pytest.approx(s2[:2].sum() / s2.sum())


def test_short_path_falls_back_to_start_and_gradient():
    plane = path_plane(np.array([[2.0, 0, 0]]), np.zeros(3), gradient=np.array([1.0, 1.0, 0]))
    assert plane.method == "start-gradient"
    np.testing.assert_allclose(plane.d1, [1, 0, 0])
    np.testing.assert_allclose(plane.d2, [0, 1, 0])


def test_simplex_coordinates_are_the_probabilities_for_k3_and_renormalised_otherwise():
    X, y = make_gaussian_classes(default_centres(3), 10, 1.0, 1)
    W, b = solve_optimum(X, y, 0.1)[:2]
    P = predict_proba(W, b, X)
    np.testing.assert_array_equal(simplex_coordinates(P), P)
    P4 = np.array([[0.1, 0.2, 0.3, 0.4], [0.0, 0.0, 0.0, 1.0]])
    got = simplex_coordinates(P4, (0, 2, 3))
    np.testing.assert_allclose(got[0], np.array([0.1, 0.3, 0.4]) / 0.8)
    np.testing.assert_allclose(got[1], [0, 0, 1])
    np.testing.assert_allclose(ternary_xy(np.eye(3)), [[0, 0], [1, 0], [0.5, np.sqrt(3) / 2]])
    with pytest.raises(ValueError, match="distinct"):
        simplex_coordinates(P4, (0, 0, 1))


def test_race_lanes_share_their_start_and_are_deterministic(blobs):
    X, y, l2, opt = blobs
    target = J(opt, X, y, l2)
    specs = [LaneSpec("gd", 0.05), LaneSpec("momentum", 0.05), LaneSpec("adam", 0.1)]

    def run():
        race = Race(X, y, 4, specs, l2=l2, seed=5, target=target, tol=1e-3)
        starts = race.params()
        race.step(600)
        return race, starts

    race, starts = run()
    for W, b in starts[1:]:
        np.testing.assert_array_equal(W, starts[0][0])
        np.testing.assert_array_equal(b, starts[0][1])
    again, _ = run()
    for a, b in zip(race.lanes, again.lanes, strict=True):
        assert a.losses == b.losses and a.arrived_at == b.arrived_at
    winner = race.winner()
    assert winner is not None
    assert winner.losses[winner.arrived_at] - target <= 1e-3
    assert winner.arrived_at == min(
        lane.arrived_at for lane in race.lanes if lane.arrived_at is not None
    )
    # at a small lr, momentum (beta 0.9) arrives before plain GD
    gd, mom = race.lanes[0], race.lanes[1]
    assert mom.arrived_at is not None
    assert gd.arrived_at is None or mom.arrived_at < gd.arrived_at


def test_race_needs_two_to_four_lanes(blobs):
    X, y, l2, _ = blobs
    with pytest.raises(ValueError, match="2 to 4"):
        Race(X, y, 4, [LaneSpec("gd", 0.1)], l2=l2)
