// The loss, accuracy and weight-norm curves in #curves: one plotly.js figure with three
// stacked panels on a shared step axis (so one update call, one modebar, one PNG of all
// three). plotly.min.js is the copy shipped inside the plotly Python package, put next to
// this file by playground/component/__init__.py and loaded here without blocking the plane.
// The layout is fixed: rebuilt only when the theme, the log scale, the size or the run
// changes, its axis ranges widened only when the data leave them (then Plotly.react);
// otherwise Plotly.animate moves just the lines, at most every UPDATE_MS while frames play. Touches only #curves; reads `state`; records its
// figures in window.__pg (curveUpdates, curveMs).

import { state, perf, recordMs } from "./state.js";

const UPDATE_MS = 80; // 12 updates a second at 60 Hz (5 display frames); the issue asks >= 10
const div = document.getElementById("curves");
let Plotly = null;
let size = [600, 600];
let layout = null, layoutKey = "";
let shown = { version: -1, length: -1, step: -1 };
let lastUpdate = -Infinity;

function loadPlotly() {
  const script = document.createElement("script");
  script.src = "plotly.min.js";
  script.async = true;
  script.onload = () => { Plotly = window.Plotly; perf.plotlyLoaded = true; };
  script.onerror = () => { div.textContent = "The curves could not load plotly.min.js."; };
  document.head.appendChild(script);
}
loadPlotly();

export function resizeCurves(width, height) {
  size = [Math.round(width), Math.round(height)];
  div.style.width = size[0] + "px";
  div.style.height = size[1] + "px";
  layoutKey = "";
}

const MARGIN = { l: 56, r: 12, t: 4, b: 34 };
const GAP_PX = 10;
// Presenter mode (args.present): tick and axis labels 20 px, titles 20 px, legends 16 px.
const big = () => !!(state.args && state.args.present);
const titlePx = () => (big() ? 30 : 22);

// Rows from the top: loss, accuracy, ||W||, each with its title above it and its legend
// below it, in paper fractions computed from pixels (so the legends never cover a panel).
// Legends wrap on narrow screens: allow two lines for the loss legend.
function rows() {
  const h = size[1] - MARGIN.t - MARGIN.b;
  const line = big() ? 30 : 24;
  const legendPx = [size[0] < 520 || big() ? 2 * line - 4 : line, line, 0];
  const free = h - 3 * titlePx() - legendPx[0] - legendPx[1] - 2 * GAP_PX;
  const plot = [free * 0.4, free * 0.3, free * 0.3];
  const out = [];
  let top = h;
  for (let i = 0; i < 3; i++) {
    const y1 = top - titlePx(), y0 = y1 - plot[i];
    out.push({ domain: [Math.max(0, y0 / h), y1 / h], title: y1 / h, legend: (y0 - 6) / h,
      px: plot[i] });
    top = y0 - legendPx[i] - GAP_PX;
  }
  return out;
}

function axisStyle(grid, fg) {
  return { gridcolor: grid, zerolinecolor: grid, linecolor: grid, tickfont: { color: fg },
    automargin: true, exponentformat: "power" };
}

function buildLayout() {
  const { bg, fg, base, font } = state.theme;
  const log = !!state.args.log_scale;
  const grid = base === "dark" ? "rgba(250,250,250,0.16)" : "rgba(49,51,63,0.14)";
  const r = rows();
  const y = (row, extra) => Object.assign(axisStyle(grid, fg), { domain: r[row].domain,
    anchor: "x" }, extra);
  const title = (row, text) => ({ text: "<b>" + text + "</b>", xref: "paper", yref: "paper",
    x: 0, y: r[row].title, xanchor: "left", yanchor: "bottom", showarrow: false,
    font: { size: big() ? 20 : 14, color: fg } });
  const legend = (row) => ({ orientation: "h", x: 0, xanchor: "left", y: r[row].legend,
    yanchor: "top", itemwidth: 30, font: { size: big() ? 16 : 12, color: fg },
    bgcolor: "rgba(0,0,0,0)" });
  return {
    width: size[0], height: size[1], margin: MARGIN,
    paper_bgcolor: bg, plot_bgcolor: bg,
    font: { family: font + ", sans-serif", color: fg, size: big() ? 20 : 12 },
    hovermode: "closest",
    hoverlabel: { font: { family: font + ", sans-serif" } },
    uirevision: "curves", // a user's zoom survives the updates
    showlegend: true,
    xaxis: Object.assign(axisStyle(grid, fg), { anchor: "y3", autorange: false,
      title: { text: "step", font: { color: fg }, standoff: 4 } }),
    yaxis: y(0, { type: log ? "log" : "linear", autorange: false, dtick: log ? "D2" : undefined }),
    yaxis2: y(1, { range: [0, 1.02], autorange: false, tickformat: ".0%" }),
    yaxis3: y(2, { type: log ? "log" : "linear", autorange: false, dtick: log ? "D2" : undefined }),
    legend: legend(0),
    legend2: legend(1),
    annotations: [
      title(0, "Loss (" + (log ? "log scale" : "linear") + ")"),
      title(1, "Accuracy"),
      title(2, "Weight norm ‖W‖"),
    ],
    datarevision: 0,
  };
}

// name: the legend's short label; long: what the hover label calls the value.
function trace(name, long, ys, color, extra) {
  return Object.assign({ type: "scatter", mode: "lines", name, x: state.history.step,
    y: ys.map(drawable),
    line: { color, width: 2 },
    hovertemplate: "step %{x}<br>" + long + ": %{y:.4g}<extra></extra>" }, extra);
}

function traces() {
  const h = state.history;
  const c = state.args.curve_colors;
  const total = h.train_ce.map((v, i) => (v === null || h.l2_term[i] === null ? null : v + h.l2_term[i]));
  const acc = (name) => "step %{x}<br>" + name + ": %{y:.1%}<extra></extra>";
  return [
    trace("train CE", "train cross-entropy", h.train_ce, c.train),
    trace("test CE", "test cross-entropy", h.test_ce, c.test,
      { line: { color: c.test, width: 2, dash: "dash" } }),
    trace("L2 term", "L2 term (l2/2)‖W‖²", h.l2_term, c.l2),
    trace("train total", "train CE + L2 term", total, c.total,
      { line: { color: c.total, width: 2, dash: "dot" } }),
    trace("train", "train accuracy", h.train_acc, c.train,
      { yaxis: "y2", legend: "legend2", hovertemplate: acc("train accuracy") }),
    trace("test", "test accuracy", h.test_acc, c.test, { yaxis: "y2", legend: "legend2",
      line: { color: c.test, width: 2, dash: "dash" }, hovertemplate: acc("test accuracy") }),
    trace("‖W‖", "‖W‖", h.w_norm, c.total, { yaxis: "y3", showlegend: false }),
  ];
}

// Fixed axis ranges with headroom, widened only when the data leave them: x doubles, the
// loss and ||W|| grow (log scale: by a quarter of the span more than needed). Between
// widenings only the lines move, which Plotly.animate(..., {redraw: false}) does for about a
// third of the cost of a full Plotly.react (axes, legends, modebar): measured 16 vs 48 ms per
// update in headless Chromium on the loaded 2-core machine, 300 points a curve.
// A diverging run reaches 1e+306 before it overflows: Plotly was seen to freeze the page for
// 3 to 4 minutes laying out tick labels for such ranges. Values beyond CAP are not drawn (a
// gap in the curve; the divergence alert says what happened) and never widen an axis.
const CAP = 1e100;
const drawable = (v) => (v === null || !isFinite(v) || Math.abs(v) > CAP ? null : v);

function extent(arrays, log) {
  let lo = Infinity, hi = -Infinity;
  for (const a of arrays) for (const v of a) {
    if (drawable(v) === null || (log && v <= 0)) continue;
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
// every decade up to 10, then every n-th decade. "D2" over the 140 decades of a diverging run
// made Plotly measure some 400 labels again and again (autoMargin): the page froze for minutes.
// At most one label per LABEL_PX of the panel's height (a "10^-2" label is about 16 px tall
// at 12 px, 30 px in presenter mode at 20 px): the weight-norm panel of a 1400 x 900 window
// (about 100 px) piled up 9 labels over 3 decades, and the loss panel of a 1280 x 720
// projector 8.
const LABEL_PX = 18, BIG_LABEL_PX = 30;
function logDtick(range, panelPx) {
  const span = range[1] - range[0];
  const most = Math.max(2, Math.floor(panelPx / (big() ? BIG_LABEL_PX : LABEL_PX)));
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
function neededRanges(data, log) {
  const h = state.history;
  const last = h.step.length ? h.step[h.step.length - 1] : 0;
  const loss = extent(data.slice(0, 4).map((t) => t.y), log);
  const norm = extent([h.w_norm], log);
  if (ranges && last <= ranges.x[1] && fits(ranges.loss, loss, log) && fits(ranges.norm, norm, log)) {
    return null;
  }
  return { x: [h.step.length ? h.step[0] : 0, xEnd(last)], loss: freshRange(loss, log),
    norm: freshRange(norm, log) };
}

const CONFIG = { displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };
let ranges = null;

/** Redraw the curves if the history changed and UPDATE_MS has passed (call every tick). */
export function updateCurves(now) {
  if (!Plotly || !state.args || !state.history) return;
  const h = state.history;
  const log = !!state.args.log_scale;
  const key = [state.theme.bg, state.theme.fg, state.theme.font, log, big(),
    size[0], size[1], JSON.stringify(state.args.curve_colors)].join("|");
  const newHistory = shown.version !== state.historyVersion;
  if (key === layoutKey && !newHistory && shown.length === h.step.length) return;
  if (key === layoutKey && now - lastUpdate < UPDATE_MS && state.args.playing) return;
  const t0 = performance.now();
  const data = traces();
  if (key !== layoutKey || newHistory) {
    layout = buildLayout();
    layoutKey = key;
    ranges = null;
  }
  const wider = neededRanges(data, log);
  if (wider) {
    ranges = wider;
    layout.xaxis.range = ranges.x;
    layout.yaxis.range = ranges.loss;
    layout.yaxis3.range = ranges.norm;
    if (log) {
      const r = rows();
      layout.yaxis.dtick = logDtick(ranges.loss, r[0].px);
      layout.yaxis3.dtick = logDtick(ranges.norm, r[2].px);
    }
    layout.datarevision += 1;
    CONFIG.toImageButtonOptions = { filename: "softmax-playground-curves", scale: 2 };
    Plotly.react(div, data, layout, CONFIG);
    perf.curveReacts = (perf.curveReacts || 0) + 1;
  } else {
    Plotly.animate(div, { data: data.map((t) => ({ x: t.x, y: t.y })), traces: data.map((_, i) => i) },
      { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: "immediate" });
  }
  shown = { version: state.historyVersion, length: h.step.length };
  lastUpdate = now;
  perf.curveUpdates = (perf.curveUpdates || 0) + 1;
  perf.curveMs = perf.curveMs || [];
  recordMs("curveMs", t0, 120);
}
