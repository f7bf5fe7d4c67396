// The probability simplex panel (issue 18, item 1): every training point drawn at its
// prediction pi, coloured by its true class, on a canvas.
//
// K = 3: pi = (pi_1, pi_2, pi_3) is a point of the triangle {p >= 0, sum p = 1}; class a's
// corner bottom left, b's bottom right, c's at the top: (x, y) = (p_b + p_c / 2, (sqrt 3 / 2) p_c)
// times the side (softmax_core.simplex.ternary_xy). The argmax region of class i is the
// quadrilateral (corner i, the midpoints of its two edges, the centre). The optional arrows go
// from pi toward y's corner: y - pi = -(pi - y), a quarter of their length.
// K > 3: three chosen classes, pi renormalised over them, pi_S / sum_S pi (the prediction
// given that the class is one of S); only points of those classes are drawn.
// K = 2: the simplex is a segment; drawn as pi_1 = sigmoid(z_1 - z_2) against z_1 - z_2.
//
// pi comes from each played frame: softmax(x W + b) for two features (the same W, b the
// regions are painted from), or the server's `simplex.probs` (N x K) for more features.
// Redrawn at most every UPDATE_MS while frames play (20 a second), on its own animation loop.
// Touches only its panel; reads `state`; records window.__pg.simplex* (tests).

import { state, perf, classOffsets, b64ToFloat32, recordMs } from "./state.js";
import { emit } from "./messages.js";
import { makePanel, panelWidth } from "./panels.js";
import { markerPath } from "./markers.js";

const UPDATE_MS = 50;
const SQ3 = Math.sqrt(3) / 2;
const { section, body, note, caption } = makePanel("simplex-panel", "Probability simplex", 1);
const canvas = document.createElement("canvas");
canvas.setAttribute("role", "img");
const tip = document.createElement("div");
tip.className = "tip";
body.append(canvas, tip);

let size = [0, 0];
let last = { t: -Infinity, key: "" };
let drawn = []; // [px, py, index] of the points on screen, for hover and click
let serverProbs = { step: -1, data: null, src: null };

function className(k) {
  const names = state.args.class_names;
  return names ? names[k] : "class " + (k + 1);
}

function resize() {
  const w = panelWidth();
  const h = Math.round(Math.min(w * 0.8, 460));
  if (w === size[0] && h === size[1]) return;
  size = [w, h];
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  canvas.style.width = w + "px";
  canvas.style.height = h + "px";
  last.key = "";
}

/** pi (N x K, row-major Float64Array) for the current frame, or null. */
function probabilities(f) {
  const K = f.b.length, n = state.n;
  const sx = state.args.simplex;
  if (state.args.arrows_mode === "server") {
    const p = sx && sx.probs;
    if (!p) return null;
    if (p.data !== serverProbs.src) {
      serverProbs = { step: p.step, src: p.data, data: Float64Array.from(b64ToFloat32(p.data)) };
    }
    return serverProbs.data.length === n * K ? serverProbs.data : null;
  }
  const X = state.X, off = classOffsets(), W = f.W, b = f.b;
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    const o = off[state.labels[i]] || [0, 0];
    const x = X[2 * i] + o[0], y = X[2 * i + 1] + o[1];
    let zmax = -Infinity;
    for (let k = 0; k < K; k++) {
      const z = W[0][k] * x + W[1][k] * y + b[k];
      out[i * K + k] = z;
      if (z > zmax) zmax = z;
    }
    let s = 0;
    for (let k = 0; k < K; k++) { const e = Math.exp(out[i * K + k] - zmax); out[i * K + k] = e; s += e; }
    for (let k = 0; k < K; k++) out[i * K + k] /= s;
  }
  return out;
}

function alpha(hex, a) {
  const h = hex.replace("#", "");
  const v = parseInt(h, 16);
  return `rgba(${(v >> 16) & 255},${(v >> 8) & 255},${v & 255},${a})`;
}

function drawTriangle(ctx, P, K, f) {
  const [w, h] = size;
  const cls = state.args.simplex.classes;
  const colors = state.args.colors, fg = state.theme.fg, bg = state.theme.bg;
  const pad = 30;
  const side = Math.min(w - 2 * pad, (h - 2 * pad) / SQ3);
  const left = (w - side) / 2, bottom = h - pad;
  const px = (p1, p2) => [left + side * (p1 + p2 / 2), bottom - side * SQ3 * p2];
  const corners = [px(0, 0), px(1, 0), px(0, 1)];
  const centre = px(1 / 3, 1 / 3);
  const mid = (i, j) => [(corners[i][0] + corners[j][0]) / 2, (corners[i][1] + corners[j][1]) / 2];
  // argmax regions
  for (let i = 0; i < 3; i++) {
    const j = (i + 1) % 3, k = (i + 2) % 3;
    ctx.beginPath();
    ctx.moveTo(...corners[i]); ctx.lineTo(...mid(i, j)); ctx.lineTo(...centre); ctx.lineTo(...mid(i, k));
    ctx.closePath();
    ctx.fillStyle = alpha(colors[cls[i]], state.theme.base === "dark" ? 0.28 : 0.2);
    ctx.fill();
  }
  ctx.strokeStyle = alpha("#808495", 0.7); ctx.lineWidth = 1; ctx.setLineDash([3, 3]);
  ctx.beginPath();
  for (let i = 0; i < 3; i++) { ctx.moveTo(...centre); ctx.lineTo(...mid(i, (i + 1) % 3)); }
  ctx.stroke(); ctx.setLineDash([]);
  ctx.strokeStyle = fg; ctx.lineWidth = 1.5;
  ctx.beginPath(); ctx.moveTo(...corners[0]); ctx.lineTo(...corners[1]); ctx.lineTo(...corners[2]);
  ctx.closePath(); ctx.stroke();
  // corner labels
  ctx.font = "bold 13px sans-serif"; ctx.textBaseline = "middle";
  const labelPos = [[corners[0][0], corners[0][1] + 16], [corners[1][0], corners[1][1] + 16],
    [corners[2][0], corners[2][1] - 14]];
  ctx.textAlign = "left";
  for (let i = 0; i < 3; i++) {
    const text = className(cls[i]) + " (π = 1)";
    const tw = ctx.measureText(text).width;
    const x = Math.max(2, Math.min(w - tw - 2, labelPos[i][0] - tw / 2));
    ctx.fillStyle = colors[cls[i]];
    ctx.fillText(text, x, labelPos[i][1]);
  }
  // points (training rows of the three classes)
  const n = state.n, out = [];
  const coords = [], index = [];
  const arrows = state.args.show_arrows;
  for (let i = 0; i < n; i++) {
    if (state.isTest[i]) continue;
    const c = cls.indexOf(state.labels[i]);
    if (c < 0) continue;
    let p = [P[i * K + cls[0]], P[i * K + cls[1]], P[i * K + cls[2]]];
    const s = p[0] + p[1] + p[2];
    p = K === 3 ? p : s > 0 ? p.map((v) => v / s) : [1 / 3, 1 / 3, 1 / 3];
    const [x, y] = px(p[1], p[2]);
    out.push([x, y, i, c]);
    coords.push(p[0], p[1], p[2]); index.push(i);
  }
  if (arrows) {
    ctx.lineWidth = 1; ctx.strokeStyle = alpha(fg.startsWith("#") ? fg : "#31333f", 0.35);
    ctx.beginPath();
    for (const [x, y, , c] of out) {
      const [cx, cy] = corners[c];
      ctx.moveTo(x, y); ctx.lineTo(x + 0.25 * (cx - x), y + 0.25 * (cy - y));
    }
    ctx.stroke();
  }
  for (const [x, y, , c] of out) {
    markerPath(ctx, cls[c], x, y, 3.5);
    ctx.fillStyle = colors[cls[c]]; ctx.fill();
    ctx.lineWidth = 0.8; ctx.strokeStyle = bg; ctx.stroke();
  }
  perf.simplex = { step: f.step, classes: cls.slice(), index, coords,
    xy: out.length ? [out[0][0], out[0][1]] : null };
  return out;
}

function drawSegment(ctx, P, f) {
  const [w, h] = size;
  const colors = state.args.colors, fg = state.theme.fg, bg = state.theme.bg;
  const padL = 46, padR = 16, padT = 14, padB = 40;
  const n = state.n, d = [];
  let R = 4;
  for (let i = 0; i < n; i++) {
    if (state.isTest[i]) continue;
    const p1 = P[2 * i];
    const dz = Math.log(Math.max(p1, 1e-300)) - Math.log(Math.max(P[2 * i + 1], 1e-300));
    d.push([dz, p1, i]);
    if (isFinite(dz)) R = Math.max(R, Math.abs(dz) * 1.1);
  }
  R = Math.min(R, 40);
  const X = (z) => padL + ((z + R) / (2 * R)) * (w - padL - padR);
  const Y = (p) => padT + (1 - p) * (h - padT - padB);
  ctx.fillStyle = alpha(colors[0], 0.18); ctx.fillRect(X(0), Y(1), X(R) - X(0), Y(0) - Y(1));
  ctx.fillStyle = alpha(colors[1], 0.18); ctx.fillRect(X(-R), Y(1), X(0) - X(-R), Y(0) - Y(1));
  ctx.strokeStyle = fg; ctx.lineWidth = 1;
  ctx.strokeRect(X(-R), Y(1), X(R) - X(-R), Y(0) - Y(1));
  ctx.beginPath();
  for (let j = 0; j <= 200; j++) {
    const z = -R + (2 * R * j) / 200;
    const y = Y(1 / (1 + Math.exp(-z)));
    if (j) ctx.lineTo(X(z), y); else ctx.moveTo(X(z), y);
  }
  ctx.lineWidth = 1.5; ctx.stroke();
  ctx.fillStyle = fg; ctx.font = "12px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "top";
  for (const z of [-R, 0, R]) ctx.fillText(String(+z.toPrecision(3)), X(z), Y(0) + 4);
  ctx.fillText("z₁ − z₂ (logit difference)", (X(-R) + X(R)) / 2, Y(0) + 20);
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  for (const p of [0, 0.5, 1]) ctx.fillText(String(p), X(-R) - 4, Y(p));
  ctx.save(); ctx.translate(12, (Y(0) + Y(1)) / 2); ctx.rotate(-Math.PI / 2);
  ctx.textAlign = "center"; ctx.fillText("π₁ = σ(z₁ − z₂)", 0, 0); ctx.restore();
  const out = [], coords = [], index = [];
  const arrows = state.args.show_arrows;
  for (const [dz, p1, i] of d) {
    const x = X(Math.max(-R, Math.min(R, dz))), y = Y(p1), c = state.labels[i];
    if (arrows) {
      const target = Y(c === 0 ? 1 : 0);
      ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x, y + 0.25 * (target - y));
      ctx.strokeStyle = alpha("#808495", 0.6); ctx.lineWidth = 1; ctx.stroke();
    }
    out.push([x, y, i, c]);
    coords.push(p1, 1 - p1); index.push(i);
  }
  for (const [x, y, , c] of out) {
    markerPath(ctx, c, x, y, 3.5);
    ctx.fillStyle = colors[c]; ctx.fill(); ctx.lineWidth = 0.8; ctx.strokeStyle = bg; ctx.stroke();
  }
  perf.simplex = { step: f.step, classes: [0, 1], index, coords,
    xy: out.length ? [out[0][0], out[0][1]] : null };
  return out;
}

function captionText(K) {
  if (K === 2) {
    return "With two classes the simplex is a segment: each training point sits at π₁ = σ(z₁ − z₂) " +
      "on the sigmoid; watch the points climb to their class's end (π₁ = 1 or 0) as training goes on.";
  }
  return "Each training point sits at its prediction π and is coloured by its true class; the " +
    "shaded parts are where each class wins, and training moves every point toward its own corner" +
    (state.args.show_arrows ? " (the grey ticks point there: −(π − y))." : ".");
}

function draw(f) {
  const t0 = performance.now();
  const K = f.b.length;
  const P = probabilities(f);
  const ctx = canvas.getContext("2d");
  const dpr = window.devicePixelRatio || 1;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size[0], size[1]);
  if (!P || !state.isTest) { drawn = []; return; }
  drawn = K === 2 ? drawSegment(ctx, P, f) : drawTriangle(ctx, P, K, f);
  const sel = state.selected;
  for (const [x, y, i] of drawn) {
    if (i !== sel) continue;
    ctx.beginPath(); ctx.arc(x, y, 8, 0, 2 * Math.PI);
    ctx.lineWidth = 3; ctx.strokeStyle = state.theme.bg; ctx.stroke();
    ctx.lineWidth = 1.8; ctx.strokeStyle = state.theme.fg; ctx.stroke();
  }
  const cls = state.args.simplex.classes;
  canvas.setAttribute("aria-label", K === 2
    ? "Training points on the sigmoid π₁ = σ(z₁ − z₂) at step " + f.step
    : "Training points in the probability simplex of " + cls.map(className).join(", ") + " at step " + f.step);
  caption.textContent = captionText(K);
  if (K > 3) {
    note.hidden = false;
    note.textContent = "K = " + K + ": showing " + cls.map(className).join(", ") +
      " only, with π renormalised over these three (π_S / Σ_S π) and only their points; " +
      "choose the three classes under Show in the sidebar.";
  } else note.hidden = true;
  perf.simplexUpdates = (perf.simplexUpdates || 0) + 1;
  perf.simplexMs = perf.simplexMs || [];
  recordMs("simplexMs", t0, 120);
  section.dataset.step = String(f.step);
}

function loop(now) {
  requestAnimationFrame(loop);
  const on = !!(state.args && state.args.simplex);
  if (section.hidden === on) {
    section.hidden = !on;
    last.key = "";
  }
  if (!on || !state.current || !state.labels) return;
  resize();
  const f = state.current;
  const sx = state.args.simplex;
  const key = [f.step, state.args.config_version, state.dataVersion, state.selected, state.theme.bg,
    state.args.show_arrows, sx.classes.join(","), sx.probs ? sx.probs.step : "", size[0],
    JSON.stringify(state.centresLocal)].join("|");
  if (key === last.key) return;
  if (state.args.playing && now - last.t < UPDATE_MS && last.key) return;
  last = { t: now, key };
  draw(f);
}
requestAnimationFrame(loop);

// hover: the nearest point within 10 px; click selects it (as a click on the plane does)
function nearest(ev) {
  const r = canvas.getBoundingClientRect();
  const x = ev.clientX - r.left, y = ev.clientY - r.top;
  let best = null, bestD = 100;
  for (const p of drawn) {
    const d = (p[0] - x) ** 2 + (p[1] - y) ** 2;
    if (d < bestD) { bestD = d; best = p; }
  }
  return best;
}

canvas.addEventListener("mousemove", (ev) => {
  const p = nearest(ev);
  if (!p || !state.current) { tip.style.display = "none"; return; }
  const i = p[2], K = state.current.b.length;
  const P = probabilities(state.current);
  const pi = Array.from({ length: K }, (_, k) => P[i * K + k].toFixed(3));
  const y = Array.from({ length: K }, (_, k) => (k === state.labels[i] ? "1" : "0"));
  tip.textContent = "point " + i + " · true " + className(state.labels[i]) +
    "\nπ = (" + pi.join(", ") + ")\ny = (" + y.join(", ") + ")";
  tip.style.display = "block";
  tip.style.left = Math.min(p[0] + 12, size[0] - 190) + "px";
  tip.style.top = Math.max(0, p[1] - 50) + "px";
});
canvas.addEventListener("mouseleave", () => { tip.style.display = "none"; });
canvas.addEventListener("click", (ev) => {
  const p = nearest(ev);
  if (!p) return;
  state.selected = p[2];
  state.dirty = true;
  perf.simplexSelected = p[2];
  emit({ type: "select", index: p[2] });
});
window.addEventListener("resize", () => { last.key = ""; });
