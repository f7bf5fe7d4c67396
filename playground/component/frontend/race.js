// The optimiser race (issue 18, item 3; playground/race_view.py): two to four lanes that start
// from the same weights and step in lockstep with the played frames. Each lane's decision
// boundaries are drawn as a ghost over the plane (one dash pattern per lane) on a canvas of
// its own, laid over #overlay under the handles; their objectives share one chart (linechart.js)
// in the "Optimiser race" panel, with the optimum's J(theta*) as the finish line, and the
// caption names the first lane within 1e-3 of it (the server's standing). Own animation loop;
// touches #race-ghosts and its panel; reads `state`; records window.__pg.race* (tests).

import { state, perf, toPx, recordMs } from "./state.js";
import { boundarySegments } from "./regions.js";
import { makePanel, panelWidth } from "./panels.js";
import { createLineChart, drawable, formatValue } from "./linechart.js";

const UPDATE_MS = 250; // the chart: 4 updates a second
const DASHES = [[10, 5], [2, 4], [12, 4, 2, 4], [5, 3, 1, 3]];
const COLORS = ["#111111", "#7048e8", "#e8590c", "#0c8599"];
const { section, body, note, caption } = makePanel("race-panel", "Optimiser race", 3);
const chart = createLineChart(body, {
  label: "Objective of each lane of the race over steps",
  filename: "softmax-playground-race.png",
  buttonLabel: "Download the race chart as PNG",
});

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

// Log axis with headroom, like the curves' loss panel; the finish line J(theta*) inside it.
function yRange(info) {
  let lo = Infinity, hi = -Infinity;
  for (const l of series.loss) for (const v of l) if (drawable(v, true)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (info.target !== null && info.target > 0) { lo = Math.min(lo, info.target); hi = Math.max(hi, info.target); }
  if (!(hi >= lo)) return [-2, 1];
  const a = Math.log10(lo), b = Math.log10(hi), span = Math.max(b - a, 0.3);
  return [a - 0.1 * span - 0.05, b + 0.1 * span + 0.05];
}

function updateChart(now, info) {
  if (!series) return;
  const last = series.step.length ? series.step[series.step.length - 1] : -1;
  const w = panelWidth(), h = Math.round(Math.min(w * 0.62, 340));
  const key = [w, h, state.theme.bg, state.theme.fg, info.labels.join("|"), info.target].join("|");
  if (last === shown.step && key === shown.layoutKey) return;
  if (state.args.playing && now - shown.t < UPDATE_MS && key === shown.layoutKey) return;
  const t0 = performance.now();
  const { bg, fg, base, font } = state.theme;
  chart.resize(w, h);
  const range = yRange(info);
  chart.draw({
    theme: { bg, fg, font, grid: base === "dark" ? "rgba(250,250,250,0.16)" : "rgba(49,51,63,0.14)" },
    fonts: { tick: 12, title: 14, legend: 12 },
    x: { range: [series.step.length ? series.step[0] : 0, Math.max(10, last * 1.05)], title: "step" },
    panels: [{
      title: "J(W, b)", share: 1,
      y: { type: "log", range, dtick: range[1] - range[0] <= 3 ? "D2" : 1 },
      hline: info.target === null ? undefined : { y: info.target, label: "J(θ*)" },
      series: info.labels.map((label, i) => ({
        name: label, x: series.step, y: series.loss[i], color: COLORS[i % COLORS.length],
        dash: DASHES[i % DASHES.length],
        hover: (x, y) => label + "\nstep " + x + ": J = " + formatValue(y, "g5"),
      })),
    }],
    summary: "Objective of each lane over steps: " + info.labels.map((l, i) => {
      const v = series.loss[i][series.loss[i].length - 1];
      return l + " " + (drawable(v, true) ? v.toPrecision(4) : "–");
    }).join(", ") + (info.target === null ? "" : "; J(θ*) " + info.target.toPrecision(4)),
  });
  shown.step = last; shown.t = now; shown.layoutKey = key;
  perf.raceChartUpdates = (perf.raceChartUpdates || 0) + 1;
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
  note.textContent = info.text;
  perf.raceText = info.text;
}
requestAnimationFrame(loop);
window.addEventListener("resize", () => { ghostStep = -1; shown.layoutKey = ""; });
