// The loss surface panel (issue 18, item 2): contours of J(W, b) = mean cross-entropy +
// (l2 / 2) ||W||^2 on a plane theta(a, c) = origin + a d1 + c d2 through parameter space, with
// the optimiser's path projected onto it, the current point and the optimum theta* (origin).
// The server computes the surface (playground/landscape_view.py, NumPy, G x G = 60 x 60) on
// pause and every 2 s while playing; between refreshes, when the frames carry the
// full theta = (W.ravel(), b) (two features), this module projects each played frame itself:
// a = (theta - origin) . d1, c = (theta - origin) . d2, and draws the path since the last
// refresh and the current point on a canvas laid over the plot, at most every UPDATE_MS.
// (Plotly.animate would be cheap but removes a contour trace's paths, and a Plotly.restyle
// redraws the contours: 150 ms a call measured here.)
// One plotly.js figure (window.Plotly, loaded by curves.js) and one canvas. Touches only its
// panel; reads `state`; records window.__pg.landscape* (tests).

import { state, perf, b64ToFloat32, fmt } from "./state.js";
import { emit } from "./messages.js";
import { makePanel, panelWidth } from "./panels.js";

const UPDATE_MS = 100;
const PATH = "#ffffff", NOW = "#e8590c";
const { section, body, note, caption } = makePanel("landscape-panel", "Loss surface", 2);
const div = document.createElement("div");
div.setAttribute("role", "figure");
div.setAttribute("aria-label", "Loss surface: contours of J with the optimiser's path");
const live = document.createElement("canvas");
live.setAttribute("aria-hidden", "true");
live.style.cssText = "position:absolute;left:0;top:0;pointer-events:none";
body.append(div, live);

let data = null; // the server's last surface
let shownKey = "";
let lastMove = { t: -Infinity, step: -1 };
let lastAsk = -Infinity;
let size = [0, 0];
let plotted = 0; // path points in the plotly figure (drawn at the last refresh)

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
let livePath = { steps: [], xy: [] };

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

function figure() {
  const { bg, fg, base, font } = state.theme;
  const G = data.grid;
  const flat = b64ToFloat32(data.z);
  // Colour and contour levels on log10(J - J_min + eps): the bowl's floor gets as many
  // levels as its walls (on J itself the far walls take them all). Hover shows J.
  let jmin = Infinity, jmax = -Infinity;
  for (const v of flat) if (isFinite(v)) { if (v < jmin) jmin = v; if (v > jmax) jmax = v; }
  const eps = Math.max(1e-4, 1e-3 * (jmax - jmin));
  const tr = (v) => Math.log10(v - jmin + eps);
  const z = [], text = [];
  for (let r = 0; r < G; r++) {
    const row = [], trow = [];
    for (let c = 0; c < G; c++) {
      const v = flat[r * G + c];
      row.push(isFinite(v) ? tr(v) : null);
      trow.push(isFinite(v) ? v.toFixed(4) : "–");
    }
    z.push(row); text.push(trow);
  }
  const ticks = [];
  for (const q of [0, 0.02, 0.1, 0.3, 1]) ticks.push(jmin + q * (jmax - jmin));
  const grid = base === "dark" ? "rgba(250,250,250,0.16)" : "rgba(49,51,63,0.14)";
  const step = state.current ? state.current.step : data.step;
  const [xs, ys] = pathNow(step);
  plotted = xs.length;
  const traces = [
    { type: "contour", x: data.a, y: data.c, z, text, colorscale: "Viridis", reversescale: false,
      ncontours: 22, contours: { coloring: "heatmap", showlines: true },
      line: { width: 0.6, color: "rgba(255,255,255,0.45)" },
      colorbar: { title: { text: "J(W, b), log scale above its minimum", side: "right",
        font: { color: fg, size: 11 } }, thickness: 12, tickfont: { color: fg }, outlinewidth: 0,
        tickvals: ticks.map(tr), ticktext: ticks.map((v) => v.toPrecision(3)) },
      hovertemplate: "a %{x:.3f}, c %{y:.3f}<br>J = %{text}<extra></extra>" },
    { type: "scatter", mode: "lines", x: xs, y: ys, name: "path",
      line: { color: PATH, width: 2.5 }, hovertemplate: "path: a %{x:.3f}, c %{y:.3f}<extra></extra>" },
  ];
  if (data.optimum) {
    traces.push({ type: "scatter", mode: "markers+text", x: [0], y: [0], name: "θ*",
      text: ["θ*"], textposition: "top right", textfont: { color: "#ffffff", size: 14 },
      marker: { symbol: "star", size: 14, color: "#ffffff", line: { color: "#000000", width: 1 } },
      hovertemplate: "optimum θ*: J = " + fmt(data.optimum_loss) + "<extra></extra>" });
  } else {
    traces.push({ type: "scatter", mode: "markers+text", x: [0], y: [0], name: "start",
      text: ["start θ₀"], textposition: "top right", textfont: { color: "#ffffff", size: 13 },
      marker: { symbol: "circle-open", size: 11, color: "#ffffff" }, hovertemplate: "start<extra></extra>" });
  }
  const what = data.method === "pca" ? "principal direction" : "direction";
  const origin = data.optimum ? "θ*" : "θ₀";
  const axis = (text, range) => ({ title: { text, font: { color: fg, size: 12 }, standoff: 4 },
    range, gridcolor: grid, zerolinecolor: grid, tickfont: { color: fg }, automargin: true });
  const layout = {
    width: size[0], height: size[1], margin: { l: 56, r: 8, t: 8, b: 46 },
    paper_bgcolor: bg, plot_bgcolor: bg, showlegend: false,
    font: { family: font + ", sans-serif", color: fg, size: 12 },
    xaxis: axis("a = (θ − " + origin + ") · d₁, path's " + what + " 1", [data.a[0], data.a[data.a.length - 1]]),
    yaxis: axis("c = (θ − " + origin + ") · d₂, " + what + " 2", [data.c[0], data.c[data.c.length - 1]]),
    uirevision: "landscape",
  };
  return { traces, layout };
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

function draw() {
  const Plotly = window.Plotly;
  if (!Plotly || !data) return;
  const t0 = performance.now();
  const { traces, layout } = figure();
  Plotly.react(div, traces, layout, { displaylogo: false, responsive: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
    toImageButtonOptions: { filename: "softmax-loss-surface", scale: 2 } });
  if (!div.__zoomWatched && div.on) {
    div.__zoomWatched = true;
    div.on("plotly_relayout", () => { lastMove.step = -1; }); // a zoom: redraw the overlay
  }
  caption.textContent = captionText();
  note.hidden = !data.note;
  note.textContent = data.note || "";
  perf.landscapeDraws = (perf.landscapeDraws || 0) + 1;
  perf.landscapeMs = perf.landscapeMs || [];
  perf.landscapeMs.push(performance.now() - t0);
  if (perf.landscapeMs.length > 60) perf.landscapeMs.shift();
}

// The plot area in pixels and its axis ranges, from plotly's laid-out figure.
function plotBox() {
  const fl = div._fullLayout;
  if (!fl || !fl._size) return null;
  const { l, t, w, h } = fl._size;
  return { l, t, w, h, x: fl.xaxis.range, y: fl.yaxis.range };
}

function moveCurrent(now, f) {
  if (!data || !div._fullLayout) return;
  if (f.step === lastMove.step) return;
  if (state.args.playing && now - lastMove.t < UPDATE_MS) return;
  const xy = project(f);
  const lastServer = data.steps[data.steps.length - 1];
  if (xy && f.step > lastServer &&
      (!livePath.steps.length || f.step > livePath.steps[livePath.steps.length - 1])) {
    livePath.steps.push(f.step); livePath.xy.push(xy);
  }
  const [xs, ys] = pathNow(f.step);
  if (!xs.length) return;
  const box = plotBox();
  if (!box) return;
  const dpr = window.devicePixelRatio || 1;
  if (live.width !== Math.round(size[0] * dpr) || live.height !== Math.round(size[1] * dpr)) {
    live.width = Math.round(size[0] * dpr); live.height = Math.round(size[1] * dpr);
    live.style.width = size[0] + "px"; live.style.height = size[1] + "px";
  }
  const ctx = live.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size[0], size[1]);
  const X = (a) => box.l + ((a - box.x[0]) / (box.x[1] - box.x[0])) * box.w;
  const Y = (c) => box.t + (1 - (c - box.y[0]) / (box.y[1] - box.y[0])) * box.h;
  ctx.save();
  ctx.beginPath(); ctx.rect(box.l, box.t, box.w, box.h); ctx.clip();
  // the path drawn by plotly ends at the refresh; continue it from there
  const from = Math.max(0, Math.min(plotted, xs.length) - 1);
  ctx.beginPath();
  for (let i = from; i < xs.length; i++) {
    if (i === from) ctx.moveTo(X(xs[i]), Y(ys[i])); else ctx.lineTo(X(xs[i]), Y(ys[i]));
  }
  ctx.strokeStyle = PATH; ctx.lineWidth = 2.5; ctx.stroke();
  const cur = [xs[xs.length - 1], ys[ys.length - 1]];
  ctx.beginPath(); ctx.arc(X(cur[0]), Y(cur[1]), 6, 0, 2 * Math.PI);
  ctx.fillStyle = NOW; ctx.fill(); ctx.lineWidth = 2; ctx.strokeStyle = "#ffffff"; ctx.stroke();
  ctx.restore();
  lastMove = { t: now, step: f.step };
  perf.landscapeMoves = (perf.landscapeMoves || 0) + 1;
  perf.landscapeCurrent = { step: f.step, a: cur[0], c: cur[1] };
  section.dataset.step = String(f.step);
}

function loop(now) {
  requestAnimationFrame(loop);
  const on = !!(state.args && state.args.landscape_on);
  if (section.hidden === on) { section.hidden = !on; shownKey = ""; }
  if (!on) return;
  const incoming = state.args.landscape;
  if (incoming && incoming !== data && (!data || incoming.z !== data.z || incoming.step !== data.step)) {
    data = incoming;
    livePath = { steps: [], xy: [] };
    shownKey = "";
    perf.landscapeReceived = (perf.landscapeReceived || 0) + 1;
  }
  if (!data || data.run_id !== state.runId) {
    // a message carrying the surface was dropped (an interrupted run) or the run changed
    if (now - lastAsk > 3000 && state.args) { lastAsk = now; emit({ type: "resync" }); }
    if (!data) return;
  }
  const w = panelWidth(), h = Math.round(Math.min(w * 0.8, 460));
  const key = [w, h, state.theme.bg, state.theme.fg, data.z.length, data.step, data.run_id].join("|");
  if (key !== shownKey) {
    size = [w, h];
    div.style.width = w + "px"; div.style.height = h + "px";
    shownKey = key;
    lastMove.step = -1;
    draw();
    if (!window.Plotly) shownKey = "";
    return;
  }
  if (state.current) moveCurrent(now, state.current);
}
requestAnimationFrame(loop);
