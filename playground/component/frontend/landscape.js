// The loss surface panel (issue 18, item 2): contours of J(W, b) = mean cross-entropy +
// (l2 / 2) ||W||^2 on a plane theta(a, c) = origin + a d1 + c d2 through parameter space, with
// the optimiser's path projected onto it, the current point and the optimum theta* (origin).
// The server computes the surface (playground/landscape_view.py, NumPy, G x G = 60 x 60) on
// pause and every 2 s while playing; between refreshes, when the frames carry the full
// theta = (W.ravel(), b) (two features), this module projects each played frame itself:
// a = (theta - origin) . d1, c = (theta - origin) . d2, and moves the path and the point.
//
// Why a canvas and not plotly.js: a Plotly contour redraw took 120-690 ms on the loaded 2-core
// machine (a long task that stops the plane's frame loop), and Plotly.animate removes a
// contour trace's paths. Here a refresh builds a static layer (the field as a G x G image
// scaled up, marching-squares contour lines, axes, colour bar) in 2-10 ms; each update draws
// that layer, the path and the point. Colour and levels are on log10(J - J_min + eps), so
// the bowl's floor gets as many levels as its walls; hovering shows J itself.
// Touches only its panel; reads `state`; records window.__pg.landscape* (tests).

import { state, perf, b64ToFloat32, fmt, recordMs } from "./state.js";
import { emit } from "./messages.js";
import { makePanel, panelWidth } from "./panels.js";

const UPDATE_MS = 100;
const LEVELS = 16;
const M = { l: 58, r: 74, t: 10, b: 46 }; // plot margins in px (the colour bar on the right)
const PATH = "#ffffff", NOW = "#e8590c";
// viridis, 9 stops
const VIRIDIS = [[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37]];

const { section, body, note, caption } = makePanel("landscape-panel", "Loss surface", 2);
const canvas = document.createElement("canvas");
canvas.setAttribute("role", "img");
const tip = document.createElement("div");
tip.className = "tip";
body.append(canvas, tip);
const staticLayer = document.createElement("canvas");

let data = null; // the server's last surface, decoded: {.., J: Float32Array, T: transformed}
let size = [0, 0];
let shownKey = "";
let lastMove = { t: -Infinity, step: -1 };
let lastAsk = -Infinity;
let livePath = { steps: [], xy: [] }; // frames projected by the view since the refresh

function viridis(t) {
  const x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x)), f = x - i;
  const a = VIRIDIS[i], b = VIRIDIS[i + 1];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

function decode(d) {
  const J = b64ToFloat32(d.z);
  let jmin = Infinity, jmax = -Infinity;
  for (const v of J) if (isFinite(v)) { if (v < jmin) jmin = v; if (v > jmax) jmax = v; }
  const eps = Math.max(1e-4, 1e-3 * (jmax - jmin));
  const tr = (v) => Math.log10(v - jmin + eps);
  const T = new Float32Array(J.length);
  for (let i = 0; i < J.length; i++) T[i] = isFinite(J[i]) ? tr(J[i]) : NaN;
  return Object.assign({}, d, { J, T, jmin, jmax, tr, tmin: tr(jmin), tmax: tr(jmax) });
}

function project(f) {
  if (!data || !data.live || !f.W || f.W.length * f.b.length + f.b.length !== data.n_params) return null;
  const theta = [].concat(...f.W, f.b);
  let a = 0, c = 0;
  for (let i = 0; i < theta.length; i++) {
    const r = theta[i] - data.origin[i];
    a += r * data.d1[i];
    c += r * data.d2[i];
  }
  return [a, c];
}

// The path up to the frame on screen: the server's points with steps <= its step, then the
// frames the view has projected itself since.
function pathNow(step) {
  const xs = [], ys = [];
  for (let i = 0; i < data.path.length; i++) {
    if (data.steps[i] > step) break;
    xs.push(data.path[i][0]); ys.push(data.path[i][1]);
  }
  for (let i = 0; i < livePath.steps.length; i++) {
    if (livePath.steps[i] > step) break;
    xs.push(livePath.xy[i][0]); ys.push(livePath.xy[i][1]);
  }
  return [xs, ys];
}

function box() {
  const [w, h] = size;
  const a0 = data.a[0], a1 = data.a[data.a.length - 1], c0 = data.c[0], c1 = data.c[data.c.length - 1];
  const pw = w - M.l - M.r, ph = h - M.t - M.b;
  return { l: M.l, t: M.t, w: pw, h: ph, a0, a1, c0, c1,
    X: (a) => M.l + ((a - a0) / (a1 - a0)) * pw, Y: (c) => M.t + (1 - (c - c0) / (c1 - c0)) * ph,
    A: (x) => a0 + ((x - M.l) / pw) * (a1 - a0), C: (y) => c0 + (1 - (y - M.t) / ph) * (c1 - c0) };
}

function niceTicks(lo, hi, n) {
  const span = hi - lo, raw = span / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= n) || 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step) out.push(Math.abs(v) < 1e-12 ? 0 : v);
  return out;
}

function tickText(v) {
  const a = Math.abs(v);
  return a !== 0 && (a < 0.01 || a >= 1e4) ? v.toExponential(0) : String(+v.toPrecision(3));
}

// Contour segments of the field T at `level` (marching squares; node (i, j) = (a_j, c_i)).
function contour(ctx, B, level) {
  const G = data.grid, T = data.T, a = data.a, c = data.c;
  const lerp = (p, q, vp, vq) => p + ((level - vp) / (vq - vp)) * (q - p);
  for (let i = 0; i < G - 1; i++) {
    for (let j = 0; j < G - 1; j++) {
      const v00 = T[i * G + j], v01 = T[i * G + j + 1], v10 = T[(i + 1) * G + j], v11 = T[(i + 1) * G + j + 1];
      if (!(isFinite(v00) && isFinite(v01) && isFinite(v10) && isFinite(v11))) continue;
      const pts = [];
      if ((v00 < level) !== (v01 < level)) pts.push([lerp(a[j], a[j + 1], v00, v01), c[i]]);
      if ((v01 < level) !== (v11 < level)) pts.push([a[j + 1], lerp(c[i], c[i + 1], v01, v11)]);
      if ((v10 < level) !== (v11 < level)) pts.push([lerp(a[j], a[j + 1], v10, v11), c[i + 1]]);
      if ((v00 < level) !== (v10 < level)) pts.push([a[j], lerp(c[i], c[i + 1], v00, v10)]);
      for (let k = 0; k + 1 < pts.length; k += 2) {
        ctx.moveTo(B.X(pts[k][0]), B.Y(pts[k][1]));
        ctx.lineTo(B.X(pts[k + 1][0]), B.Y(pts[k + 1][1]));
      }
    }
  }
}

function buildStatic() {
  const t0 = performance.now();
  const [w, h] = size, dpr = window.devicePixelRatio || 1;
  staticLayer.width = Math.round(w * dpr); staticLayer.height = Math.round(h * dpr);
  const ctx = staticLayer.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const { fg } = state.theme;
  const B = box(), G = data.grid;
  // the field: a G x G image (row 0 at the top = the largest c), smoothed as it is scaled up
  const img = document.createElement("canvas");
  img.width = G; img.height = G;
  const ictx = img.getContext("2d"), id = ictx.createImageData(G, G);
  const span = data.tmax - data.tmin || 1;
  for (let i = 0; i < G; i++) {
    for (let j = 0; j < G; j++) {
      const v = data.T[i * G + j], o = ((G - 1 - i) * G + j) * 4;
      const [r, g, b] = isFinite(v) ? viridis((v - data.tmin) / span) : [128, 128, 128];
      id.data[o] = r; id.data[o + 1] = g; id.data[o + 2] = b; id.data[o + 3] = 255;
    }
  }
  ictx.putImageData(id, 0, 0);
  ctx.imageSmoothingEnabled = true;
  // grid nodes are cell centres of the image: stretch by half a cell beyond the box, then clip
  const cw = B.w / (G - 1), chh = B.h / (G - 1);
  ctx.save();
  ctx.beginPath(); ctx.rect(B.l, B.t, B.w, B.h); ctx.clip();
  ctx.drawImage(img, B.l - cw / 2, B.t - chh / 2, B.w + cw, B.h + chh);
  ctx.beginPath();
  for (let k = 1; k < LEVELS; k++) contour(ctx, B, data.tmin + (k / LEVELS) * span);
  ctx.strokeStyle = "rgba(255,255,255,0.45)"; ctx.lineWidth = 0.8; ctx.stroke();
  // the optimum (a star at the origin) or the start
  const ox = B.X(0), oy = B.Y(0);
  ctx.fillStyle = "#ffffff"; ctx.strokeStyle = "#000000"; ctx.lineWidth = 1;
  if (data.optimum) {
    ctx.beginPath();
    for (let k = 0; k < 10; k++) {
      const r = k % 2 ? 3.2 : 8, ang = -Math.PI / 2 + (k * Math.PI) / 5;
      ctx.lineTo(ox + r * Math.cos(ang), oy + r * Math.sin(ang));
    }
    ctx.closePath(); ctx.fill(); ctx.stroke();
  } else {
    ctx.beginPath(); ctx.arc(ox, oy, 5, 0, 2 * Math.PI); ctx.lineWidth = 2; ctx.strokeStyle = "#ffffff"; ctx.stroke();
  }
  ctx.font = "bold 13px sans-serif"; ctx.fillStyle = "#ffffff"; ctx.textAlign = "left"; ctx.textBaseline = "bottom";
  ctx.fillText(data.optimum ? "θ*" : "start θ₀", ox + 8, oy - 4);
  ctx.restore();
  // axes
  ctx.strokeStyle = fg; ctx.globalAlpha = 0.6; ctx.lineWidth = 1;
  ctx.strokeRect(B.l, B.t, B.w, B.h); ctx.globalAlpha = 1;
  ctx.fillStyle = fg; ctx.font = "12px sans-serif";
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  for (const v of niceTicks(B.a0, B.a1, Math.max(3, Math.floor(B.w / 70)))) {
    ctx.fillRect(B.X(v) - 0.5, B.t + B.h, 1, 4);
    ctx.fillText(tickText(v), B.X(v), B.t + B.h + 6);
  }
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  for (const v of niceTicks(B.c0, B.c1, Math.max(3, Math.floor(B.h / 50)))) {
    ctx.fillRect(B.l - 4, B.Y(v) - 0.5, 4, 1);
    ctx.fillText(tickText(v), B.l - 6, B.Y(v));
  }
  const [xt, yt] = axisTitles(w < 480);
  ctx.textAlign = "center"; ctx.textBaseline = "bottom";
  ctx.fillText(xt, B.l + B.w / 2, h - 4);
  ctx.save(); ctx.translate(13, B.t + B.h / 2); ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle"; ctx.fillText(yt, 0, 0); ctx.restore();
  // colour bar: J on its log-above-minimum scale
  const bx = B.l + B.w + 14, bw = 12;
  for (let y = 0; y < B.h; y++) {
    const [r, g, b] = viridis(1 - y / B.h);
    ctx.fillStyle = `rgb(${r | 0},${g | 0},${b | 0})`;
    ctx.fillRect(bx, B.t + y, bw, 1.5);
  }
  ctx.fillStyle = fg; ctx.textAlign = "left"; ctx.textBaseline = "middle"; ctx.font = "11px sans-serif";
  for (const q of [0, 0.01, 0.1, 0.3, 1]) {
    const v = data.jmin + q * (data.jmax - data.jmin);
    const y = B.t + (1 - (data.tr(v) - data.tmin) / span) * B.h;
    ctx.fillRect(bx + bw, y - 0.5, 3, 1);
    ctx.fillText(v.toPrecision(3), bx + bw + 5, y);
  }
  ctx.save(); ctx.translate(w - 6, B.t + B.h / 2); ctx.rotate(-Math.PI / 2);
  ctx.textAlign = "center"; ctx.textBaseline = "bottom"; ctx.fillText("J(W, b)", 0, 0); ctx.restore();
  perf.landscapeDraws = (perf.landscapeDraws || 0) + 1;
  perf.landscapeMs = perf.landscapeMs || [];
  recordMs("landscapeMs", t0, 60);
}

function axisTitles(short = false) {
  const what = data.method === "pca" ? "principal direction" : "direction";
  const o = data.optimum ? "θ*" : "θ₀";
  if (short) return ["a = (θ − " + o + ")·d₁, " + what + " 1", "c = (θ − " + o + ")·d₂"];
  return ["a = (θ − " + o + ")·d₁, the path's " + what + " 1",
    "c = (θ − " + o + ")·d₂, " + what + " 2"];
}

function captionText() {
  const share = (100 * data.explained).toFixed(data.explained > 0.999 ? 2 : 1) + "%";
  const plane = data.optimum
    ? "on the plane through the optimum θ* (star) spanned by the path's two main directions"
    : "on the plane through the start spanned by the path's two main directions";
  return "Contours of the training objective J(W, b) (cross-entropy plus the L2 term, " +
    data.n_params + " parameters) " + plane + ", which holds " + share +
    " of the path's squared distance to " + (data.optimum ? "θ*" : "the start") +
    "; follow the white path to see how the optimiser walks down the bowl.";
}

function paint(f) {
  const [w, h] = size, dpr = window.devicePixelRatio || 1;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(staticLayer, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const step = f ? f.step : data.step;
  const [xs, ys] = pathNow(step);
  if (!xs.length) return null;
  const B = box();
  ctx.save();
  ctx.beginPath(); ctx.rect(B.l, B.t, B.w, B.h); ctx.clip();
  ctx.beginPath();
  for (let i = 0; i < xs.length; i++) {
    if (i) ctx.lineTo(B.X(xs[i]), B.Y(ys[i])); else ctx.moveTo(B.X(xs[i]), B.Y(ys[i]));
  }
  ctx.strokeStyle = PATH; ctx.lineWidth = 2.5; ctx.lineJoin = "round"; ctx.stroke();
  const cur = [xs[xs.length - 1], ys[ys.length - 1]];
  ctx.beginPath(); ctx.arc(B.X(cur[0]), B.Y(cur[1]), 6, 0, 2 * Math.PI);
  ctx.fillStyle = NOW; ctx.fill(); ctx.lineWidth = 2; ctx.strokeStyle = "#ffffff"; ctx.stroke();
  ctx.restore();
  return cur;
}

function moveCurrent(now, f) {
  if (f.step === lastMove.step) return;
  if (state.args.playing && now - lastMove.t < UPDATE_MS) return;
  const t0 = performance.now();
  const xy = project(f);
  if (xy && f.step > data.steps[data.steps.length - 1] &&
      (!livePath.steps.length || f.step > livePath.steps[livePath.steps.length - 1])) {
    livePath.steps.push(f.step); livePath.xy.push(xy);
  }
  const cur = paint(f);
  lastMove = { t: now, step: f.step };
  if (!cur) return;
  perf.landscapeMoves = (perf.landscapeMoves || 0) + 1;
  perf.landscapeCurrent = { step: f.step, a: cur[0], c: cur[1] };
  perf.landscapeMoveMs = perf.landscapeMoveMs || [];
  recordMs("landscapeMoveMs", t0, 120);
  section.dataset.step = String(f.step);
}

function loop(now) {
  requestAnimationFrame(loop);
  const on = !!(state.args && state.args.landscape_on);
  if (section.hidden === on) { section.hidden = !on; shownKey = ""; }
  if (!on) return;
  const incoming = state.args.landscape;
  if (incoming && (!data || incoming.z !== data.z || incoming.step !== data.step)) {
    data = decode(incoming);
    livePath = { steps: [], xy: [] };
    shownKey = "";
    perf.landscapeReceived = (perf.landscapeReceived || 0) + 1;
  }
  if (!data || data.run_id !== state.runId) {
    // a message carrying the surface was dropped (an interrupted run) or the run changed
    if (now - lastAsk > 3000) { lastAsk = now; emit({ type: "resync" }); }
    if (!data) return;
  }
  const w = panelWidth(), h = Math.round(Math.min(w * 0.8, 460));
  const key = [w, h, state.theme.bg, state.theme.fg, data.z.length, data.step, data.run_id].join("|");
  if (key !== shownKey) {
    size = [w, h];
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    canvas.style.width = w + "px"; canvas.style.height = h + "px";
    shownKey = key;
    buildStatic();
    const [xt, yt] = axisTitles();
    canvas.setAttribute("aria-label", "Loss surface: contours of J on the plane of " + xt +
      " and " + yt + ", with the optimiser's path");
    caption.textContent = captionText();
    note.hidden = !data.note;
    note.textContent = data.note || "";
    lastMove.step = -1;
  }
  if (state.current) moveCurrent(now, state.current);
}
requestAnimationFrame(loop);

// hover: J at the pointer (bilinear in the grid), a and c
canvas.addEventListener("mousemove", (ev) => {
  if (!data) return;
  const r = canvas.getBoundingClientRect(), x = ev.clientX - r.left, y = ev.clientY - r.top;
  const B = box();
  if (x < B.l || x > B.l + B.w || y < B.t || y > B.t + B.h) { tip.style.display = "none"; return; }
  const a = B.A(x), c = B.C(y), G = data.grid;
  const fj = ((a - B.a0) / (B.a1 - B.a0)) * (G - 1), fi = ((c - B.c0) / (B.c1 - B.c0)) * (G - 1);
  const j = Math.min(G - 2, Math.floor(fj)), i = Math.min(G - 2, Math.floor(fi)), u = fj - j, v = fi - i;
  const J = data.J, at = (ii, jj) => J[ii * G + jj];
  const val = (1 - v) * ((1 - u) * at(i, j) + u * at(i, j + 1)) + v * ((1 - u) * at(i + 1, j) + u * at(i + 1, j + 1));
  tip.textContent = "a = " + fmt(a) + ", c = " + fmt(c) + "\nJ ≈ " + (isFinite(val) ? val.toFixed(4) : "–") +
    (data.optimum_loss !== null ? "\nJ(θ*) = " + data.optimum_loss.toFixed(4) : "");
  tip.style.display = "block";
  tip.style.left = Math.min(x + 12, size[0] - 150) + "px";
  tip.style.top = Math.max(0, y - 50) + "px";
});
canvas.addEventListener("mouseleave", () => { tip.style.display = "none"; });
