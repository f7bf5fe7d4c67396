"""The baseline: seed note 001's ``SoftmaxRegressionNumPy``, copied verbatim.

THIS IS THE BASELINE that benchmarks/bench_core.py measures softmax_core against: a
textbook (N, K) step that builds a one-hot matrix and allocates every array each step.
Only this docstring, the import and the ruff exemptions below were added; the class body is
the note's text unchanged, trailing whitespace included (W is (K, D) here, unlike
softmax_core's (D, K)).
"""

# ruff: noqa

import numpy as np

# fmt: off

class SoftmaxRegressionNumPy:
    """
    Softmax regression implemented from scratch.
    Demonstrates the gradient derivations in code.
    """
    
    def __init__(self, input_dim: int, num_classes: int):
        """
        Initialize weights with small random values.
        
        Args:
            input_dim: Number of input features D
            num_classes: Number of classes K
        """
        self.W = np.random.randn(num_classes, input_dim) * 0.01
        self.b = np.zeros(num_classes)
        
    def softmax(self, z: np.ndarray) -> np.ndarray:
        """
        Numerically stable softmax.
        
        Args:
            z: Logits of shape (N, K)
        
        Returns:
            Probabilities of shape (N, K)
        """
        # Subtract max for numerical stability
        z_shifted = z - np.max(z, axis=1, keepdims=True)
        exp_z = np.exp(z_shifted)
        return exp_z / np.sum(exp_z, axis=1, keepdims=True)
    
    def forward(self, X: np.ndarray) -> np.ndarray:
        """
        Forward pass: X → logits → probabilities.
        
        Args:
            X: Input features of shape (N, D)
        
        Returns:
            Predicted probabilities of shape (N, K)
        """
        # Logits: z = XW^T + b
        self.z = X @ self.W.T + self.b  # (N, K)
        
        # Probabilities: π = softmax(z)
        self.probs = self.softmax(self.z)  # (N, K)
        
        return self.probs
    
    def compute_loss(self, probs: np.ndarray, y: np.ndarray) -> float:
        """
        Compute cross-entropy loss.
        
        Args:
            probs: Predicted probabilities (N, K)
            y: True class indices (N,)
        
        Returns:
            Average cross-entropy loss
        """
        N = len(y)
        # Select probability of true class for each sample
        correct_log_probs = -np.log(probs[np.arange(N), y] + 1e-10)
        return np.mean(correct_log_probs)
    
    def backward(self, X: np.ndarray, y: np.ndarray) -> tuple:
        """
        Backward pass: compute gradients.
        
        The key insight: ∂L/∂z = π - y (one-hot)
        
        Args:
            X: Input features (N, D)
            y: True class indices (N,)
        
        Returns:
            Tuple of (dW, db) gradients
        """
        N = len(y)
        
        # Convert y to one-hot encoding
        y_onehot = np.zeros_like(self.probs)
        y_onehot[np.arange(N), y] = 1
        
        # Gradient w.r.t. logits: dL/dz = π - y
        dz = self.probs - y_onehot  # (N, K)
        
        # Gradient w.r.t. weights: dL/dW = (1/N) * dz^T @ X
        dW = (1/N) * dz.T @ X  # (K, D)
        
        # Gradient w.r.t. biases: dL/db = (1/N) * sum(dz)
        db = (1/N) * np.sum(dz, axis=0)  # (K,)
        
        return dW, db
    
    def train_step(self, X: np.ndarray, y: np.ndarray, lr: float) -> float:
        """
        Single training step: forward, backward, update.
        
        Args:
            X: Input features (N, D)
            y: True class indices (N,)
            lr: Learning rate
        
        Returns:
            Loss value
        """
        # Forward pass
        probs = self.forward(X)
        loss = self.compute_loss(probs, y)
        
        # Backward pass
        dW, db = self.backward(X, y)
        
        # Update parameters (gradient descent)
        self.W -= lr * dW
        self.b -= lr * db
        
        return loss
    
    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predict class labels."""
        probs = self.forward(X)
        return np.argmax(probs, axis=1)
    
    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        """Compute classification accuracy."""
        predictions = self.predict(X)
        return np.mean(predictions == y)
