// The loss, accuracy and weight-norm curves in #side, from state.history (step on x).
// Touches only the three chart canvases, #loss-title and the legends; reads `state`.

import { state, fmt } from "./state.js";

const $ = (id) => document.getElementById(id);
const CHARTS = ["loss-chart", "acc-chart", "norm-chart"];
let legendFor = null;

export function resizeCurves(width, height) {
  const dpr = window.devicePixelRatio || 1;
  for (const id of CHARTS) {
    const c = $(id);
    c.width = Math.round(width * dpr);
    c.height = Math.round(height * dpr);
    c.style.width = width + "px";
    c.style.height = height + "px";
  }
}

function drawChart(canvas, series, opts) {
  const ctx = canvas.getContext("2d");
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.width / dpr, h = canvas.height / dpr;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const left = 48, right = 8, top = 6, bottom = 18;
  const xs = state.history.step;
  if (!xs.length) return;
  let x0 = xs[0], x1 = xs[xs.length - 1];
  if (x1 <= x0) x1 = x0 + 1;
  const tf = (v) => (opts.log ? (v > 0 ? Math.log10(v) : null) : v);
  let y0 = Infinity, y1 = -Infinity;
  for (const s of series) for (const v of s.ys) {
    const t = v === null ? null : tf(v);
    if (t !== null && isFinite(t)) { y0 = Math.min(y0, t); y1 = Math.max(y1, t); }
  }
  if (opts.fixed) { y0 = opts.fixed[0]; y1 = opts.fixed[1]; }
  if (!isFinite(y0)) return;
  if (y1 - y0 < 1e-9) { y0 -= 0.5; y1 += 0.5; }
  const pad = (y1 - y0) * 0.05;
  y0 -= opts.fixed ? 0 : pad; y1 += opts.fixed ? 0 : pad;
  const X = (v) => left + ((v - x0) / (x1 - x0)) * (w - left - right);
  const Y = (v) => top + (1 - (v - y0) / (y1 - y0)) * (h - top - bottom);
  ctx.strokeStyle = "rgba(128,132,149,0.35)";
  ctx.lineWidth = 1;
  ctx.fillStyle = state.theme.fg;
  ctx.font = "11px sans-serif";
  for (let i = 0; i <= 2; i++) {
    const v = y0 + ((y1 - y0) * i) / 2;
    const yy = Y(v);
    ctx.beginPath(); ctx.moveTo(left, yy); ctx.lineTo(w - right, yy); ctx.stroke();
    ctx.fillText(fmt(opts.log ? 10 ** v : v), 2, yy + 4);
  }
  ctx.fillText("step " + x1, w - right - 60, h - 4);
  ctx.fillText(String(x0), left, h - 4);
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dash || []);
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < xs.length; i++) {
      const t = s.ys[i] === null ? null : tf(s.ys[i]);
      if (t === null || !isFinite(t)) { pen = false; continue; }
      if (pen) ctx.lineTo(X(xs[i]), Y(t)); else ctx.moveTo(X(xs[i]), Y(t));
      pen = true;
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

function legend(el, items) {
  el.innerHTML = items.map((it) =>
    `<span><i style="background:${it.color}"></i>${it.name}</span>`).join("");
}

export function drawCurves() {
  const h = state.history;
  const log = state.args.log_scale;
  const c = state.args.curve_colors;
  $("loss-title").textContent = "Loss (" + (log ? "log scale" : "linear") + ")";
  const total = h.train_ce.map((v, i) => (v === null || h.l2_term[i] === null ? null : v + h.l2_term[i]));
  drawChart($("loss-chart"), [
    { ys: h.train_ce, color: c.train },
    { ys: h.test_ce, color: c.test, dash: [5, 3] },
    { ys: h.l2_term, color: c.l2 },
    { ys: total, color: c.total, dash: [2, 2] },
  ], { log });
  drawChart($("acc-chart"), [
    { ys: h.train_acc, color: c.train },
    { ys: h.test_acc, color: c.test, dash: [5, 3] },
  ], { fixed: [0, 1] });
  drawChart($("norm-chart"), [{ ys: h.w_norm, color: c.total }], { log });
  if (legendFor !== JSON.stringify(c)) {
    legendFor = JSON.stringify(c);
    legend($("loss-legend"), [
      { name: "train cross-entropy", color: c.train },
      { name: "test cross-entropy (dashed)", color: c.test },
      { name: "L2 term (l2/2)‖W‖²", color: c.l2 },
      { name: "train total (dotted)", color: c.total },
    ]);
    legend($("acc-legend"), [
      { name: "train", color: c.train },
      { name: "test (dashed)", color: c.test },
    ]);
  }
}
