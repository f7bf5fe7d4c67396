// The optimiser race (issue 18, item 3; playground/race_view.py): two to four lanes that start
// from the same weights and step in lockstep with the played frames. Each lane's decision
// boundaries are drawn as a ghost over the plane (one dash pattern per lane) on a canvas of
// its own, laid over #overlay under the handles; their objectives share one plotly.js chart
// in the "Optimiser race" panel, with the optimum's J(theta*) as the finish line, and the
// caption names the first lane within 1e-3 of it (the server's standing). Own animation loop;
// touches #race-ghosts and its panel; reads `state`; records window.__pg.race* (tests).

import { state, perf, toPx, recordMs } from "./state.js";
import { boundarySegments } from "./regions.js";
import { makePanel, panelWidth } from "./panels.js";

const UPDATE_MS = 250; // the chart: 4 updates a second (a plotly update is 10-20 ms here)
const DASHES = [[10, 5], [2, 4], [12, 4, 2, 4], [5, 3, 1, 3]];
const COLORS = ["#111111", "#7048e8", "#e8590c", "#0c8599"];
const { section, body, note, caption } = makePanel("race-panel", "Optimiser race", 3);
const chart = document.createElement("div");
chart.setAttribute("role", "figure");
chart.setAttribute("aria-label", "Objective of each lane of the race over steps");
body.appendChild(chart);

const ghosts = document.createElement("canvas");
ghosts.id = "race-ghosts";
ghosts.setAttribute("aria-hidden", "true");
ghosts.style.pointerEvents = "none";
const mainDiv = document.getElementById("main");
mainDiv.insertBefore(ghosts, document.getElementById("handles"));

let series = null; // {key, step: [], loss: [[...] per lane]}
let shown = { step: -1, t: -Infinity, layoutKey: "" };
let ghostStep = -1;

function resetSeries(info) {
  const n = info.labels.length;
  series = { key: info.labels.join("|") + "|" + state.runId, step: [], loss: Array.from({ length: n }, () => []) };
  if (info.history) {
    series.step = info.history.step.slice();
    series.loss = info.history.loss.map((l) => l.slice());
  }
}

function append(f) {
  const r = f.race;
  if (!r || !series || r.lanes.length !== series.loss.length) return;
  const last = series.step.length ? series.step[series.step.length - 1] : -1;
  if (r.step === last) return;
  if (r.step < last) {
    // the server's history runs ahead of the frame on screen (its 0.3 s buffer), or the race
    // started over: keep only the points before this frame
    let n = series.step.length;
    while (n > 0 && series.step[n - 1] >= r.step) n -= 1;
    series.step.length = n;
    for (const l of series.loss) l.length = n;
  }
  series.step.push(r.step);
  r.lanes.forEach((lane, i) => series.loss[i].push(lane.loss));
}

function drawGhosts(f) {
  const size = state.size, dpr = window.devicePixelRatio || 1;
  if (ghosts.width !== Math.round(size * dpr)) {
    ghosts.width = Math.round(size * dpr); ghosts.height = Math.round(size * dpr);
    ghosts.style.width = size + "px"; ghosts.style.height = size + "px";
    ghosts.style.position = "absolute"; ghosts.style.left = "0"; ghosts.style.top = "0";
  }
  const ctx = ghosts.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size, size);
  if (!f.race) return;
  f.race.lanes.forEach((lane, i) => {
    ctx.setLineDash(DASHES[i % DASHES.length]);
    ctx.lineWidth = 2;
    ctx.strokeStyle = COLORS[i % COLORS.length];
    ctx.globalAlpha = 0.85;
    for (const s of boundarySegments(lane)) {
      const [a, b] = toPx(s[0], s[1]), [c, d] = toPx(s[2], s[3]);
      ctx.beginPath(); ctx.moveTo(a, b); ctx.lineTo(c, d); ctx.stroke();
    }
  });
  ctx.setLineDash([]); ctx.globalAlpha = 1;
  perf.raceGhostStep = f.step;
}

function figure(info) {
  const { bg, fg, base, font } = state.theme;
  const grid = base === "dark" ? "rgba(250,250,250,0.16)" : "rgba(49,51,63,0.14)";
  const traces = info.labels.map((label, i) => ({
    type: "scatter", mode: "lines", name: label, x: series.step, y: series.loss[i],
    line: { color: COLORS[i % COLORS.length], width: 2, dash: ["dash", "dot", "dashdot", "longdashdot"][i % 4] },
    hovertemplate: label + "<br>step %{x}: J = %{y:.5g}<extra></extra>",
  }));
  const w = panelWidth(), h = Math.round(Math.min(w * 0.62, 340));
  const layout = {
    width: w, height: h, margin: { l: 56, r: 10, t: 8, b: 40 },
    paper_bgcolor: bg, plot_bgcolor: bg, font: { family: font + ", sans-serif", color: fg, size: 12 },
    xaxis: { title: { text: "step", font: { color: fg } }, gridcolor: grid, zerolinecolor: grid, tickfont: { color: fg } },
    yaxis: { title: { text: "J(W, b)", font: { color: fg } }, type: "log", gridcolor: grid, zerolinecolor: grid, tickfont: { color: fg } },
    legend: { orientation: "h", x: 0, y: 1.0, yanchor: "bottom", font: { color: fg } },
    shapes: info.target === null ? [] : [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: info.target, y1: info.target,
      line: { color: fg, width: 1, dash: "dot" } }],
    annotations: info.target === null ? [] : [{ xref: "paper", x: 1, y: Math.log10(info.target), xanchor: "right",
      yanchor: "bottom", showarrow: false, text: "J(θ*)", font: { color: fg, size: 11 } }],
    uirevision: "race",
  };
  return { traces, layout, key: [w, h, bg, fg, info.labels.join("|"), info.target].join("|") };
}

function updateChart(now, info) {
  const Plotly = window.Plotly;
  if (!Plotly || !series) return;
  const last = series.step.length ? series.step[series.step.length - 1] : -1;
  if (last === shown.step && shown.layoutKey) return;
  if (state.args.playing && now - shown.t < UPDATE_MS && shown.layoutKey) return;
  const t0 = performance.now();
  const { traces, layout, key } = figure(info);
  // a full react when the layout changed or every 2 s (the y range follows the data);
  // otherwise move the lines only (cheap: the chart has no contour)
  if (key !== shown.layoutKey || now - (shown.reactT || 0) > 2000) {
    Plotly.react(chart, traces, layout, { displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] });
    shown.layoutKey = key; shown.reactT = now;
  } else {
    Plotly.animate(chart, { data: traces.map((t) => ({ x: t.x, y: t.y })), traces: traces.map((_, i) => i) },
      { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: "immediate" });
  }
  shown.step = last; shown.t = now;
  perf.raceChartUpdates = (perf.raceChartUpdates || 0) + 1;
  perf.raceChartMs = perf.raceChartMs || [];
  recordMs("raceChartMs", t0, 60);
}

function loop(now) {
  requestAnimationFrame(loop);
  const info = state.args && state.args.race;
  const on = !!info;
  if (section.hidden === on) { section.hidden = !on; shown.layoutKey = ""; }
  ghosts.style.display = on ? "block" : "none";
  if (!on || !state.current) return;
  const key = info.labels.join("|") + "|" + state.runId;
  if (!series || series.key !== key || info.history) {
    if (!series || series.key !== key || info.history !== series.fromHistory) {
      resetSeries(info);
      series.fromHistory = info.history;
      shown.layoutKey = "";
    }
  }
  const f = state.current;
  if (f.step !== ghostStep) {
    append(f);
    drawGhosts(f);
    ghostStep = f.step;
  }
  updateChart(now, info);
  caption.textContent = "Each lane starts from the same weights and takes the same number of " +
    "steps per frame; its boundaries are the dashed ghosts on the plane (line style as in the " +
    "legend), and its objective is the line of the same style: watch which reaches the dotted " +
    "finish line J(θ*) first.";
  note.hidden = false;
  note.textContent = standing(info, f.step);
  perf.raceText = note.textContent;
}

// The server's sentence, unless it names a winner the view has not played to yet: the
// server computes its chunk of frames ahead of what the view shows, so "first, at step 180"
// could appear while the picture is at step 24.
function standing(info, step) {
  const w = info.winner;
  if (w === null || w === undefined || info.arrived[w] === null || info.arrived[w] <= step) {
    return info.text;
  }
  return "Step " + step + ": " + info.waiting + "."; // the server's words (race_view.py)
}
requestAnimationFrame(loop);
window.addEventListener("resize", () => { ghostStep = -1; shown.layoutKey = ""; });
