"""The one notation of the app: every page, the glossary on About and the playground's inspector.

Chosen once (docs/notation.md says why): W is K x D, its row k is w_k^T and W_kj is the weight
of class k on feature j, so z = W x + b for one sample and Z = X W^T + 1 b^T for a batch. i
counts samples, k (and l) classes, j features, all from 1. pi = softmax(z) is the one symbol
for predicted probabilities, J is only the cost, L is one sample's loss. The NumPy core
stores the transpose (D, K) because X @ W is its batch product; pages show W as K x D.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Symbol:
    latex: str
    text: str  # plain text, for captions and tables
    meaning: str
    notes_write: str = ""  # how the four notes write the same thing


GLOSSARY: tuple[Symbol, ...] = (
    Symbol(r"N,\ i", "N, i", "number of samples; sample index i = 1, …, N", "the slides: m"),
    Symbol(r"D,\ j", "D, j", "number of features; feature index j = 1, …, D", "d2l: d"),
    Symbol(r"K,\ k,\ l", "K, k, l", "number of classes; class indices k, l = 1, …, K", "d2l: q"),
    Symbol(
        r"\mathbf x^{(i)} \in \mathbb R^{D}",
        "x⁽ⁱ⁾",
        "the features of sample i (a column vector); X is N × D, one sample per row",
    ),
    Symbol(
        r"c^{(i)} \in \{1,\dots,K\}",
        "c⁽ⁱ⁾",
        "the true class of sample i, an integer",
        "the notes also call it y",
    ),
    Symbol(
        r"\mathbf y^{(i)} \in \{0, 1\}^{K}",
        "y⁽ⁱ⁾",
        "its one-hot vector (or any probability vector: a soft label); Y is N × K",
    ),
    Symbol(
        r"W \in \mathbb R^{K\times D}",
        "W",
        "weights; row k is w_kᵀ, W_kj is the weight of class k on feature j",
        "the notebook and d2l's batch form use the transpose",
    ),
    Symbol(r"\mathbf b \in \mathbb R^{K}", "b", "biases, one per class"),
    Symbol(
        r"\mathbf z = W\mathbf x + \mathbf b",
        "z",
        "logits (scores), z_k = w_kᵀx + b_k; Z = X Wᵀ + 1bᵀ is N × K",
        "d2l: o",
    ),
    Symbol(
        r"\boldsymbol\pi = \operatorname{softmax}(\mathbf z)",
        "π",
        "predicted probabilities, π_k = P(class k | x); P is N × K",
        "the notebook and d2l: ŷ; the derivation notes: π̂; the slides: a",
    ),
    Symbol(r"\hat y = \arg\max_k \pi_k", "ŷ", "the predicted class"),
    Symbol(
        r"L = -\sum_k y_k \log \pi_k",
        "L",
        "one sample's loss (cross-entropy, in nats)",
        "d2l: l; the derivation notes: 𝓛",
    ),
    Symbol(
        r"J(W, \mathbf b) = \frac1N\sum_i L^{(i)} + \frac\lambda2\|W\|_F^2",
        "J",
        "the cost: mean loss plus the L2 term; its gradient in W gains λW",
        "CS231n writes λ‖W‖², whose gradient is 2λW: the same model with λ halved",
    ),
    Symbol(
        r"\frac{\partial\boldsymbol\pi}{\partial\mathbf z} = \operatorname{diag}(\boldsymbol\pi)"
        r" - \boldsymbol\pi\boldsymbol\pi^{\top}",
        "∂π/∂z",
        "the softmax Jacobian (K × K), entries π_k(δ_kl − π_l)",
        "the notebook calls it J",
    ),
    Symbol(
        r"\alpha,\ \lambda", "α, λ", "learning rate and L2 strength (lr and l2 in the controls)"
    ),
    Symbol(r"T", "T", "temperature: softmax(z / T)"),
)


def class_name(k: int) -> str:
    """'class 1' for k = 0: classes are counted from 1 on every page."""
    return f"class {k + 1}"


def weight_name(k: int, j: int) -> str:
    """Plain-text name of W_kj for 0-based k, j: 'W₁₂' means class 1, feature 2."""
    return f"W{_sub(k + 1)}{_sub(j + 1)}"


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def glossary_rows() -> list[dict[str, str]]:
    """The glossary as table rows (symbol in plain text, meaning, how the notes write it)."""
    return [{"symbol": s.text, "meaning": s.meaning, "the notes": s.notes_write} for s in GLOSSARY]


# LaTeX for the symbols used in filled-in formulas (the playground's inspector uses these).
TEX_PROBS = r"\boldsymbol\pi"
TEX_LOGITS = r"\mathbf z"
TEX_X = r"\mathbf x"
TEX_Y = r"\mathbf y"
TEX_WEIGHTS = "W"
TEX_BIAS = r"\mathbf b"
TEX_LOSS = "L"
