"""softmax_core: softmax (multinomial logistic) regression in NumPy, exact and fast.

No Streamlit, no Plotly: usable from a notebook. Shapes follow the seed notes with samples as
rows: X (N, D), W (D, K), b (K,), logits = X @ W + b (N, K), labels y (N,) in [0, K) or
probability targets (N, K). Loss = mean cross-entropy + (l2 / 2) ||W||^2 (bias unpenalised).
"""

from .data import (
    class_offsets,
    default_centres,
    make_gaussian_classes,
    make_linear_softmax_data,
    split_mask,
)
from .engine import Workspace
from .functions import (
    cross_entropy,
    distribution_cross_entropy,
    entropy,
    kl_divergence,
    log_softmax,
    logsumexp,
    sigmoid,
    softmax,
    softmax_jacobian,
    softmax_naive,
    surprisal,
)
from .grid import evaluate_grid, grid_axes
from .history import History
from .metrics import accuracy, confusion_matrix
from .model import (
    input_gradients,
    logits,
    loss_and_gradients,
    predict,
    predict_proba,
    residuals,
)
from .optimizers import OPTIMIZER_NAMES, Adam, GradientDescent, MiniBatches, Momentum
from .optimum import NoOptimumError, ToleranceWarning, gd_stable_learning_rate, solve_optimum
from .trainer import DivergenceError, FrameState, Metrics, Trainer

__all__ = [
    "OPTIMIZER_NAMES",
    "Adam",
    "DivergenceError",
    "FrameState",
    "GradientDescent",
    "History",
    "Metrics",
    "MiniBatches",
    "Momentum",
    "NoOptimumError",
    "ToleranceWarning",
    "Trainer",
    "Workspace",
    "accuracy",
    "class_offsets",
    "confusion_matrix",
    "cross_entropy",
    "default_centres",
    "distribution_cross_entropy",
    "entropy",
    "evaluate_grid",
    "gd_stable_learning_rate",
    "grid_axes",
    "input_gradients",
    "kl_divergence",
    "log_softmax",
    "logits",
    "logsumexp",
    "loss_and_gradients",
    "make_gaussian_classes",
    "make_linear_softmax_data",
    "predict",
    "predict_proba",
    "residuals",
    "sigmoid",
    "softmax",
    "softmax_jacobian",
    "softmax_naive",
    "solve_optimum",
    "split_mask",
    "surprisal",
]
