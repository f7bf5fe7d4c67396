// What the user does on the plane: the class-centre handles (buttons in #handles: drag with
// a pointer, or focus and use the arrow keys, Shift for larger steps) and clicking a point
// to select it. The handles are transparent: their rings and labels are painted on the
// overlay (centres.js), under the points; a click on a handle that does not move it selects
// the point under the pointer, if any (a class packed inside its ring stays selectable). Moves are shown at once (state.centresLocal, state.pending) and sent to the
// server as events through messages.js. Touches #handles and listens on #overlay; draws
// nothing on the canvases (it sets state.dirty and the frame loop repaints).

import { state, perf, view, viewY, toPx, toData, classOffsets } from "./state.js";
import { emit } from "./messages.js";

const handlesDiv = document.getElementById("handles");
const mainDiv = document.getElementById("main");
const overlay = document.getElementById("overlay");
let keyTimer = null;

/** (Re)build one button per class when K changes, and colour and place them. */
export function buildHandles() {
  const k = state.args.centres.length;
  if (handlesDiv.children.length !== k) {
    handlesDiv.innerHTML = "";
    for (let i = 0; i < k; i++) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "handle";
      b.setAttribute("aria-label", "Centre of class " + (i + 1));
      b.setAttribute("aria-describedby", "help");
      b.dataset.cls = String(i);
      b.addEventListener("pointerdown", onHandleDown);
      b.addEventListener("keydown", onHandleKey);
      handlesDiv.appendChild(b);
    }
  }
  for (let i = 0; i < k; i++) handlesDiv.children[i].style.color = state.args.colors[i];
  positionHandles();
}

export function positionHandles() {
  if (!state.args) return;
  const names = state.args.class_names;
  for (let i = 0; i < handlesDiv.children.length; i++) {
    const c = state.centresLocal[i];
    if (!c) continue;
    const [px, py] = toPx(c[0], c[1]);
    const h = handlesDiv.children[i];
    h.style.left = px + "px";
    h.style.top = py + "px";
    h.title = "Centre of class " + (i + 1) + (names ? " (" + names[i] + ", the class mean)" : "") +
      " at (" + c[0].toFixed(2) + ", " + c[1].toFixed(2) + ")";
  }
}

function clampCentre(v, axis) {
  const box = state.args.centre_box;
  if (box) return Math.max(box[2 * axis], Math.min(box[2 * axis + 1], v));
  const lim = state.args.centre_limit;
  return Math.max(-lim, Math.min(lim, v));
}

function onHandleDown(ev) {
  ev.preventDefault();
  const btn = ev.currentTarget;
  btn.setPointerCapture(ev.pointerId);
  btn.focus();
  const k = Number(btn.dataset.cls);
  state.drag = { k, pointerId: ev.pointerId };
  const x0 = ev.clientX, y0 = ev.clientY;
  let moved = false;
  const move = (e) => {
    if (!state.drag) return;
    if (!moved && Math.hypot(e.clientX - x0, e.clientY - y0) < 3) return; // a click, so far
    moved = true;
    const rect = mainDiv.getBoundingClientRect();
    const [x, y] = toData(e.clientX - rect.left, e.clientY - rect.top);
    state.centresLocal[k] = [clampCentre(x, 0), clampCentre(y, 1)];
    positionHandles();
    state.dirty = true;
  };
  const up = (e) => {
    btn.removeEventListener("pointermove", move);
    btn.removeEventListener("pointerup", up);
    btn.removeEventListener("pointercancel", up);
    state.drag = null;
    if (moved) commitCentre(k, true);
    else if (e.type === "pointerup") selectNear(e.clientX, e.clientY, 36);
  };
  btn.addEventListener("pointermove", move);
  btn.addEventListener("pointerup", up);
  btn.addEventListener("pointercancel", up);
}

function onHandleKey(ev) {
  const k = Number(ev.currentTarget.dataset.cls);
  const span = Math.min(view()[1] - view()[0], viewY()[1] - viewY()[0]);
  const step = (ev.shiftKey ? 0.05 : 0.01) * span; // 0.5 and 0.1 on the Gaussian square
  const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[ev.key];
  if (!d) return;
  ev.preventDefault();
  const c = state.centresLocal[k];
  state.centresLocal[k] = [clampCentre(+(c[0] + d[0]).toFixed(3), 0), clampCentre(+(c[1] + d[1]).toFixed(3), 1)];
  state.pending[k] = { x: state.centresLocal[k][0], y: state.centresLocal[k][1], version: Infinity };
  positionHandles();
  state.dirty = true;
  clearTimeout(keyTimer);
  keyTimer = setTimeout(() => commitCentre(k, false), 250);
}

function commitCentre(k, fromPointer) {
  const [x, y] = state.centresLocal[k];
  const s = state.centresServer[k];
  if (s && Math.abs(s[0] - x) < 1e-9 && Math.abs(s[1] - y) < 1e-9) {
    delete state.pending[k];
    return;
  }
  state.pending[k] = { x, y, version: state.dataVersion };
  const id = emit({ type: "move", cls: k, x: +x.toFixed(3), y: +y.toFixed(3) });
  if (fromPointer) perf.pendingRelease = { id, t0: performance.now(), acked: false };
}

// Select the nearest point within sqrt(maxD2) px of the pointer (or none), and tell the server.
function selectNear(clientX, clientY, maxD2) {
  if (!state.X) return;
  const rect = overlay.getBoundingClientRect();
  const px = clientX - rect.left, py = clientY - rect.top;
  let best = -1, bestD = maxD2; // squared pixels
  const off = classOffsets();
  for (let i = 0; i < state.n; i++) {
    const c = state.labels[i];
    const [qx, qy] = toPx(state.X[2 * i] + off[c][0], state.X[2 * i + 1] + off[c][1]);
    const d = (qx - px) ** 2 + (qy - py) ** 2;
    if (d < bestD) { bestD = d; best = i; }
  }
  if (best < 0 && maxD2 < 100) return; // a click on a handle away from any point: nothing
  state.selected = best >= 0 ? best : null;
  state.dirty = true;
  emit({ type: "select", index: state.selected });
}

/** Clicking the plane selects the nearest point within 10 px (or none). */
export function startPointSelection() {
  overlay.addEventListener("pointerdown", (ev) => selectNear(ev.clientX, ev.clientY, 100));
}
