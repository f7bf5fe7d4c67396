"""Issue 14 item 5: the exports replay the run's settings timeline.

A run in which the learning rate, L2, optimiser, batch size, data and centres change mid-run
(and the best weights are restored) is exported; the NumPy script, run in a fresh
interpreter, prints the app's final training loss to 1e-9; the model JSON carries the same
timeline; the history CSV gives the settings in force at each recorded step.
"""

import csv
import io
import json
import subprocess
import sys

import numpy as np
import pytest

from playground.export import history_csv, model_json
from playground.export_script import training_script
from playground.session import PlaygroundSession
from playground.settings import DEFAULTS


def run_script(session, tmp_path) -> float:
    path = tmp_path / "train.py"
    path.write_text(training_script(session))
    out = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr
    return float(out.stdout.rsplit("final loss", 1)[1])


def app_loss(session) -> float:
    return session.trainer.evaluate().train_loss


def gauss_run() -> PlaygroundSession:
    """lr and L2 changed mid-run, a centre dragged, the optimiser and batch switched, the
    best weights restored, the data's seed and test fraction changed."""
    s = PlaygroundSession(DEFAULTS.with_(source="gauss", lr=0.5, l2=0.0, speed=3))
    s.advance(10)
    s.apply(s.settings.with_(lr=2.5, l2=0.01))
    s.advance(7)
    s.move_centre(1, -1.5, 2.25)
    s.advance(5)
    s.apply(s.settings.with_(optimizer="momentum", batch_size=16, lr=0.2))
    s.advance(9)
    s.apply(s.settings.with_(lr=40.0))  # too large: the loss rises, the best is behind
    s.advance(4)
    assert s.restore_best()
    s.apply(s.settings.with_(optimizer="adam", lr=0.05, batch_size=0, test_fraction=0.3))
    s.advance(6)
    s.apply(s.settings.with_(seed=s.settings.seed + 1, optimizer="sgd", batch_size=8))
    s.advance(5)
    return s


def test_script_replays_a_run_whose_settings_changed_mid_run(tmp_path):
    session = gauss_run()
    assert len(session.timeline.segments) >= 7
    assert run_script(session, tmp_path) == pytest.approx(app_loss(session), abs=1e-9)


def test_the_same_run_without_its_timeline_would_not_match(tmp_path):
    """The test above can fail: replaying with the final settings from step 0 (what the
    script did before the timeline) misses the app's loss by far more than 1e-9."""
    session = gauss_run()
    replayed = PlaygroundSession(session.settings)
    replayed.trainer.run(session.trainer.step_count)
    assert abs(app_loss(replayed) - app_loss(session)) > 1e-6


def test_script_replays_curved_data_with_phi_drawn_points_and_a_reset(tmp_path):
    s = PlaygroundSession(DEFAULTS.with_(source="circle", n_classes=2, phi=("r2",), speed=4))
    s.advance(6)
    s.reset_weights()  # the run starts again here: the script starts from the reset
    s.advance(5)
    s.apply(s.settings.with_(lr=s.settings.lr * 3, l2=0.003))
    s.advance(4)
    assert s.edit_points("add", 0.3, -0.2, 1)  # the phi standardisation is refitted
    s.advance(3)
    assert s.edit_points("add", 2.9, 2.9, 0)
    s.apply(s.settings.with_(noise=s.settings.noise + 0.05))
    s.advance(5)
    sets = session_sets(s)
    assert len(sets) >= 3  # three point sets: the one before the edits, and after each change
    assert run_script(s, tmp_path) == pytest.approx(app_loss(s), abs=1e-9)


def session_sets(session):
    return session.timeline.plain()[1]


@pytest.mark.parametrize("standardise", [True, False])
def test_script_replays_a_table_with_a_dragged_class_and_a_new_split(tmp_path, standardise):
    s = PlaygroundSession(
        DEFAULTS.with_(source="iris", standardise=standardise, lr=0.3 if standardise else 0.01)
    )
    s.advance(8)
    cx, cy = s.centres_2d()[2]
    s.move_centre(2, cx - 0.5, cy + 0.4)
    s.advance(6)
    s.apply(s.settings.with_(test_fraction=0.4, l2=0.02))
    s.advance(6)
    assert run_script(s, tmp_path) == pytest.approx(app_loss(s), abs=1e-9)


def test_model_json_carries_the_timeline_the_script_replays():
    session = gauss_run()
    doc = json.loads(model_json(session))
    tl = doc["timeline"]
    assert tl["seed"] == session.timeline.seed
    segments = tl["segments"]
    assert [seg["step"] for seg in segments] == [seg.step for seg in session.timeline.segments]
    assert segments[0]["step"] == 0 and segments[0]["new_data"]
    lrs = [seg["lr"] for seg in segments]
    assert 2.5 in lrs and 40.0 in lrs
    restored = [seg for seg in segments if seg["restore"]]
    assert len(restored) == 1 and restored[0]["fresh_optimizer"]
    np.testing.assert_array_equal(
        np.array(restored[0]["restore"]["W"]).shape, session.trainer.W.shape
    )
    moved = [seg for seg in segments if seg["data"].get("centres", [[0, 0]] * 9)[1] == [-1.5, 2.25]]
    assert moved and moved[0]["new_data"] and moved[0]["new_batches"]


def test_history_csv_gives_the_settings_in_force_at_each_step():
    session = PlaygroundSession(DEFAULTS.with_(lr=0.5, l2=0.0, speed=2))
    session.advance(5)  # frames at steps 0, 2, ..., 8, then 10 steps done
    change = session.trainer.step_count
    session.apply(session.settings.with_(lr=1.25, l2=0.01, optimizer="momentum", batch_size=16))
    session.advance(3)
    rows = list(csv.DictReader(io.StringIO(history_csv(session))))
    before = [r for r in rows if int(r["step"]) < change]
    after = [r for r in rows if int(r["step"]) >= change]
    assert before and after
    assert {(r["lr"], r["l2"], r["optimizer"], r["batch_size"]) for r in before} == {
        ("0.5", "0.0", "gd", "")
    }
    assert {(r["lr"], r["l2"], r["optimizer"], r["batch_size"]) for r in after} == {
        ("1.25", "0.01", "momentum", "16")
    }


def test_notebook_says_when_it_cannot_match_a_run_that_changed_mid_run():
    from playground.notebook import notebook_bytes

    def first_cell(session):
        return "".join(json.loads(notebook_bytes(session))["cells"][0]["source"])

    steady = PlaygroundSession(DEFAULTS)
    steady.advance(4)
    assert "changed" not in first_cell(steady)
    assert "changed 6 times mid-run" in first_cell(gauss_run())
