"""The theory pages' own controls, used in Chromium as a student would: a button, sliders
moved by keyboard, a number typed, a radio clicked; each checks the numbers the page then
shows against NumPy (the sliders' and metrics' logic is also under AppTest)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.browser_support import chromium_path

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
]

TIMEOUT_MS = 45_000


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    pg.errors = errors
    yield pg
    context.close()


def metric(page, label: str):
    """The value locator of the st.metric whose label is ``label``."""
    box = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=label)
    )
    return box.first.locator("[data-testid='stMetricValue']")


def value(page, label: str) -> float:
    return float(metric(page, label).inner_text().replace("−", "-").rstrip("%"))


def slide(page, key: str, key_name: str) -> None:
    """Focus the slider ``key`` and press ``key_name`` (Home, End, arrows); the slider sends
    its value when it loses focus."""
    page.locator(f".st-key-{key} input[type='range']").first.focus()
    page.keyboard.press(key_name)
    page.keyboard.press("Tab")


def open_page(page, server_url: str, path: str) -> None:
    page.goto(f"{server_url}/{path}")
    page.locator("[data-testid='stMetric']").first.wait_for()


def test_softmax_worked_example_and_temperature(page, server_url):
    open_page(page, server_url, "softmax")
    page.get_by_role("button", name=re.compile("Load the slides' worked example")).click()
    z = np.array([3.0, 4.0, 6.0])
    pi = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    for k in range(3):
        expect(metric(page, f"π{k + 1}")).to_have_text(f"{pi[k]:.4f}", timeout=TIMEOUT_MS)
    slide(page, "softmax_temperature", "Home")  # T = 0.05: nearly one-hot
    expect(metric(page, "π3")).to_have_text("1.0000", timeout=TIMEOUT_MS)
    expect(page.get_by_text(re.compile("argmax of the probabilities: class 3"))).to_be_visible(
        timeout=TIMEOUT_MS
    )
    assert not page.errors


def test_cross_entropy_slider_and_margin(page, server_url):
    open_page(page, server_url, "cross_entropy")
    slide(page, "ce_true_prob", "End")  # pi_c = 1: a sure, correct prediction costs 0
    expect(metric(page, "loss −ln π_c (nats)")).to_have_text("0.0000", timeout=TIMEOUT_MS)
    slide(page, "ce_true_prob", "Home")  # pi_c = 0.001
    expect(metric(page, "loss −ln π_c (nats)")).to_have_text(
        f"{-np.log(0.001):.4f}", timeout=TIMEOUT_MS
    )
    expect(metric(page, "loss −log₂ π_c (bits)")).to_have_text(
        f"{-np.log2(0.001):.4f}", timeout=TIMEOUT_MS
    )
    margin = page.locator(".st-key-ce_margin input")
    margin.fill("1000")
    margin.press("Enter")
    # z = [0, 1000], true class 0: exact loss log(1 + e^1000) = 1000; clipped at 1e-15
    expect(metric(page, "exact loss (nats)")).to_have_text("1000.0000", timeout=TIMEOUT_MS)
    expect(metric(page, "loss the notebook reports (nats)")).to_have_text(
        f"{-np.log(1e-15):.4f}", timeout=TIMEOUT_MS
    )
    assert not page.errors


def test_gradient_page_train_and_reset(page, server_url):
    open_page(page, server_url, "gradient")
    label = "cost J (mean loss + L2 term)"
    start = value(page, label)
    page.get_by_role("button", name="Train (gradient descent)").click()
    expect(metric(page, label)).not_to_have_text(f"{start:.4f}", timeout=TIMEOUT_MS)
    assert value(page, label) < start  # gradient descent lowered the cost
    page.get_by_role("button", name="Reset weights").click()
    expect(metric(page, label)).to_have_text(f"{start:.4f}", timeout=TIMEOUT_MS)
    assert not page.errors


def test_logistic_page_true_label_radio(page, server_url):
    open_page(page, server_url, "logistic")
    bce_label = "binary cross-entropy"
    with_one = value(page, bce_label)
    page.locator(".st-key-logit_y").get_by_text("0", exact=True).click()
    expect(metric(page, bce_label)).not_to_have_text(f"{with_one:.6f}", timeout=TIMEOUT_MS)
    with_zero = value(page, bce_label)
    # BCE(z, 1) - BCE(z, 0) = log(1 - pi) - log(pi) = -z: the two losses differ
    assert with_zero != with_one
    assert value(page, "2-class cross-entropy, logits [z, 0]") == pytest.approx(with_zero, 1e-6)
    assert not page.errors
