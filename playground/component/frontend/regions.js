// The decision regions on the #regions canvas (colour = argmax class, intensity = max
// probability) and the exact boundaries between classes as line segments in data units.
// Touches only the #regions canvas and its own offscreen grid canvas; reads `state`.
//
// Why a canvas and not the chart library that draws the curves: the regions are a G x G
// image re-evaluated from W and b on every displayed frame (up to 60 a second), and the
// boundaries, points and arrows move with them; per-pixel painting at display rate is not a
// chart library's job (a Plotly heatmap or shapes update costs tens of ms per frame here).

import { state, perf, view, viewY, hexToRgb } from "./state.js";
import { currentMap, gridLogits, curvedSegments, cachedSegments } from "./features.js";

const regions = document.getElementById("regions");
const gridCanvas = document.createElement("canvas");
let gridImage = null;

export function drawRegions(frame) {
  const G = state.args.grid, K = frame.b.length;
  if (gridCanvas.width !== G) { gridCanvas.width = G; gridCanvas.height = G; gridImage = null; }
  const gctx = gridCanvas.getContext("2d");
  if (!gridImage) gridImage = gctx.createImageData(G, G);
  const data = gridImage.data;
  const [lo, hi] = view(), [ylo, yhi] = viewY();
  const bg = hexToRgb(state.theme.bg);
  const cols = state.args.colors.map(hexToRgb);
  const W = frame.W, b = frame.b;
  const z = new Float64Array(K);
  const map = currentMap(); // a feature map: z = W^T phi(x) + b, curved regions
  const grid = map ? gridLogits(frame, map, G) : null; // logits at these pixel centres
  const inv = 1 / K;
  // Opacity from a floor (no confidence) to a top (certainty), per scheme: charts/palette.py.
  const [floor, top] = (state.args.region_alpha || {})[state.theme.base === "dark" ? "dark" : "light"] || [0.1, 0.65];
  for (let r = 0; r < G; r++) {
    const y = yhi - ((r + 0.5) / G) * (yhi - ylo);
    for (let c = 0; c < G; c++) {
      const x = lo + ((c + 0.5) / G) * (hi - lo);
      let zmax = -Infinity, arg = 0;
      if (grid) {
        const i = r * G + c;
        arg = grid.cls[i];
        for (let k = 0; k < K; k++) z[k] = grid.Z[i * K + k];
        zmax = z[arg];
      } else {
        for (let k = 0; k < K; k++) {
          const v = W[0][k] * x + W[1][k] * y + b[k];
          z[k] = v;
          if (v > zmax) { zmax = v; arg = k; }
        }
      }
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.exp(z[k] - zmax);
      const conf = 1 / s; // max_k pi_k
      const t = Math.max(0, Math.min(1, (conf - inv) / (1 - inv)));
      const a = floor + (top - floor) * t;
      const col = cols[arg];
      const o = 4 * (r * G + c);
      data[o] = bg[0] + (col[0] - bg[0]) * a;
      data[o + 1] = bg[1] + (col[1] - bg[1]) * a;
      data[o + 2] = bg[2] + (col[2] - bg[2]) * a;
      data[o + 3] = 255;
    }
  }
  gctx.putImageData(gridImage, 0, 0);
  const ctx = regions.getContext("2d");
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(gridCanvas, 0, 0, regions.width, regions.height);
  perf.regionsVersion += 1;
}

// Segment of the boundary between classes i and j: the line z_i = z_j, clipped to the view
// and to where i and j beat every other class. Returns [x0, y0, x1, y1] in data units.
// With a feature map the boundaries are curves: short segments from features.js (the
// optimum's, `fixed`, computed once).
export function boundarySegments(frame, fixed = false) {
  const map = currentMap();
  if (map) {
    const G = state.args.grid; // the regions' pixel centres: one logit pass for both
    return fixed ? cachedSegments(frame, map, G) : curvedSegments(frame, map, G);
  }
  const W = frame.W, b = frame.b, K = b.length;
  const [lo, hi] = view(), [ylo, yhi] = viewY();
  const segs = [];
  for (let i = 0; i < K; i++) {
    for (let j = i + 1; j < K; j++) {
      const nx = W[0][i] - W[0][j], ny = W[1][i] - W[1][j], c = b[i] - b[j];
      const nn = nx * nx + ny * ny;
      if (nn < 1e-18) continue;
      const p0 = [-c * nx / nn, -c * ny / nn];
      const norm = Math.sqrt(nn);
      const d = [-ny / norm, nx / norm];
      let t0 = -1e9, t1 = 1e9;
      const clip = (a, s) => { // keep t with a + s t >= 0
        if (Math.abs(s) < 1e-15) { if (a < 0) { t0 = 1; t1 = 0; } return; }
        const t = -a / s;
        if (s > 0) t0 = Math.max(t0, t); else t1 = Math.min(t1, t);
      };
      clip(p0[0] - lo, d[0]); clip(hi - p0[0], -d[0]);
      clip(p0[1] - ylo, d[1]); clip(yhi - p0[1], -d[1]);
      for (let m = 0; m < K; m++) {
        if (m === i || m === j) continue;
        const ax = W[0][i] - W[0][m], ay = W[1][i] - W[1][m], ac = b[i] - b[m];
        clip(ax * p0[0] + ay * p0[1] + ac, ax * d[0] + ay * d[1]);
      }
      if (t1 > t0) segs.push([p0[0] + t0 * d[0], p0[1] + t0 * d[1], p0[0] + t1 * d[0], p0[1] + t1 * d[1]]);
    }
  }
  return segs;
}
