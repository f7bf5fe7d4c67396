// The loss, accuracy and weight-norm curves in #curves: three stacked panels on a shared step
// axis, drawn on a canvas by linechart.js (one picture, one hover label, one PNG of all three).
// Why not plotly.js: see linechart.js (its loading blocked the page's Play/Pause for seconds).
// The axis ranges are fixed with headroom and widened only when the data leave them, so the
// picture does not jump while it grows; redrawn at most every UPDATE_MS while frames play.
// Touches only #curves; reads `state`; records its figures in window.__pg (curveUpdates,
// curveMs).

import { state, perf, recordMs } from "./state.js";
import { createLineChart, drawable } from "./linechart.js";

const UPDATE_MS = 80; // 12 updates a second at 60 Hz (5 display frames); the issue asks >= 10
const div = document.getElementById("curves");
const chart = createLineChart(div, {
  label: "Loss, accuracy and weight norm over steps",
  filename: "softmax-playground-curves.png",
  buttonLabel: "Download the curves as PNG",
});
let size = [600, 600];
let layoutKey = "";
let shown = { version: -1, length: -1 };
let lastUpdate = -Infinity;
let ranges = null;

export function resizeCurves(width, height) {
  size = [Math.round(width), Math.round(height)];
  div.style.width = size[0] + "px";
  div.style.height = size[1] + "px";
  chart.resize(size[0], size[1]);
  layoutKey = "";
}

// Presenter mode (args.present): tick and axis labels 20 px, titles 20 px, legends 16 px.
const big = () => !!(state.args && state.args.present);
const DASH = [7, 4], DOT = [2, 3];

function series(name, long, ys, color, extra) {
  return Object.assign({ name, long, x: state.history.step, y: ys, color, format: "g4" }, extra);
}

function panels(log) {
  const h = state.history;
  const c = state.args.curve_colors;
  const total = h.train_ce.map((v, i) => (v === null || h.l2_term[i] === null ? null : v + h.l2_term[i]));
  const yLog = (range, dtick) => (log ? { type: "log", range, dtick } : { type: "linear", range });
  return [
    { title: "Loss (" + (log ? "log scale" : "linear") + ")", share: 0.4,
      y: yLog(ranges.loss, ranges.lossDtick),
      series: [
        series("train CE", "train cross-entropy", h.train_ce, c.train),
        series("test CE", "test cross-entropy", h.test_ce, c.test, { dash: DASH }),
        series("L2 term", "L2 term (l2/2)‖W‖²", h.l2_term, c.l2),
        series("train total", "train CE + L2 term", total, c.total, { dash: DOT }),
      ] },
    { title: "Accuracy", share: 0.3, y: { type: "percent", range: [0, 1.02] },
      series: [
        series("train", "train accuracy", h.train_acc, c.train, { format: "pct" }),
        series("test", "test accuracy", h.test_acc, c.test, { format: "pct", dash: DASH }),
      ] },
    { title: "Weight norm ‖W‖", share: 0.3, y: yLog(ranges.norm, ranges.normDtick),
      series: [series("‖W‖", "‖W‖", h.w_norm, c.total, { legend: false })] },
  ];
}

function summary() {
  const h = state.history, n = h.step.length;
  if (!n) return "Loss, accuracy and weight norm over steps: no steps yet";
  const last = (a) => a[n - 1];
  const f = (v, pct) => (v === null || !isFinite(v) ? "–" : pct ? (100 * v).toFixed(1) + "%" : v.toPrecision(3));
  return "Curves up to step " + last(h.step) + ": train cross-entropy " + f(last(h.train_ce)) +
    ", test " + f(last(h.test_ce)) + "; accuracy train " + f(last(h.train_acc), true) +
    ", test " + f(last(h.test_acc), true) + "; weight norm " + f(last(h.w_norm));
}

// Fixed axis ranges with headroom, widened only when the data leave them: x doubles, the
// loss and ||W|| grow (log scale: by a quarter of the span more than needed), so the picture
// does not jump at every frame. A diverging run reaches 1e+306 before it overflows: values
// beyond linechart.js's CAP (1e100) are not drawn (a gap in the curve; the divergence alert
// says what happened) and never widen an axis.
function extent(arrays, log) {
  let lo = Infinity, hi = -Infinity;
  for (const a of arrays) for (const v of a) {
    if (!drawable(v, log)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi >= lo ? [lo, hi] : null;
}

function freshRange(e, log) {
  if (!e) return log ? [-2, 1] : [0, 1];
  if (!log) return [0, e[1] * 1.25 || 1];
  const a = Math.log10(e[0]), b = Math.log10(e[1]), span = Math.max(b - a, 0.3);
  return [a - 0.25 * span - 0.05, b + 0.1 * span + 0.05];
}

// Log-axis ticks for a range of log10 values: 1, 2, 5 in each decade over a few decades,
// every decade up to 10, then every n-th decade (a diverging run spans 140 decades: 400 labels
// at 1, 2, 5 would be a smear). In presenter mode (20 px labels) also at most one label per
// 30 px of the panel's height: the loss panel of a 1280 x 720 projector is about 100 px.
function logDtick(range, panelPx) {
  const span = range[1] - range[0];
  const most = big() ? Math.max(2, Math.floor(panelPx / 30)) : Infinity;
  if (span <= 4 && 3 * span <= most) return "D2";
  if (span <= 10 && span <= most) return 1;
  return Math.ceil(span / Math.min(8, most));
}

function fits(range, e, log) {
  if (!e) return true;
  return log ? Math.log10(e[0]) >= range[0] && Math.log10(e[1]) <= range[1] : e[1] <= range[1];
}

function xEnd(last) {
  let end = 100;
  while (end < last * 1.02) end *= 2;
  return end;
}

// The ranges the current data need: null where the shown ones still fit.
function neededRanges(log) {
  const h = state.history;
  const last = h.step.length ? h.step[h.step.length - 1] : 0;
  const total = h.train_ce.map((v, i) => (v === null || h.l2_term[i] === null ? null : v + h.l2_term[i]));
  const loss = extent([h.train_ce, h.test_ce, h.l2_term, total], log);
  const norm = extent([h.w_norm], log);
  if (ranges && last <= ranges.x[1] && fits(ranges.loss, loss, log) && fits(ranges.norm, norm, log)) {
    return null;
  }
  return { x: [h.step.length ? h.step[0] : 0, xEnd(last)], loss: freshRange(loss, log),
    norm: freshRange(norm, log) };
}

/** Redraw the curves if the history changed and UPDATE_MS has passed (call every tick). */
export function updateCurves(now) {
  if (!state.args || !state.history) return;
  const h = state.history;
  const log = !!state.args.log_scale;
  const key = [state.theme.bg, state.theme.fg, state.theme.font, log, big(),
    size[0], size[1], JSON.stringify(state.args.curve_colors)].join("|");
  const newHistory = shown.version !== state.historyVersion;
  if (key === layoutKey && !newHistory && shown.length === h.step.length) return;
  if (key === layoutKey && now - lastUpdate < UPDATE_MS && state.args.playing) return;
  const t0 = performance.now();
  if (key !== layoutKey || newHistory) { layoutKey = key; ranges = null; }
  const wider = neededRanges(log);
  if (wider) {
    ranges = wider;
    if (log) {
      const panelPx = (size[1] - 160) * 0.3;
      ranges.lossDtick = logDtick(ranges.loss, panelPx * 4 / 3);
      ranges.normDtick = logDtick(ranges.norm, panelPx);
    }
  }
  const { bg, fg, base, font } = state.theme;
  chart.draw({
    theme: { bg, fg, font, grid: base === "dark" ? "rgba(250,250,250,0.16)" : "rgba(49,51,63,0.14)" },
    fonts: big() ? { tick: 20, title: 20, legend: 16 } : { tick: 12, title: 14, legend: 12 },
    x: { range: ranges.x, title: "step" },
    panels: panels(log),
    summary: summary(),
  });
  shown = { version: state.historyVersion, length: h.step.length };
  lastUpdate = now;
  perf.curveUpdates = (perf.curveUpdates || 0) + 1;
  recordMs("curveMs", t0, 120);
}
