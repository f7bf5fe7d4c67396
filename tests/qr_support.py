"""Decode a QR code independently of segno: from its SVG (AppTest) or a PNG (browser)."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import zxingcpp
from PIL import Image


def svg_modules(svg: str) -> np.ndarray:
    """The dark modules of a segno SVG as a 0/1 matrix (its path: M/m moves, h runs)."""
    d = re.search(r'<path[^>]*class="qrline"[^>]*d="([^"]+)"', svg) or re.search(
        r'<path[^>]*stroke="[^"]+"[^>]*d="([^"]+)"', svg
    )
    size = re.search(r'<path fill="[^"]+" d="M0 0h(\d+)v(\d+)', svg)
    n = int(size.group(1))
    grid = np.zeros((n, n), dtype=np.uint8)
    x = y = 0.0
    for cmd, args in re.findall(r"([MmHh])([^MmHh]*)", d.group(1)):
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if cmd == "M":
            x, y = nums
        elif cmd == "m":
            x, y = x + nums[0], y + nums[1]
        else:
            run = nums[0]
            grid[int(y), int(x) : int(x + run)] = 1
            x += run
    return grid


def decode_modules(grid: np.ndarray, scale: int = 8) -> str:
    image = np.kron(1 - grid, np.ones((scale, scale), dtype=np.uint8)) * 255
    return decode_image(image)


def decode_image(image: np.ndarray) -> str:
    result = zxingcpp.read_barcode(image)
    if result is None:
        raise AssertionError("no QR code found in the image")
    return result.text


def decode_svg_data_uri(url: str) -> str:
    assert url.startswith("data:image/svg+xml;base64,"), url[:40]
    svg = base64.b64decode(url.split(",", 1)[1]).decode("utf-8")
    return decode_modules(svg_modules(svg))


def decode_png(png: bytes) -> str:
    gray = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return decode_image(gray)
