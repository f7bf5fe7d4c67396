// "Add points" mode (2-D data only, args.can_draw): a toggle and a class picker above the
// curves; while it is on, a click on the plane adds a training point of the chosen class,
// Shift-click or a long press (0.6 s) removes the point nearest to it, and the keyboard does
// the same with a cursor (focus the plane: arrows move the cursor by 0.1, Shift by 0.5;
// Enter or Space adds, Delete or Backspace removes). Each edit is one event to the server
// ("add" / "remove"), which keeps training; the points come back with the next message.
// Touches #draw-tools (created here, first in #side) and #draw-cursor (in #main); listens on
// #main in the capture phase so that point selection (input.js) does not see these clicks.

import { state, toPx, toData } from "./state.js";
import { emit } from "./messages.js";

const main = document.getElementById("main");
const overlay = document.getElementById("overlay");
const LONG_PRESS_MS = 600;
const draw = { on: false, cls: 0, cursor: [0, 0], built: -1 };

const tools = document.createElement("div");
tools.id = "draw-tools";
tools.setAttribute("role", "group");
tools.setAttribute("aria-label", "Add points");
const toggle = document.createElement("button");
toggle.type = "button";
toggle.id = "draw-toggle";
toggle.textContent = "Add points";
toggle.setAttribute("aria-pressed", "false");
const picker = document.createElement("span");
picker.id = "draw-classes";
const hint = document.createElement("span");
hint.id = "draw-hint";
hint.textContent = "Click: add · Shift-click or hold: remove nearest · Keys: arrows, Enter, Delete";
tools.append(toggle, picker, hint);
const cursor = document.createElement("div");
cursor.id = "draw-cursor";
cursor.setAttribute("aria-hidden", "true");
main.appendChild(cursor);

function style() {
  tools.style.cssText = "display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:0 0 6px;" +
    "font:13px sans-serif;color:var(--fg, #31333f)";
  hint.style.cssText = "opacity:0.75;font-size:12px";
  toggle.style.cssText = "border:1px solid currentColor;border-radius:6px;padding:2px 10px;" +
    "background:transparent;color:inherit;font:inherit;cursor:pointer";
  cursor.style.cssText = "position:absolute;width:16px;height:16px;margin:-9px 0 0 -9px;" +
    "border:2px solid var(--fg, #31333f);border-radius:50%;pointer-events:none;display:none";
}

function setMode(on) {
  draw.on = on;
  toggle.setAttribute("aria-pressed", String(on));
  toggle.textContent = on ? "Adding points: on" : "Add points";
  toggle.style.fontWeight = on ? "600" : "400";
  picker.style.display = hint.style.display = on ? "" : "none";
  if (on) {
    overlay.tabIndex = 0;
    overlay.setAttribute("aria-label", "Plane: click to add a point of class " + (draw.cls + 1) +
      "; arrows move the cursor, Enter adds, Delete removes the nearest point");
  } else {
    overlay.removeAttribute("tabindex");
  }
  placeCursor();
}

function buildPicker() {
  const K = state.args.colors.length;
  if (draw.built === K) return;
  draw.built = K;
  draw.cls = Math.min(draw.cls, K - 1);
  picker.innerHTML = "";
  for (let k = 0; k < K; k++) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "draw-class";
    b.textContent = "Class " + (k + 1);
    b.setAttribute("aria-pressed", String(k === draw.cls));
    b.style.cssText = "border:2px solid " + state.args.colors[k] + ";border-radius:12px;" +
      "padding:1px 8px;background:transparent;color:inherit;cursor:pointer";
    b.addEventListener("click", () => {
      draw.cls = k;
      for (const c of picker.children) c.setAttribute("aria-pressed", String(c === b));
      setMode(true);
      markChosen();
    });
    picker.appendChild(b);
  }
  markChosen();
}

function markChosen() {
  picker.childNodes.forEach((c, k) => {
    c.style.background = k === draw.cls ? state.args.colors[k] : "transparent";
    c.style.color = k === draw.cls ? "#fff" : "inherit";
  });
}

function placeCursor() {
  const show = draw.on && document.activeElement === overlay;
  cursor.style.display = show ? "block" : "none";
  if (!show) return;
  const [px, py] = toPx(draw.cursor[0], draw.cursor[1]);
  cursor.style.left = px + "px";
  cursor.style.top = py + "px";
}

function add(x, y) {
  emit({ type: "add", cls: draw.cls, x: +x.toFixed(4), y: +y.toFixed(4) });
}

function remove(x, y) {
  emit({ type: "remove", x: +x.toFixed(4), y: +y.toFixed(4) });
}

function pointerData(ev) {
  const rect = overlay.getBoundingClientRect();
  return toData(ev.clientX - rect.left, ev.clientY - rect.top);
}

let press = null;
function onDown(ev) {
  if (!draw.on || ev.target !== overlay) return;
  ev.stopPropagation(); // not a selection (input.js)
  const [x, y] = pointerData(ev);
  draw.cursor = [x, y];
  if (ev.shiftKey) { remove(x, y); return; }
  press = { x, y, timer: setTimeout(() => { remove(x, y); press = null; }, LONG_PRESS_MS) };
}

function onUp(ev) {
  if (!press) return;
  ev.stopPropagation();
  clearTimeout(press.timer);
  add(press.x, press.y);
  press = null;
}

function onKey(ev) {
  if (!draw.on) return;
  const step = ev.shiftKey ? 0.5 : 0.1;
  const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
  if (moves[ev.key]) {
    const [dx, dy] = moves[ev.key];
    draw.cursor = [Math.max(-5, Math.min(5, draw.cursor[0] + dx)), Math.max(-5, Math.min(5, draw.cursor[1] + dy))];
    placeCursor();
  } else if (ev.key === "Enter" || ev.key === " ") {
    add(draw.cursor[0], draw.cursor[1]);
  } else if (ev.key === "Delete" || ev.key === "Backspace") {
    remove(draw.cursor[0], draw.cursor[1]);
  } else if (ev.key === "Escape") {
    setMode(false);
    toggle.focus();
    return;
  } else {
    return;
  }
  ev.preventDefault();
}

/** After each render message: show the tools only where points can be drawn. */
export function updateDrawing() {
  const can = !!(state.args && state.args.can_draw);
  if (!can) {
    if (tools.parentNode) tools.remove();
    if (draw.on) setMode(false);
    return;
  }
  if (!tools.parentNode) {
    const side = document.getElementById("side");
    side.insertBefore(tools, side.firstChild);
  }
  buildPicker();
  placeCursor();
}

export function startDrawing() {
  style();
  setMode(false);
  toggle.addEventListener("click", () => setMode(!draw.on));
  main.addEventListener("pointerdown", onDown, true);
  main.addEventListener("pointerup", onUp, true);
  const cancel = () => { if (press) { clearTimeout(press.timer); press = null; } };
  main.addEventListener("pointerleave", cancel);
  main.addEventListener("pointercancel", cancel, true); // a touch that became a scroll
  overlay.addEventListener("keydown", onKey);
  overlay.addEventListener("focus", placeCursor);
  overlay.addEventListener("blur", placeCursor);
}
