// The feature map phi of 2-D data, evaluated in the browser (softmax_core/feature_maps.py is
// the reference; the server sends its tokens, means and deviations as args.phi):
//   phi(x) = (x1, x2, (f_j(x) - mean_j) / scale_j for each token j),  D = 2 + m,
// so the model z = W^T phi(x) + b (W: D x K) draws curved regions in the plane. All maps are
// closed-form, so regions, boundaries and arrows stay exact per pixel / per point.
// Also: the curved boundaries (marching squares on the argmax of z, with each crossing put
// where z_i = z_j by linear interpolation along the cell edge) and the per-sample arrows
// -J_phi(x)^T W (pi - y). Touches no DOM.

import { state, view, viewY } from "./state.js";

// token -> [f(a, b), gradient [df/da, df/db]]; the same formulas as FEATURES in Python
const MAPS = {
  x1sq: [(a, b) => a * a, (a, b) => [2 * a, 0]],
  x2sq: [(a, b) => b * b, (a, b) => [0, 2 * b]],
  x1x2: [(a, b) => a * b, (a, b) => [b, a]],
  r2: [(a, b) => a * a + b * b, (a, b) => [2 * a, 2 * b]],
  sin1: [(a, b) => Math.sin(a), (a, b) => [Math.cos(a), 0]],
  sin2: [(a, b) => Math.sin(b), (a, b) => [0, Math.cos(b)]],
};

// The map of args.phi, or null for the plain model (phi(x) = x).
export function currentMap() {
  const spec = state.args && state.args.phi;
  if (!spec || !spec.tokens || !spec.tokens.length) return null;
  if (spec === cached.spec) return cached.map;
  const fs = spec.tokens.map((t) => MAPS[t][0]), gs = spec.tokens.map((t) => MAPS[t][1]);
  const mean = spec.mean, scale = spec.scale, m = fs.length;
  const map = {
    D: 2 + m,
    // out (length D) <- phi(a, b)
    fill(a, b, out) {
      out[0] = a; out[1] = b;
      for (let j = 0; j < m; j++) out[2 + j] = (fs[j](a, b) - mean[j]) / scale[j];
      return out;
    },
    // out (length 2 D, row-major D x 2) <- J_phi(a, b)
    jacobian(a, b, out) {
      out[0] = 1; out[1] = 0; out[2] = 0; out[3] = 1;
      for (let j = 0; j < m; j++) {
        const g = gs[j](a, b);
        out[4 + 2 * j] = g[0] / scale[j]; out[5 + 2 * j] = g[1] / scale[j];
      }
      return out;
    },
  };
  cached.spec = spec; cached.map = map;
  return map;
}
const cached = { spec: null, map: null };

// z (length K) <- W^T f + b for features f (length D); returns the argmax.
export function logits(W, b, f, D, z) {
  const K = b.length;
  let zmax = -Infinity, arg = 0;
  for (let k = 0; k < K; k++) {
    let v = b[k];
    for (let d = 0; d < D; d++) v += W[d][k] * f[d];
    z[k] = v;
    if (v > zmax) { zmax = v; arg = k; }
  }
  return arg;
}

// phi at the G x G pixel centres of the view (row r from the top, column c from the left),
// computed once per (map, view, G): (G * G) x D, row-major.
const featureGrid = { key: null, F: null };
function gridFeatures(map, G) {
  const [lo, hi] = view(), [ylo, yhi] = viewY();
  const key = [map, lo, hi, ylo, yhi, G].join("|") + "|" + JSON.stringify(state.args.phi);
  if (featureGrid.key === key) return featureGrid.F;
  const D = map.D, F = new Float64Array(G * G * D), f = new Float64Array(D);
  for (let r = 0; r < G; r++) {
    const y = yhi - ((r + 0.5) / G) * (yhi - ylo);
    for (let c = 0; c < G; c++) {
      const x = lo + ((c + 0.5) / G) * (hi - lo);
      F.set(map.fill(x, y, f), (r * G + c) * D);
    }
  }
  featureGrid.key = key; featureGrid.F = F;
  return F;
}

// The logits Z ((G * G) x K) and argmax classes of the model {W, b} at the pixel centres,
// kept for the last model asked (the regions and the boundaries of a frame share them).
const logitGrid = { params: null, key: null, Z: null, cls: null };
export function gridLogits(params, map, G) {
  const F = gridFeatures(map, G);
  if (logitGrid.params === params && logitGrid.key === featureGrid.key) return logitGrid;
  const W = params.W, b = params.b, K = b.length, D = map.D, n = G * G;
  if (!logitGrid.Z || logitGrid.Z.length !== n * K) {
    logitGrid.Z = new Float64Array(n * K); logitGrid.cls = new Int32Array(n);
  }
  const Z = logitGrid.Z, cls = logitGrid.cls;
  const Wf = new Float64Array(D * K); // W flattened, row-major
  for (let d = 0; d < D; d++) for (let k = 0; k < K; k++) Wf[d * K + k] = W[d][k];
  for (let i = 0; i < n; i++) {
    const o = i * D, zo = i * K;
    let zmax = -Infinity, arg = 0;
    for (let k = 0; k < K; k++) {
      let v = b[k];
      for (let d = 0; d < D; d++) v += Wf[d * K + k] * F[o + d];
      Z[zo + k] = v;
      if (v > zmax) { zmax = v; arg = k; }
    }
    cls[i] = arg;
  }
  logitGrid.params = params; logitGrid.key = featureGrid.key;
  return logitGrid;
}

// Boundaries of the model {W, b} through phi: segments [x0, y0, x1, y1] in data units, from
// marching squares on the G x G pixel centres (cells between four neighbouring centres).
export function curvedSegments(params, map, G) {
  const K = params.b.length;
  const { Z, cls } = gridLogits(params, map, G);
  const [lo, hi] = view(), [ylo, yhi] = viewY();
  const point = (p0, q0) => { // where z_a = z_b on the edge p-q (a = class at p, b at q)
    // the lower index first: a neighbouring cell gets the very same point for a shared edge
    const p = Math.min(p0, q0), q = Math.max(p0, q0);
    const a = cls[p], bb = cls[q];
    const dp = Z[p * K + a] - Z[p * K + bb], dq = Z[q * K + a] - Z[q * K + bb];
    const t = dp - dq > 1e-300 ? Math.min(1, Math.max(0, dp / (dp - dq))) : 0.5;
    const pr = Math.floor(p / G), pc = p % G, qr = Math.floor(q / G), qc = q % G;
    const x = lo + ((pc + t * (qc - pc) + 0.5) / G) * (hi - lo);
    const y = yhi - ((pr + t * (qr - pr) + 0.5) / G) * (yhi - ylo);
    return [x, y];
  };
  const segs = [];
  for (let r = 0; r < G - 1; r++) {
    for (let c = 0; c < G - 1; c++) {
      const v00 = r * G + c, v01 = v00 + 1, v11 = v00 + G + 1, v10 = v00 + G;
      const c0 = cls[v00];
      if (c0 === cls[v01] && c0 === cls[v11] && c0 === cls[v10]) continue;
      const pts = [];
      for (const [p, q] of [[v00, v01], [v01, v11], [v11, v10], [v10, v00]]) {
        if (cls[p] !== cls[q]) pts.push(point(p, q));
      }
      if (pts.length === 2) {
        segs.push([pts[0][0], pts[0][1], pts[1][0], pts[1][1]]);
      } else if (pts.length > 2) { // three or four classes meet in this cell
        let mx = 0, my = 0;
        for (const p of pts) { mx += p[0] / pts.length; my += p[1] / pts.length; }
        for (const p of pts) segs.push([p[0], p[1], mx, my]);
      }
    }
  }
  return segs;
}

// The optimum is fixed while its data is: its curves are computed once per (optimum, view).
const optimumCache = { key: null, segs: null };
export function cachedSegments(params, map, G) {
  const key = [params, state.args.phi, view().join(), viewY().join(), G];
  const old = optimumCache.key;
  if (old && key.every((v, i) => v === old[i])) return optimumCache.segs;
  optimumCache.key = key;
  optimumCache.segs = curvedSegments(params, map, G);
  return optimumCache.segs;
}

// Largest singular value of W (D x K), by power iteration on W W^T (D <= 8).
export function sigmaMaxD(W, D, K) {
  const v = new Float64Array(D).fill(1 / Math.sqrt(D));
  const u = new Float64Array(K), w = new Float64Array(D);
  let sigma2 = 0;
  for (let it = 0; it < 50; it++) {
    u.fill(0); w.fill(0);
    for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) u[k] += W[d][k] * v[d];
    for (let d = 0; d < D; d++) for (let k = 0; k < K; k++) w[d] += W[d][k] * u[k];
    let norm = 0;
    for (let d = 0; d < D; d++) norm += w[d] * w[d];
    norm = Math.sqrt(norm);
    if (norm <= 1e-300) return 0;
    sigma2 = norm; // ||W W^T v|| -> sigma^2 as v converges
    for (let d = 0; d < D; d++) v[d] = w[d] / norm;
  }
  return Math.sqrt(sigma2);
}

// max over the training points of ||J_phi(x_i)||_F, cached per data version: with it the
// arrows are bounded by sqrt(2) ||W||_2 max ||J||, since ||pi - y|| <= sqrt(2).
const jCache = { key: null, value: 1 };
export function maxJacobianNorm(map) {
  const key = state.dataVersion + "|" + JSON.stringify(state.args.phi);
  if (jCache.key === key) return jCache.value;
  const J = new Float64Array(2 * map.D);
  let best = 1;
  for (let i = 0; i < state.n; i++) {
    if (state.isTest[i]) continue;
    map.jacobian(state.X[2 * i], state.X[2 * i + 1], J);
    let s = 0;
    for (let q = 0; q < J.length; q++) s += J[q] * J[q];
    best = Math.max(best, Math.sqrt(s));
  }
  jCache.key = key; jCache.value = best;
  return best;
}

// The arrow -J_phi(x)^T W (pi - y) of a point (a, b) of class lab, into out [gx, gy].
export function inputArrow(map, W, b, a, bcoord, lab, f, z, J, out) {
  const D = map.D, K = b.length;
  map.fill(a, bcoord, f);
  const arg = logits(W, b, f, D, z);
  const zmax = z[arg];
  let s = 0;
  for (let k = 0; k < K; k++) { z[k] = Math.exp(z[k] - zmax); s += z[k]; }
  map.jacobian(a, bcoord, J);
  let gx = 0, gy = 0;
  for (let d = 0; d < D; d++) {
    let step = 0; // (W (pi - y))_d
    for (let k = 0; k < K; k++) step += W[d][k] * (z[k] / s - (k === lab ? 1 : 0));
    gx -= step * J[2 * d]; gy -= step * J[2 * d + 1];
  }
  out[0] = gx; out[1] = gy;
  return out;
}

// The segments joined into polylines [[x, y], ...] at shared end points, so that a dashed
// line keeps its pattern along a curve (a canvas restarts the dash at every subpath).
export function chain(segs) {
  const key = (x, y) => x + "," + y;
  const ends = new Map(); // point -> indices of segments ending there
  const add = (k, i) => { const l = ends.get(k); if (l) l.push(i); else ends.set(k, [i]); };
  segs.forEach((s, i) => { add(key(s[0], s[1]), i); add(key(s[2], s[3]), i); });
  const used = new Uint8Array(segs.length);
  const walk = (line, x, y) => {
    for (;;) {
      const next = (ends.get(key(x, y)) || []).find((j) => !used[j]);
      if (next === undefined) return;
      used[next] = 1;
      const s = segs[next];
      [x, y] = s[0] === x && s[1] === y ? [s[2], s[3]] : [s[0], s[1]];
      line.push([x, y]);
    }
  };
  const lines = [];
  for (let i = 0; i < segs.length; i++) {
    if (used[i]) continue;
    used[i] = 1;
    const s = segs[i];
    const forward = [[s[0], s[1]], [s[2], s[3]]];
    walk(forward, s[2], s[3]);
    const back = [];
    walk(back, s[0], s[1]);
    lines.push(back.reverse().concat(forward));
  }
  return lines;
}
