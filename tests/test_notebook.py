"""The notebook export: valid under nbformat, and its code reaches the app's loss to 1e-9."""

import re
import subprocess
import sys

import nbformat
import pytest

from playground.notebook import build_notebook, code_of, notebook_bytes
from playground.session import PlaygroundSession
from playground.settings import DEFAULTS

CASES = {
    "gd": DEFAULTS,
    "momentum": DEFAULTS.with_(optimizer="momentum", lr=0.2, seed=3),
    "adam_k5": DEFAULTS.with_(optimizer="adam", lr=0.05, n_classes=5, n_per_class=40),
    "sgd": DEFAULTS.with_(optimizer="sgd", batch_size=8, lr=0.2, test_fraction=0.3),
    "iris": DEFAULTS.with_(source="iris", lr=0.5),
    "wine_raw": DEFAULTS.with_(source="wine", standardise=False, lr=0.001, l2=0.0),
    "circle_r2": DEFAULTS.with_(source="circle", n_classes=2, phi=("r2",), optimizer="adam"),
    "spiral_phi": DEFAULTS.with_(source="spiral", phi=("x1x2", "sin1", "sin2"), lr=0.2),
    "gauss_sq": DEFAULTS.with_(phi=("x1sq", "x2sq"), optimizer="momentum", lr=0.1),
}


def run_notebook(data: bytes, tmp_path) -> float:
    nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    nbformat.validate(nb)
    script = tmp_path / "notebook.py"
    script.write_text(code_of(nb))
    out = subprocess.run(
        [sys.executable, "-I", str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=True,
    ).stdout
    return float(re.search(r"final loss (\S+)", out).group(1))


@pytest.mark.parametrize("name", list(CASES))
def test_notebook_reaches_the_apps_loss(name, tmp_path):
    session = PlaygroundSession(CASES[name])
    session.advance(40)
    session.step_once()
    app_loss = session.trainer.evaluate().train_loss
    assert session.trainer.step_count == 41
    loss = run_notebook(notebook_bytes(session, validate=True), tmp_path)
    assert abs(loss - app_loss) <= 1e-9, (loss, app_loss)


def test_a_markdown_cell_per_step_of_the_method():
    nb = build_notebook(PlaygroundSession(DEFAULTS))
    headings = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown"]
    for step in ("Step 1. Modeling", "Step 2. Prediction", "Step 3. Loss", "Step 4. Gradient"):
        assert any(step in h for h in headings), step
    assert nb.cells[-1].cell_type == "code" and "final loss" in nb.cells[-1].source
    assert "softmax_core" not in code_of(nb)  # plain NumPy, nothing of the app


def test_an_untrained_run_gives_the_starting_loss(tmp_path):
    session = PlaygroundSession(DEFAULTS.with_(seed=7))
    loss = run_notebook(notebook_bytes(session, validate=True), tmp_path)
    assert abs(loss - session.trainer.evaluate().train_loss) <= 1e-12
