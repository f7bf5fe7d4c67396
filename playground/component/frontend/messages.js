// Messages to and from the Streamlit server (components v1 postMessage protocol):
// componentReady, setFrameHeight and setComponentValue out; "streamlit:render" in.
// A render message is applied to `state` here (points, centres, history, the frame queue);
// what to redraw after it is the caller's business (the `afterRender` hook from main.js).
// Touches `state`, `perf` and the CSS variables --bg/--fg; draws nothing.
//
// Events sent back (setComponentValue): {type: "move", cls, x, y, id} when a centre is
// dropped or moved with the keyboard, {type: "select", index, id} when a point is clicked,
// {type: "resync", id} when the view holds older data than the server describes.

import { state, perf, b64ToBytes, b64ToFloat32, emptyHistory } from "./state.js";

const sessionTag = Math.random().toString(36).slice(2, 8);
let eventCounter = 0;
let lastHeight = -1;
let lastResync = -Infinity;

function send(type, data) {
  window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type }, data), "*");
}

/** Send a user event to the server; returns its id (the server acks it in args.ack). */
export function emit(event) {
  eventCounter += 1;
  event.id = sessionTag + "-" + eventCounter;
  send("streamlit:setComponentValue", { value: event, dataType: "json" });
  return event.id;
}

export function setHeight() {
  const h = Math.ceil(document.getElementById("root").getBoundingClientRect().height) + 4;
  if (h !== lastHeight) {
    lastHeight = h;
    send("streamlit:setFrameHeight", { height: h });
  }
}

/** Listen for render messages; afterRender(first) runs after each is applied. */
export function startMessages(afterRender) {
  window.addEventListener("message", (msg) => {
    const data = msg.data;
    if (!data || data.type !== "streamlit:render") return;
    const first = state.args === null;
    applyRender(data.args || {}, data.theme);
    afterRender(first);
  });
  send("streamlit:componentReady", { apiVersion: 1 });
}

function applyTheme(theme) {
  state.theme = {
    bg: theme.backgroundColor || "#ffffff",
    fg: theme.textColor || "#31333f",
    base: theme.base || "light",
    font: theme.font || "sans-serif",
  };
  document.documentElement.style.setProperty("--bg", state.theme.bg);
  document.documentElement.style.setProperty("--fg", state.theme.fg);
}

function applyRender(args, theme) {
  perf.messages += 1;
  perf.msgTimes.push([performance.now(), (args.frames || []).length]);
  if (perf.msgTimes.length > 600) perf.msgTimes.shift();
  const bytes = JSON.stringify(args).length;
  perf.bytes += bytes;
  perf.lastMessageBytes = bytes;
  if (theme) applyTheme(theme);
  state.args = args;
  if (args.points) {
    state.X = b64ToFloat32(args.points.xy);
    state.labels = b64ToBytes(args.points.labels);
    state.isTest = b64ToBytes(args.points.is_test);
    state.n = state.labels.length;
    state.dataVersion = args.data_version;
    perf.pointsVersion += 1;
  }
  state.centresServer = args.centres.map((c) => c.slice());
  // A local (dragged) centre wins until the server has data that includes it.
  for (const k of Object.keys(state.pending)) {
    if (state.pending[k].version < args.data_version || k >= args.centres.length) {
      delete state.pending[k];
    }
  }
  // ...and the centre under the pointer stays where the pointer put it (else a message
  // arriving mid-drag snaps it back, and a release right after drops the move).
  state.centresLocal = args.centres.map((c, k) =>
    state.pending[k] ? [state.pending[k].x, state.pending[k].y]
      : state.drag && state.drag.k === k ? state.centresLocal[k] : c.slice());
  state.selected = args.selected;

  const restart = args.run_id !== state.runId;
  const frames0 = args.frames || [];
  // A paused message whose last frame is the queue's last (the page's rerun after playing
  // stopped by itself) adds nothing: the queue plays on to it instead of jumping there.
  const sameEnd = !restart && args.config_version === state.configVersion &&
    frames0.length > 0 && state.queue.length > 0 &&
    frames0[frames0.length - 1].step === state.queue[state.queue.length - 1].step;
  const flush = !sameEnd &&
    (restart || args.config_version !== state.configVersion || !args.playing);
  state.runId = args.run_id;
  state.configVersion = args.config_version;
  const frames = args.frames || [];
  if (args.history) {
    // The server's history up to the first queued frame; the queue adds the rest as it plays.
    const cut = frames.length ? frames[0].step : Infinity;
    const h = args.history;
    const keep = h.step.map((s, i) => (s < cut ? i : -1)).filter((i) => i >= 0);
    state.history = {};
    for (const key of Object.keys(h)) state.history[key] = keep.map((i) => h[key][i]);
    state.historyVersion = (state.historyVersion || 0) + 1;
  } else if (restart || !state.history) {
    state.history = emptyHistory();
    state.historyVersion = (state.historyVersion || 0) + 1;
  }
  if (flush) {
    state.queue = frames.slice();
    state.forceNext = true;
  } else {
    const lastStep = state.queue.length ? state.queue[state.queue.length - 1].step
      : (state.current ? state.current.step : -1);
    for (const f of frames) if (f.step > lastStep) state.queue.push(f);
  }
  if (args.ack && perf.pendingRelease && args.ack === perf.pendingRelease.id) {
    perf.pendingRelease.acked = true;
  }
  state.dirty = true;
  // A message of an interrupted server run can be dropped, and the view can be remounted:
  // if what it holds is older than what the server describes, ask for everything again.
  const stale = args.data_version !== state.dataVersion || (restart && !args.history);
  const now = performance.now();
  if (stale && lastResync < now - 1000) {
    lastResync = now;
    perf.resyncs = (perf.resyncs || 0) + 1;
    emit({ type: "resync" });
  }
}
