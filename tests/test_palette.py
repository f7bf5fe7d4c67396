"""The class palette: one definition, six hues that stay apart (CIEDE2000) for normal and
colour-blind vision, as points and as the view's region tints on light and dark; and the data
points stand out from every region tint by WCAG's 3:1 for graphics (1.4.11)."""

import re
from pathlib import Path

import numpy as np
import pytest

from charts.colour_check import (
    VISIONS,
    ciede2000,
    contrast_ratio,
    hex_to_rgb,
    min_pairwise_distance,
    srgb_to_lab,
    tint,
)
from charts.palette import (
    BACKGROUNDS,
    CLASS_COLOURS,
    POINT_OUTLINE,
    REGION_FLOOR,
    REGION_OPACITY,
)
from playground.payload import CLASS_COLORS, build_payload
from playground.session import PlaygroundSession
from playground.settings import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
# Thresholds (CIEDE2000; about 1 is a just-noticeable difference). Solid points: 20 for normal
# vision, 12 under simulated protanopia and deuteranopia (8% of men), 8 under tritanopia
# (rare). Region tints: 12 for normal vision on the light and on the dark background.
SOLID = {"normal": 20.0, "protanopia": 12.0, "deuteranopia": 12.0, "tritanopia": 8.0}
TINT = 12.0
# Sharma, Wu and Dalal (2005), pairs 1, 2, 4, 7, 9, 17, 25, 27, 34.
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
    ((50.0, -1.3802, -84.2814), (50.0, 0.0, -82.7485), 1.0000),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0009), 7.1792),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.694), (23.0331, 14.973, -42.5619), 2.0373),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
]


def test_ciede2000_matches_the_published_reference_pairs():
    lab1 = np.array([a for a, _, _ in SHARMA])
    lab2 = np.array([b for _, b, _ in SHARMA])
    want = np.array([d for _, _, d in SHARMA])
    assert np.abs(ciede2000(lab1, lab2) - want).max() < 1e-4
    assert np.abs(ciede2000(lab2, lab1) - want).max() < 1e-4


def test_srgb_to_lab_of_red_and_white():
    assert np.allclose(srgb_to_lab(hex_to_rgb("#FF0000")), [53.24, 80.09, 67.20], atol=0.02)
    assert np.allclose(srgb_to_lab(hex_to_rgb("#FFFFFF")), [100, 0, 0], atol=0.01)


@pytest.mark.parametrize("vision", VISIONS)
def test_class_colours_stay_apart_as_points(vision):
    assert len(set(CLASS_COLOURS)) == 6
    assert min_pairwise_distance(CLASS_COLOURS, vision) >= SOLID[vision]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_region_tints_stay_apart_on_light_and_dark(theme):
    rgb = np.array([hex_to_rgb(c) for c in CLASS_COLOURS])
    tints = tint(rgb, hex_to_rgb(BACKGROUNDS[theme]), REGION_OPACITY[theme])
    assert min_pairwise_distance(tints, "normal") >= TINT


def test_every_class_colour_stands_out_on_light_and_dark():
    lab = srgb_to_lab(np.array([hex_to_rgb(c) for c in CLASS_COLOURS]))
    for background in BACKGROUNDS.values():
        assert ciede2000(lab, srgb_to_lab(hex_to_rgb(background))).min() >= 20


def test_the_palette_is_defined_once_and_the_view_gets_it_in_its_payload():
    assert tuple(CLASS_COLORS) == CLASS_COLOURS
    payload = build_payload(
        PlaygroundSession(DEFAULTS.with_(n_classes=6)),
        [],
        playing=False,
        include_points=False,
        include_history=False,
        ack=None,
    )
    assert payload["colors"] == list(CLASS_COLOURS)
    for path in (ROOT / "playground" / "component" / "frontend").iterdir():
        text = path.read_text()
        for colour in (*CLASS_COLOURS, "#0072B2", "#E69F00", "#56B4E9", "#D55E00"):
            assert colour.lower() not in text.lower(), (path.name, colour)
    hexes = set(re.findall(r"#[0-9A-Fa-f]{6}\b", (ROOT / "charts" / "theory.py").read_text()))
    assert not hexes, f"charts/theory.py defines its own colours: {hexes}"


def region_tints(scheme: str, steps: int = 51) -> np.ndarray:
    """Every tint the view paints in ``scheme``: each class colour over the background at
    opacities REGION_FLOOR..REGION_OPACITY (``steps`` of them), shape (K, steps, 3)."""
    rgb = np.array([hex_to_rgb(c) for c in CLASS_COLOURS])
    alphas = np.linspace(REGION_FLOOR, REGION_OPACITY[scheme], steps)
    bg = hex_to_rgb(BACKGROUNDS[scheme])
    return tint(rgb[:, None, :], bg, alphas[None, :, None])


def test_contrast_ratio_matches_wcag_and_axe():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.005)
    # what axe-core reported in issue 22: 3.71 (light legend text), 3.52 (dark slider value)
    # (axe prints two decimals, cut)
    assert 3.71 <= contrast_ratio("#808495", "#FFFFFF") < 3.72
    assert 3.52 <= contrast_ratio("#cf4250", "#21201d") < 3.53


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_point_stands_out_from_every_region_tint(scheme):
    """WCAG 2.1 1.4.11 (non-text contrast): a data point of any class, on the region of any
    class (its own and the others'), at any confidence, has an edge of 3:1 or more against the
    tint around it. The edge is POINT_OUTLINE: the class colours cannot carry it themselves
    (the fills against the tints go down to 1.00:1, their own tint at full confidence), and no
    tint opacity can fix that while keeping the regions visible: yellow #CCBB44 and cyan
    #66CCEE are 1.95:1 and 1.84:1 even on white."""
    tints = region_tints(scheme)
    edge = contrast_ratio(POINT_OUTLINE[scheme], tints)  # (K regions, steps)
    worst = {CLASS_COLOURS[r]: round(float(edge[r].min()), 2) for r in range(len(tints))}
    assert edge.min() >= 3.0, f"{scheme}: the point edge against each class's tints: {worst}"
    # and the fills: point class k on region class r, the worst opacity (documented above)
    fills = np.array([hex_to_rgb(c) for c in CLASS_COLOURS])
    fill = contrast_ratio(fills[:, None, None, :], tints[None, :, :, :]).min(axis=2)
    assert fill.min() < 1.5  # why the edge is needed: were this >= 3, the edge could go


def test_the_view_gets_the_point_edge_and_the_region_opacities_in_its_payload():
    payload = build_payload(
        PlaygroundSession(DEFAULTS.with_(n_classes=6)),
        [],
        playing=False,
        include_points=False,
        include_history=False,
        ack=None,
    )
    assert payload["point_outline"] == POINT_OUTLINE
    assert payload["region_alpha"] == {
        s: [REGION_FLOOR, REGION_OPACITY[s]] for s in ("light", "dark")
    }
    text = (ROOT / "playground" / "component" / "frontend" / "regions.js").read_text()
    assert "0.55" not in text and "0.62" not in text  # no opacities of its own
