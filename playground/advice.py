"""What the playground says when training goes wrong, and the fix it offers.

Pure functions of numbers (no Streamlit), so the rules are unit-tested. Plain gradient
descent on an L-smooth loss never increases it while lr < 2/L (L bounds the curvature; see
``softmax_core.gd_stable_learning_rate``). So with full-batch gradient descent a loss that
rises again and again means the step is too big, and the fix is lr below 2/L, or, for real
data whose feature scales differ, standardising (which shrinks L by orders of magnitude).
Mini-batch, momentum and Adam may raise the loss now and then by design: no rule for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

RISES_TO_WARN = 3  # rises of the loss within the window that count as "rising again and again"
WINDOW = 30  # recorded steps looked at
RELATIVE_NOISE = 1e-9  # a rise smaller than this (relative) is rounding, not a rise


@dataclass(frozen=True)
class Oscillation:
    """The loss rose ``rises`` times between steps ``first`` and ``last``."""

    first: int
    last: int
    rises: int


def loss_rises(steps: Sequence[int], losses: Sequence[float | None]) -> Oscillation | None:
    """An ``Oscillation`` when the loss rose at least ``RISES_TO_WARN`` times in the last
    ``WINDOW`` recorded steps, else None. ``losses`` may hold None (not finite)."""
    steps, losses = list(steps)[-WINDOW - 1 :], list(losses)[-WINDOW - 1 :]
    rise_steps = [
        steps[i]
        for i in range(1, len(losses))
        if losses[i] is not None
        and losses[i - 1] is not None
        and losses[i] > losses[i - 1] * (1 + RELATIVE_NOISE) + 1e-12
    ]
    if len(rise_steps) < RISES_TO_WARN:
        return None
    return Oscillation(rise_steps[0], rise_steps[-1], len(rise_steps))


def stable_choice(stable_lr: float, choices: Sequence[float]) -> float:
    """The largest learning rate on the slider below 2/L (the smallest one if none is)."""
    below = [c for c in choices if 0 < c < stable_lr]
    return below[-1] if below else min(c for c in choices if c > 0)


def number(value: float) -> str:
    """A number for a sentence: 3 significant digits, no exponent between 1e-3 and 1e4."""
    a = abs(value)
    if a == 0 or 1e-3 <= a < 1e4:
        return f"{value:.3g}" if a < 1000 else f"{value:.0f}"
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{float(mantissa):g} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def oscillation_text(osc: Oscillation, lr: float, stable_lr: float) -> str:
    ratio = lr / stable_lr
    return (
        f"The loss rose {osc.rises} times between steps {osc.first} and {osc.last}. "
        f"Plain gradient descent only goes reliably downhill while the step is below "
        f"2/L = {number(stable_lr)} (L bounds how sharply the loss curves); lr = {number(lr)} "
        f"is {number(ratio)} times that, so a step can jump across the valley and land higher "
        "up the other side."
    )


def divergence_text(step: int, reason: str, lr: float, l2: float, stable_lr: float) -> str:
    text = f"Training diverged at step {step}: {reason}. "
    if lr * l2 > 2:
        return text + (
            f"lr × L2 = {number(lr)} × {number(l2)} = {number(lr * l2)} is above 2: the L2 "
            f"part of each step multiplies W by 1 − lr·L2 = {number(1 - lr * l2)}, so the "
            "weights flip sign and grow until they overflow. Lower the learning rate or L2."
        )
    return text + (
        f"lr = {number(lr)} is above the stable rate 2/L = {number(stable_lr)}: each step "
        "overshoots further than the last. Lower the learning rate."
    )


def scale_text(stable_lr: float, lr: float) -> str:
    return (
        f"These features are not standardised, so their scales differ and the loss is a "
        f"long, steep valley: gradient descent needs lr below 2/L = {number(stable_lr)} "
        f"(now lr = {number(lr)}). Standardise the features, or use that small rate and "
        "watch how slowly it learns."
    )
