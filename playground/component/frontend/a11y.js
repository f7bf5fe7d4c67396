// What a student who cannot see the plane well, or cannot use a mouse, needs from the view:
// - names: the plane (#overlay) is a focusable "application" with a name and a summary that
//   follows the data (classes, points, centres), the whole view a labelled group;
// - a polite live region (#live, role="status") that says the state at a calm rate:
//   "Step 240, loss 0.231, train accuracy 93.0%, test accuracy 91.5%" at most every
//   ANNOUNCE_MS while playing, at once on pause and after a single step; a moved centre says
//   its class and coordinates; a selected point says its class, place and the model's
//   prediction (its full numbers are the inspector's text below the view);
// - keys on the focused plane: arrows (or N / Shift+N) select the next / previous point,
//   Home the first, Escape clears; Space, S, 0, N and P pressed on the plane go to the page's
//   shortcuts (Play/Pause, Step, ...), which never see keys pressed inside an iframe;
// - prefers-reduced-motion: style.css turns transitions off; the view animates only while
//   the user has pressed Play.
// Reads `state`; writes state.selected (as input.js does for a click) and perf.announcements
// (the tests read them); owns #live and the accessibility attributes of #main and #overlay.

import { state, perf, fmt, classOffsets } from "./state.js";
import { emit } from "./messages.js";

export const ANNOUNCE_MS = 3000;

const $ = (id) => document.getElementById(id);
const mainDiv = $("main"), overlay = $("overlay"), handles = $("handles");
let live = null;
let last = { t: -Infinity, step: -1, playing: false, text: "" };
let summaryKey = "";
let moveTimer = null;

function say(text) {
  live.textContent = text;
  perf.announcements = perf.announcements || [];
  perf.announcements.push({ t: performance.now(), text });
  if (perf.announcements.length > 50) perf.announcements.shift();
  document.body.dataset.announced = text;
}

const pct = (v) => (100 * v).toFixed(1) + "%";
const xy = (x, y) => "(" + x.toFixed(2) + ", " + y.toFixed(2) + ")";

/** The sentence for a frame: step, loss (cross-entropy + L2 term), accuracies. */
export function stateSentence(f) {
  const loss = f.train_ce === null ? null : f.train_ce + (f.l2_term || 0);
  let s = "Step " + f.step + ", loss " + fmt(loss);
  if (f.train_acc !== null && f.train_acc !== undefined) s += ", train accuracy " + pct(f.train_acc);
  if (f.test_acc !== null && f.test_acc !== undefined) s += ", test accuracy " + pct(f.test_acc);
  return s;
}

function className(k) {
  const names = state.args && state.args.class_names;
  return "class " + (k + 1) + (names && names[k] ? " (" + names[k] + ")" : "");
}

// Every ANNOUNCE_TICK: while playing, the state at most every ANNOUNCE_MS; paused, at once
// when playback stopped or the step changed (Step, Reset weights, a preset).
function tick() {
  const f = state.current;
  if (!state.args || !f) return;
  const playing = !!state.args.playing;
  const now = performance.now();
  if (playing) {
    if (f.step !== last.step && now - last.t >= ANNOUNCE_MS) announceState(f, now);
  } else if (state.queue.length === 0 && (last.playing || f.step !== last.step)) {
    announceState(f, now);
  }
  last.playing = playing;
  updateSummary();
}

function announceState(f, now) {
  last.t = now;
  last.step = f.step;
  say(stateSentence(f) + (state.args.playing ? "." : ". Paused."));
}

// The plane's accessible name: what is on it, rebuilt when the classes or centres change.
function updateSummary() {
  const k = state.args.centres.length;
  const centres = state.centresLocal.map((c, i) => className(i) + " at " + xy(c[0], c[1]));
  const key = k + "|" + state.n + "|" + centres.join(";");
  if (key === summaryKey) return;
  summaryKey = key;
  overlay.setAttribute("aria-label", "Plane with the decision regions of " + k + " classes and " +
    state.n + " points. Centres: " + centres.join("; ") + ". Arrow keys select a point.");
}

// A centre moved by keys or a drag: say where it is once it rests (input.js moves it).
function onCentreMoved(ev) {
  const btn = ev.target.closest && ev.target.closest(".handle");
  if (!btn) return;
  if (ev.type === "keydown" && !ev.key.startsWith("Arrow")) return;
  const k = Number(btn.dataset.cls);
  clearTimeout(moveTimer);
  moveTimer = setTimeout(() => {
    const c = state.centresLocal[k];
    if (c) say("Centre of " + className(k) + " moved to " + xy(c[0], c[1]) + ".");
  }, 400);
}

function pointPlace(i) {
  const lab = state.labels[i], off = classOffsets()[lab] || [0, 0];
  return [state.X[2 * i] + off[0], state.X[2 * i + 1] + off[1]];
}

// The model's probabilities at (x, y) on the plane: softmax(W^T [x, y] + b), W 2 x K.
function probsAt(f, x, y) {
  const K = f.b.length, z = new Array(K);
  let m = -Infinity, s = 0;
  for (let k = 0; k < K; k++) { z[k] = f.W[0][k] * x + f.W[1][k] * y + f.b[k]; m = Math.max(m, z[k]); }
  for (let k = 0; k < K; k++) { z[k] = Math.exp(z[k] - m); s += z[k]; }
  return z.map((v) => v / s);
}

function describePoint(i) {
  const lab = state.labels[i];
  const [x, y] = pointPlace(i);
  let s = "Point " + i + " selected: " + className(lab) + ", " +
    (state.isTest[i] ? "test" : "training") + " point at " + xy(x, y) + ".";
  if (state.current && state.current.W) {
    const p = probsAt(state.current, x, y);
    const best = p.indexOf(Math.max(...p));
    s += " The model gives its class probability " + p[lab].toFixed(2) + " and predicts " +
      className(best) + ". Its numbers are below the view.";
  }
  return s;
}

function select(i) {
  state.selected = i;
  state.dirty = true;
  emit({ type: "select", index: i });
  say(i === null ? "No point selected." : describePoint(i));
}

// Keys the page's shortcuts own (ui/shortcuts.py); sent to the page, which never sees keys
// pressed in this iframe. (Same origin: Streamlit's component iframes allow it.) Streamlit's
// shortcuts are hotkeys-js: it reads the legacy keyCode and tracks held keys until keyup, so
// both events are sent with the original keyCode.
const PAGE_KEYS = new Set([" ", "s", "S", "0", "n", "N", "p", "P"]);

function forwardToPage(ev) {
  try {
    const target = window.parent.document.body;
    for (const type of ["keydown", "keyup"]) {
      const copy = new KeyboardEvent(type, { key: ev.key, code: ev.code, shiftKey: ev.shiftKey,
        bubbles: true, cancelable: true });
      Object.defineProperty(copy, "keyCode", { get: () => ev.keyCode });
      Object.defineProperty(copy, "which", { get: () => ev.keyCode });
      target.dispatchEvent(copy);
    }
    return true;
  } catch (e) {
    return false;
  }
}

function onPlaneKey(ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const n = state.n;
  const cur = state.selected === null || state.selected === undefined ? -1 : state.selected;
  let next;
  if (n && (ev.key === "ArrowRight" || ev.key === "ArrowDown")) next = (cur + 1) % n;
  else if (n && (ev.key === "ArrowLeft" || ev.key === "ArrowUp")) next = cur <= 0 ? n - 1 : cur - 1;
  else if (n && ev.key === "Home") next = 0;
  else if (n && ev.key === "End") next = n - 1;
  else if (ev.key === "Escape" && cur >= 0) next = null;
  else if (PAGE_KEYS.has(ev.key) && ev.target === overlay) {
    if (forwardToPage(ev)) ev.preventDefault();
    return;
  } else return;
  ev.preventDefault();
  select(next);
}

// Shortcut keys pressed anywhere else in the view that is not a button (a button's Space is
// its own click).
function onDocumentKey(ev) {
  if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const t = ev.target;
  if (t && (t.tagName === "BUTTON" || t === overlay || t.isContentEditable)) return;
  if (t && t.closest && t.closest("#curves")) return; // Plotly's modebar buttons
  if (PAGE_KEYS.has(ev.key) && forwardToPage(ev)) ev.preventDefault();
}

export function startA11y() {
  live = document.createElement("div");
  live.id = "live";
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  document.body.appendChild(live);
  mainDiv.setAttribute("role", "group");
  overlay.setAttribute("role", "application");
  overlay.setAttribute("aria-roledescription", "plot");
  overlay.setAttribute("tabindex", "0");
  overlay.setAttribute("aria-describedby", "help");
  overlay.addEventListener("keydown", onPlaneKey);
  document.addEventListener("keydown", onDocumentKey);
  handles.addEventListener("keydown", onCentreMoved);
  handles.addEventListener("pointerup", onCentreMoved);
  const help = $("help");
  if (help) {
    help.textContent = "Drag a centre, or focus it and use the arrow keys (Shift for larger " +
      "steps). Click a point, or focus the plane and use the arrow keys, to inspect it " +
      "(Escape clears). Space plays or pauses, S steps.";
  }
  setInterval(tick, 250);
}
