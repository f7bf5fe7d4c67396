"""Every challenge detector on real runs: a solved state is detected, an unsolved is not."""

import math

import numpy as np
import pytest

from playground.challenge_snapshot import playground_snapshot, theory_snapshot
from playground.challenges import BY_KEY, CHALLENGES, newly_solved, next_open
from playground.presets import apply_preset
from playground.session import PlaygroundSession
from playground.settings import DEFAULTS, L2_CHOICES


def run(settings, frames=60, session=None):
    s = session or PlaygroundSession(settings)
    if session is not None:
        s.apply(settings)
    s.advance(frames)
    return s


def solved(key, session, cache=None):
    return BY_KEY[key].solved(playground_snapshot(session, {} if cache is None else cache))


def test_at_least_eight_challenges_each_with_goal_why_hint():
    assert len(CHALLENGES) >= 8
    notes = ("the derivation notes", "the d2l summary", "the NumPy notebook", "the slides")
    for c in CHALLENGES:
        assert c.goal and c.hint
        assert any(n.lower() in c.why.lower() for n in notes), c.key
        assert "seed" not in c.why.lower()


def test_diverge_then_tame():
    strong = apply_preset(DEFAULTS, "Strong L2")
    calm = run(strong, 40)
    assert not solved("diverge", calm)
    wild = run(strong.with_(lr=5.0), 10, session=calm)
    assert wild.divergence is None
    assert solved("diverge", wild)  # the loss rises frame after frame
    assert not solved("bound", wild)  # exploding weights do not count for the bound
    wild.advance(600)
    assert wild.divergence is not None  # then the weights overflow
    assert solved("diverge", wild)
    assert not solved("tame", wild)  # still diverged
    # bring lr below 2/L and restore: the loss falls every frame
    stable = wild.stable_lr()
    lr = max(c for c in (0.1, 0.2, 0.5, 1.0) if c <= stable)
    wild.apply(wild.settings.with_(lr=lr))
    assert wild.restore_best()
    assert not solved("tame", wild)  # not enough falling frames yet... or rising before
    wild.reset_weights()
    wild.advance(15)
    assert solved("tame", wild)
    # the same run above 2/L (but not diverging) is not tamed
    high = run(strong.with_(lr=2.0), 15)
    assert high.settings.lr > high.stable_lr()
    assert not solved("tame", high)


def test_bound_of_the_residual():
    sep = apply_preset(DEFAULTS, "Well separated")
    s = run(sep.with_(l2=0.0, lr=2.0), 300)
    assert not solved("bound", s)
    # drag class 1 onto class 2's centre: its points are confidently wrong
    s.move_centre(0, *s.settings.centres[1])
    snap = playground_snapshot(s, {})
    assert snap.max_residual <= math.sqrt(2) + 1e-12
    assert BY_KEY["bound"].solved(snap)


def test_momentum_in_half_the_steps():
    cache = {}
    gd = run(DEFAULTS, 300)
    assert not solved("momentum", gd, cache)
    mom = PlaygroundSession(DEFAULTS.with_(optimizer="momentum"))
    snap = playground_snapshot(mom, cache)
    assert snap.gd_steps_to_optimum > 100
    assert not BY_KEY["momentum"].solved(snap)  # step 0
    mom.advance(snap.gd_steps_to_optimum // 2)
    snap = playground_snapshot(mom, cache)
    assert BY_KEY["momentum"].solved(snap)
    # a run that switched from gradient descent to momentum does not count
    mixed = run(DEFAULTS, 20)
    mixed_cache = {}
    playground_snapshot(mixed, mixed_cache)
    mixed.apply(mixed.settings.with_(optimizer="momentum"))
    mixed.advance(400)
    assert not solved("momentum", mixed, mixed_cache)


def find_small_data_case():
    """A seed where small L2 choices stay below 90% test accuracy and a larger one reaches it."""
    for seed in range(40):
        settings = DEFAULTS.with_(n_per_class=10, seed=seed, test_fraction=0.5, spread=1.2)
        snap = playground_snapshot(PlaygroundSession(settings), {})
        table = snap.l2_optimum_test_acc
        ok = [l2 for l2, acc in table if acc is not None and acc >= 0.9]
        below = [l2 for l2, acc in table if acc is not None and acc < 0.9]
        if ok and below and min(below) < min(ok):
            return settings, min(ok), max(x for x in L2_CHOICES if x < min(ok))
    pytest.skip("no seed with a small-data L2 trade-off")


def test_smallest_l2_for_small_data():
    settings, best, smaller = find_small_data_case()
    cache = {}
    s = run(settings.with_(l2=best, optimizer="adam", lr=0.05), 2000)
    s.advance(2000)
    assert solved("small_data_l2", s, cache)
    too_small = run(settings.with_(l2=smaller, optimizer="adam", lr=0.05), 4000)
    assert not solved("small_data_l2", too_small, {})
    untrained = PlaygroundSession(settings.with_(l2=best))
    assert not solved("small_data_l2", untrained, {})


def test_surround_one_class():
    s = run(apply_preset(DEFAULTS, "One class surrounded"), 120)
    assert solved("surround", s)
    apart = run(apply_preset(DEFAULTS, "Mini-batch noise"), 120)
    assert not solved("surround", apart)
    short = run(apply_preset(DEFAULTS, "One class surrounded"), 20)
    assert not solved("surround", short)


def softmax_state(z, t):
    return {"softmax_k": len(z), "softmax_temperature": t} | {
        f"softmax_z{i}": v for i, v in enumerate(z)
    }


def test_temperature_one_hot():
    worked = (3.0, 4.0, 6.0)  # the slides' example: 0.0420, 0.1142, 0.8438
    assert BY_KEY["temperature"].solved(theory_snapshot(softmax_state(worked, 0.3)))
    assert not BY_KEY["temperature"].solved(theory_snapshot(softmax_state(worked, 1.0)))
    assert not BY_KEY["temperature"].solved(theory_snapshot(softmax_state(worked, 0.8)))
    # already one-hot at T = 1: the temperature did not do it
    assert not BY_KEY["temperature"].solved(theory_snapshot(softmax_state((0.0, 9.0), 0.5)))


def test_sigmoid_difference():
    assert BY_KEY["sigmoid"].solved(theory_snapshot({"logit_z1": 1.0, "logit_z2": -2.0}))
    assert not BY_KEY["sigmoid"].solved(theory_snapshot({"logit_z1": 3.0, "logit_z2": 0.0}))
    assert not BY_KEY["sigmoid"].solved(theory_snapshot({"logit_z1": 1.0, "logit_z2": -0.5}))
    assert not BY_KEY["sigmoid"].solved(theory_snapshot({}))


def test_progress_helpers():
    snap = theory_snapshot({"logit_z1": 1.0, "logit_z2": -2.0})
    assert newly_solved(snap, set()) == ["sigmoid"]
    assert newly_solved(snap, {"sigmoid"}) == []
    keys = [c.key for c in CHALLENGES]
    assert next_open(set()) == keys[0]
    assert next_open({keys[0]}, after=keys[0]) == keys[1]
    assert next_open(set(keys[1:]), after=keys[-1]) == keys[0]
    assert next_open(set(keys)) is None


def test_snapshot_of_a_fresh_session_solves_nothing():
    snap = playground_snapshot(PlaygroundSession(DEFAULTS), {})
    assert newly_solved(snap, set()) == []
    assert np.isfinite(snap.stable_lr)


def test_a_gradient_descent_run_does_not_pay_for_fields_no_detector_reads():
    """The live page checks the challenges on every run: the snapshot is lazy, and for
    plain gradient descent nobody asks for J*, the GD reference run or the L2 table."""
    cache = {}
    s = run(DEFAULTS, 30)
    snap = playground_snapshot(s, cache)
    assert newly_solved(snap, set()) == []
    assert "optimum_key" not in cache and "gd_key" not in cache and "l2_key" not in cache
    assert snap.optimum_loss is not None and "optimum_key" in cache  # computed when read
    assert snap.steps[-1] == s.history.last_step


def test_the_stable_learning_rate_follows_the_data_and_l2_through_its_cache():
    from softmax_core import gd_stable_learning_rate

    s = PlaygroundSession(DEFAULTS)

    def fresh() -> float:
        Xtr, _, _, _ = s._train_test()
        return gd_stable_learning_rate(Xtr, s.settings.l2)

    first = s.stable_lr()
    assert first == fresh()
    assert s.stable_lr() == first  # from the cache
    s.move_centre(0, 4.0, 4.0)  # new data: a wider spread, a larger curvature bound
    assert s.stable_lr() == fresh() != first
    s.apply(s.settings.with_(l2=L2_CHOICES[-1]))
    assert s.stable_lr() == fresh()
