// Softmax playground view: a Streamlit (components v1) iframe made of ES modules served from
// this folder, no build step. The entry point: sizes the view, wires the modules together
// and exports the plane as a PNG.
//
// The server (NumPy) computes a short trajectory of frames per message: parameters W (D x K),
// b (K), the full-batch gradient and the metrics of each step. The view queues them and plays
// them back at `fps` (playback.js), so the animation is smooth although the server sends only
// a few messages a second. From each frame's W and b it paints the decision regions
// (regions.js), the boundaries, per-sample arrows -W (pi - y), points and weight vectors
// (overlay.js), and the loss, accuracy and ||W|| curves (curves.js). Every number written on
// screen comes from the server's frames; the browser only evaluates the model to paint it.
//
// Real data (more than two features): the server sends each frame's model restricted to the
// plotted plane (W_eff = V^T W, b_eff = b + W^T m), so regions and boundaries stay exact on
// that plane; x and y ranges ("view", "view_y") may differ. Arrows then need every point's
// full feature vector: with arrows_mode "server" they come from the server for one frame.
//
// Modules: state.js (shared state, transforms), messages.js (server protocol), playback.js
// (frame loop), regions.js, overlay.js, curves.js (painters), input.js (handles, selection),
// features.js (feature maps phi), drawing.js (the "Add points" mode).
// panels.js with simplex.js, landscape.js and race.js (issue 18's panels, race ghosts).
// a11y.js (names, the live region, keyboard selection of points).
// (frame loop), regions.js, overlay.js (with ticks.js, centres.js), curves.js (painters),
// legend.js (what the marks mean), input.js (handles, selection), keys.js (shortcuts
// forwarded to the page), snapshot.js (the PNG: the picture as seen).

import { state } from "./state.js";
import { startMessages, setHeight } from "./messages.js";
import { buildHandles, positionHandles, startPointSelection } from "./input.js";
import { resizeCurves } from "./curves.js";
import { startPlayback } from "./playback.js";
import { startDrawing, updateDrawing } from "./drawing.js";
import "./simplex.js"; // optional panels under the view (issue 18): own loops, own sections
import "./landscape.js";
import "./race.js";
import { startA11y } from "./a11y.js";
import { startKeys } from "./keys.js";
import { downloadPicture } from "./snapshot.js";

const $ = (id) => document.getElementById(id);
const regions = $("regions"), overlay = $("overlay"), mainDiv = $("main");

// The plane is a square of 320-620 px; the curves take the rest of the width, or go below
// it on narrow screens. In presenter mode on a wide screen the plane may grow to 900 px but
// also fits the page's window below the view's top (a 1280 x 720 projector shows all of it
// without scrolling), and the curves take the plane's height.
const PRESENT_MAX = 900;
const MIN_SIZE = 320;

/** Height of the page's window below the top of this iframe (page coordinates, so the
 * figure does not depend on how far the page is scrolled); Infinity if out of reach. */
function roomBelowTop() {
  try {
    const frame = window.frameElement, page = window.parent;
    if (!frame || !page || page === window) return Infinity;
    let top = frame.getBoundingClientRect().top;
    for (let el = frame.parentElement; el; el = el.parentElement) top += el.scrollTop || 0;
    return page.innerHeight - top - 8; // 8 px: the window's edge is not the picture's
  } catch (e) {
    return Infinity; // another origin
  }
}

function planeSize(width) {
  if (!state.sideWide) return Math.min(width, 620);
  const byWidth = Math.max(MIN_SIZE, width - 300);
  if (!(state.args && state.args.present)) return Math.min(620, byWidth);
  return Math.round(Math.max(MIN_SIZE, Math.min(PRESENT_MAX, byWidth, roomBelowTop())));
}

function layout() {
  const width = document.documentElement.clientWidth || window.innerWidth || 800;
  state.sideWide = width >= 760;
  const size = planeSize(width);
  state.size = size;
  const dpr = window.devicePixelRatio || 1;
  for (const c of [regions, overlay]) {
    c.width = Math.round(size * dpr);
    c.height = Math.round(size * dpr);
    c.style.width = size + "px";
    c.style.height = size + "px";
  }
  mainDiv.style.width = size + "px";
  mainDiv.style.height = size + "px";
  const sideWidth = state.sideWide ? Math.max(240, width - size - 24) : width;
  $("side").style.flexBasis = state.sideWide ? sideWidth + "px" : "100%";
  const present = state.sideWide && state.args && state.args.present;
  resizeCurves(sideWidth, state.sideWide ? Math.max(present ? 400 : 480, size) : 480);
  if (present) {
    // the side column no taller than the plane: the curves share it with the tools above
    const over = $("side").getBoundingClientRect().height - size;
    if (over > 0) resizeCurves(sideWidth, Math.max(400, size - over));
  }
  positionHandles();
  state.dirty = true;
  setHeight();
}

/** Presenter mode: lay out again when the room below the view changes (a message appeared
 * above it, the window was resized), checked twice a second. */
function watchRoom() {
  setInterval(() => {
    if (!state.args || !state.args.present || !state.sideWide) return;
    const width = document.documentElement.clientWidth || window.innerWidth || 800;
    if (Math.abs(planeSize(width) - state.size) >= 4) layout();
  }, 500);
}

startMessages((first) => {
  const present = !!state.args.present;
  const toggled = document.body.classList.contains("present") !== present;
  document.body.classList.toggle("present", present);
  buildHandles();
  updateDrawing();
  if (first || toggled) layout();
});
startDrawing();
startKeys();
startPointSelection();
startPlayback();
startA11y();
window.addEventListener("resize", layout);
watchRoom();
$("download").addEventListener("click", downloadPicture);
new ResizeObserver(() => setHeight()).observe($("root"));
