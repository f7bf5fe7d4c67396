// The frame loop (requestAnimationFrame): plays the server's queued frames back at args.fps
// whatever the display rate, appends each played frame's metrics to state.history, and
// repaints what changed (regions, overlay, the status line; the curves at their own rate). Updates the figures in
// window.__pg and the body's data-step / data-frames-drawn attributes (tests wait on them).
// The readout names its loss: the training objective, mean cross-entropy on the training
// points plus the L2 term (the curve "train total"), then train and test accuracy.
// Touches #step-counter, #readout and body data-*; the painters own their elements.

import { state, perf, fmt, HISTORY_KEYS, recordMs } from "./state.js";
import { drawRegions } from "./regions.js";
import { drawOverlay } from "./overlay.js";
import { updateCurves } from "./curves.js";
import { updateLegend } from "./legend.js";

const stepCounter = document.getElementById("step-counter");
const readout = {
  loss: document.getElementById("readout-loss"),
  train: document.getElementById("readout-train"),
  test: document.getElementById("readout-test"),
};
readout.loss.title = "The training objective: mean cross-entropy on the training points " +
  "plus the L2 term (the curve \u201ctrain total\u201d)";

const pct = (v) => (v === null || v === undefined || !isFinite(v) ? "–" : (100 * v).toFixed(1) + "%");

function appendHistory(f) {
  const h = state.history;
  if (h.step.length && h.step[h.step.length - 1] >= f.step) return;
  h.step.push(f.step);
  for (const key of HISTORY_KEYS) h[key].push(f[key]);
  if (h.step.length > 4000) {
    for (const key of Object.keys(h)) h[key] = h[key].filter((_, i) => i % 2 === 0);
    state.historyVersion += 1;
  }
}

// Frames to show this tick: an accumulator of frames due at `fps` a second.
function popDue(now) {
  const fps = state.args.fps || 60;
  let popped = null;
  const dt = state.prevNow ? Math.min(250, now - state.prevNow) : 0;
  state.prevNow = now;
  if (state.queue.length) {
    // Round, not floor: with rAF jitter (10 ms, then 23 ms) a 60 Hz display still takes
    // exactly one frame per tick; a 120 Hz display takes one every other tick.
    state.due = Math.min(4, state.due + (dt * fps) / 1000);
    let take = state.due >= 0.5 ? Math.round(state.due) : 0;
    if (!state.current || state.forceNext) { take = Math.max(take, 1); state.forceNext = false; }
    state.due = Math.max(-1, state.due - take);
    // Keep the lag behind the server short: catch up when the queue grows past what the
    // server's pacing means to keep (args.queue_s: its lead plus one timer interval).
    const excess = state.queue.length - Math.ceil(fps * (state.args.queue_s || 0.6));
    if (excess > 0) take += Math.ceil(excess / 16);
    take = Math.min(take, state.queue.length);
    while (take-- > 0) {
      popped = state.queue.shift();
      appendHistory(popped);
    }
  } else {
    state.due = Math.min(state.due, 1);
  }
  perf.queueLength = state.queue.length;
  perf.qHist = perf.qHist || [];
  perf.qHist.push(state.queue.length * (popped ? 1 : -1));
  if (perf.qHist.length > 300) perf.qHist.shift();
  return popped;
}

function tick(now) {
  requestAnimationFrame(tick);
  perf.ticks += 1;
  if (!state.args) return;
  const popped = popDue(now);
  if (popped) {
    state.current = popped;
    state.dirty = true;
  }
  if (state.current && state.dirty) paint(popped);
  updateCurves(now); // rate-limited inside; after the paint, so a slow update delays no frame
}

function paint(popped) {
  const t0 = performance.now();
  const f = state.current;
  drawRegions(f);
  drawOverlay(f);
  stepCounter.textContent = "Step " + f.step;
  const loss = f.train_ce === null ? null : f.train_ce + (f.l2_term || 0);
  // the separator ends the loss, so a wrapped line starts with "acc", not with "·"
  readout.loss.textContent = "loss (train CE + L2) " + fmt(loss) + " ·";
  const hasTest = f.test_acc !== null && f.test_acc !== undefined && isFinite(f.test_acc);
  readout.train.textContent = "acc train " + pct(f.train_acc) + (hasTest ? "," : "");
  readout.test.textContent = hasTest ? "test " + pct(f.test_acc) : "";
  updateLegend();
  perf.step = f.step;
  if (popped) perf.framesDrawn += 1;
  state.dirty = false;
  recordMs("drawMs", t0, 240);
  if (perf.pendingRelease && perf.pendingRelease.acked && popped) {
    perf.releaseLatencies.push(performance.now() - perf.pendingRelease.t0);
    perf.pendingRelease = null;
  }
  document.body.dataset.step = String(f.step);
  document.body.dataset.framesDrawn = String(perf.framesDrawn);
}

export function startPlayback() {
  requestAnimationFrame(tick);
}
