"""How far apart two colours look: CIEDE2000 in CIELAB, for normal and colour-blind vision;
and WCAG 2.x contrast ratios.

Used to check the class palette (``charts.palette``): every pair of class colours must stay
clearly apart for normal vision and under simulated protanopia, deuteranopia and tritanopia,
as solid points and as the pale region tints the playground paints on a light and a dark
background. NumPy only, so the browser tests and the unit tests share it.

References: sRGB (IEC 61966-2-1) and CIELAB with the D65 white; CIEDE2000 as written out by
Sharma, Wu and Dalal (2005), whose test pairs the unit tests check; colour-vision deficiency
simulated with the matrices of Machado, Oliveira and Fernandes (2009), severity 1, applied to
linear sRGB (the same matrices Chromium's and Firefox's developer tools use); relative luminance
and contrast ratio as WCAG 2.1 defines them (what axe-core and Lighthouse compute).
"""

from __future__ import annotations

import numpy as np

# Machado et al. (2009), severity 1.0, on linear sRGB.
CVD_MATRICES: dict[str, tuple[tuple[float, ...], ...]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
VISIONS = ("normal", *CVD_MATRICES)
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_WHITE_D65 = np.array([0.95047, 1.0, 1.08883])


def hex_to_rgb(colour: str) -> np.ndarray:
    """'#RRGGBB' (or 'RRGGBB') as sRGB in [0, 1], shape (3,)."""
    h = colour.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"colour {colour!r} is not #RRGGBB")
    return np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)], dtype=float) / 255.0


def _to_linear(rgb: np.ndarray) -> np.ndarray:
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _to_gamma(lin: np.ndarray) -> np.ndarray:
    lin = np.clip(lin, 0.0, 1.0)
    return np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * lin ** (1 / 2.4) - 0.055)


def simulate(rgb: np.ndarray, vision: str) -> np.ndarray:
    """sRGB colours (..., 3) in [0, 1] as seen with ``vision`` (one of ``VISIONS``)."""
    if vision == "normal":
        return np.asarray(rgb, dtype=float)
    if vision not in CVD_MATRICES:
        raise ValueError(f"vision {vision!r} is not one of {', '.join(VISIONS)}")
    return _to_gamma(_to_linear(rgb) @ np.array(CVD_MATRICES[vision]).T)


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (..., 3) in [0, 1] to CIELAB (..., 3), D65 white."""
    xyz = _to_linear(rgb) @ _RGB_TO_XYZ.T / _WHITE_D65
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > eps, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    L = 116 * f[..., 1] - 16
    a = 500 * (f[..., 0] - f[..., 1])
    b = 200 * (f[..., 1] - f[..., 2])
    return np.stack([L, a, b], axis=-1)


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """CIEDE2000 colour difference of CIELAB colours (..., 3); kL = kC = kH = 1.

    About 1 is a just-noticeable difference; two colours that name different classes on a
    chart want 20 or more.
    """
    L1, a1, b1 = np.moveaxis(np.asarray(lab1, dtype=float), -1, 0)
    L2, a2, b2 = np.moveaxis(np.asarray(lab2, dtype=float), -1, 0)
    C_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    G = 0.5 * (1 - np.sqrt(C_bar**7 / (C_bar**7 + 25.0**7)))
    a1p, a2p = (1 + G) * a1, (1 + G) * a2
    C1p, C2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dLp = L2 - L1
    dCp = C2p - C1p
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(C1p * C2p == 0, 0.0, dh)
    dHp = 2 * np.sqrt(C1p * C2p) * np.sin(np.radians(dh) / 2)
    L_bar = (L1 + L2) / 2
    Cp_bar = (C1p + C2p) / 2
    h_sum = h1p + h2p
    h_bar = np.where(
        np.abs(h1p - h2p) <= 180,
        h_sum / 2,
        np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2),
    )
    h_bar = np.where(C1p * C2p == 0, h_sum, h_bar)
    T = (
        1
        - 0.17 * np.cos(np.radians(h_bar - 30))
        + 0.24 * np.cos(np.radians(2 * h_bar))
        + 0.32 * np.cos(np.radians(3 * h_bar + 6))
        - 0.20 * np.cos(np.radians(4 * h_bar - 63))
    )
    d_theta = 30 * np.exp(-(((h_bar - 275) / 25) ** 2))
    R_C = 2 * np.sqrt(Cp_bar**7 / (Cp_bar**7 + 25.0**7))
    S_L = 1 + 0.015 * (L_bar - 50) ** 2 / np.sqrt(20 + (L_bar - 50) ** 2)
    S_C = 1 + 0.045 * Cp_bar
    S_H = 1 + 0.015 * Cp_bar * T
    R_T = -np.sin(np.radians(2 * d_theta)) * R_C
    return np.sqrt(
        (dLp / S_L) ** 2 + (dCp / S_C) ** 2 + (dHp / S_H) ** 2 + R_T * (dCp / S_C) * (dHp / S_H)
    )


def tint(colour: np.ndarray, background: np.ndarray, alpha: float) -> np.ndarray:
    """``colour`` laid over ``background`` with opacity ``alpha``, as the view paints regions."""
    return np.asarray(background) + (np.asarray(colour) - np.asarray(background)) * alpha


def pairwise_distances(colours: list[str] | np.ndarray, vision: str = "normal") -> np.ndarray:
    """CIEDE2000 between every pair of ``colours`` (hex strings or sRGB rows), (K, K)."""
    rgb = np.array([hex_to_rgb(c) if isinstance(c, str) else c for c in colours], dtype=float)
    lab = srgb_to_lab(simulate(rgb, vision))
    return ciede2000(lab[:, None, :], lab[None, :, :])


def min_pairwise_distance(colours, vision: str = "normal") -> float:
    """The smallest CIEDE2000 between two different colours of ``colours``."""
    d = pairwise_distances(colours, vision)
    return float(d[~np.eye(len(d), dtype=bool)].min())


def relative_luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG 2.1 relative luminance of sRGB colours (..., 3) in [0, 1]:
    L = 0.2126 R + 0.7152 G + 0.0722 B on linear sRGB, in [0, 1]."""
    return _to_linear(rgb) @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(c1, c2) -> np.ndarray:
    """WCAG 2.1 contrast ratio (L_lighter + 0.05) / (L_darker + 0.05), in [1, 21], of two
    colours (hex strings or sRGB arrays (..., 3) in [0, 1]; arrays broadcast).
    AA wants 4.5 for body text, 3 for large text and for graphics (1.4.11)."""
    rgb1 = hex_to_rgb(c1) if isinstance(c1, str) else np.asarray(c1, dtype=float)
    rgb2 = hex_to_rgb(c2) if isinstance(c2, str) else np.asarray(c2, dtype=float)
    l1, l2 = relative_luminance(rgb1), relative_luminance(rgb2)
    return (np.maximum(l1, l2) + 0.05) / (np.minimum(l1, l2) + 0.05)
