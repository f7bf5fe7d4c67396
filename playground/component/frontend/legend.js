// The picture's legend (#legend, top right, under the PNG button): what each mark on the
// plane means. Entries follow what is drawn: training and test points, the class centres,
// the classes (each one's marker shape in its colour, 1 to K from left to right: a point's
// class is not told by colour alone), the per-sample arrows -W (pi - y) (the negative residual -(pi - y) mapped to the plane by
// W), the boundaries now and the optimum's (dashed), the weight vectors w1..wK, and points
// outside the view (drawn at its edge). Each entry's sample mark is a small canvas painted by
// paintMark, which the PNG export (snapshot.js) reuses. Shown when args.show_legend; rebuilt
// only when its entries change. On a plane narrower than NARROW px (a phone) it would hide a
// quarter of the picture, so there it starts folded behind a "Legend" button.
// Touches only #legend and #legend-toggle; reads `state`.

import { state, toPx } from "./state.js";
import { arrow } from "./overlay.js";
import { markerPath, SHAPES } from "./markers.js";

const legend = document.getElementById("legend");
const toggle = document.getElementById("legend-toggle");
const status = document.getElementById("status");
const NARROW = 480;
let shownKey = null;
let unfolded = false; // on a narrow plane only
let dodgedFor = null; // the centres, plane size and entries the legend was last placed for
let legendTop = 34; // its place at the top right, below the readout (and the toggle)

// Below the status line, whatever its height (it wraps on a phone, and in presenter mode).
function place() {
  const top = Math.max(34, status.offsetTop + status.offsetHeight + 6);
  toggle.style.top = top + "px";
  legendTop = toggle.hidden ? top : top + toggle.offsetHeight + 4;
  legend.style.top = legendTop + "px";
  dodgeCentres();
}

// The legend must not hide a class centre: its ring is painted on the canvas under the
// legend, and it is what a teacher drags. Top right if no centre is there, else the first of
// the other corners (the bottom ones above the x tick labels, the top left below the readout)
// and the middles of the sides that covers none, else the one that covers the fewest.
function dodgeCentres() {
  if (legend.hidden || !state.args) return;
  const w = legend.offsetWidth, h = legend.offsetHeight, S = state.size;
  const bottom = S - h - 30, middle = (S - h) / 2;
  const spots = [[S - 6 - w, legendTop], [S - 6 - w, bottom], [6, bottom], [6, legendTop],
    [S - 6 - w, middle], [6, middle]];
  const centres = state.centresLocal.map((c) => toPx(c[0], c[1]));
  const r = state.args.present ? 26 : 20; // the handle's ring and a little air
  const covered = ([x, y]) => centres.filter(
    ([cx, cy]) => cx > x - r && cx < x + w + r && cy > y - r && cy < y + h + r).length;
  let best = 0, fewest = covered(spots[0]);
  for (let i = 1; i < spots.length && fewest > 0; i++) {
    const n = covered(spots[i]);
    if (n < fewest) { best = i; fewest = n; }
  }
  const [x, y] = spots[best];
  legend.style.right = "auto";
  legend.style.left = Math.max(0, x) + "px";
  legend.style.top = Math.max(0, y) + "px";
  legend.dataset.corner =
    ["top-right", "bottom-right", "bottom-left", "top-left", "middle-right", "middle-left"][best];
}
new ResizeObserver(place).observe(status);
toggle.addEventListener("click", () => {
  unfolded = !unfolded;
  updateLegend();
});

/** [{mark, text, title}] for what the plane shows now. */
export function legendEntries() {
  const a = state.args, K = a.centres.length;
  const hasTest = state.isTest ? state.isTest.some((t) => t) : false;
  const out = [
    { mark: "train", text: "training point", title: "Filled dot: a point the model trains on" },
  ];
  if (hasTest) out.push({ mark: "test", text: "test point", title: "Ring: a held-out point, never trained on" });
  const nK = a.colors.length; // (K above counts the centres: none for curved data)
  out.push({
    mark: "classes",
    text: nK > 1 ? "class 1 … " + nK : "class 1",
    title: "Each class's points have their own shape and colour: " +
      a.colors.map((_, k) => "class " + (k + 1) + " " + SHAPES[k % SHAPES.length]).join(", "),
  });
  out.push({ mark: "centre", text: "class centre (drag it)", title: "Ring with the class number: drag it, or focus it and use the arrow keys" });
  if (a.show_arrows) {
    out.push({
      mark: "arrow",
      text: "−W(π − y): residual in the plane",
      title: "Each training point's negative residual −(π − y) mapped to the plane by W: the way " +
        "moving the point would lower its loss fastest",
    });
  }
  out.push({ mark: "boundary", text: "boundary now", title: "Where two classes' logits are equal, for the current weights" });
  if (a.show_optimum && a.optimum) {
    out.push({ mark: "optimum", text: "optimum's boundary", title: "The boundaries of the weights that minimise the loss" });
  }
  if (a.show_weights) {
    out.push({
      mark: "weights",
      text: "w1…w" + K + " weights (dotted: step)",
      title: "Weight vectors w_k from the origin; the dotted arrow is the next step −lr ∂J/∂w_k",
    });
  }
  if (state.offView) {
    out.push({
      mark: "edge",
      text: state.offView + (state.offView === 1 ? " point" : " points") + " outside, at the edge",
      title: "Points beyond the drawn square, shown at its edge pointing the way to them",
    });
  }
  return out;
}

/** Paint a legend mark into a w x h box at (x, y) (CSS px) of `ctx`. */
export function paintMark(ctx, mark, x, y, w, h) {
  const fg = state.theme.fg, dark = state.theme.base === "dark";
  const outline = dark ? "rgba(0,0,0,0.85)" : "rgba(255,255,255,0.95)";
  const cx = x + w / 2, cy = y + h / 2, r = Math.min(w, h) / 2;
  ctx.save();
  ctx.strokeStyle = fg;
  ctx.fillStyle = fg;
  ctx.beginPath();
  if (mark === "classes") {
    const colors = state.args.colors, K = colors.length, step = w / K;
    ctx.lineJoin = "round"; ctx.lineWidth = 1;
    ctx.strokeStyle = (state.args.point_outline || {})[dark ? "dark" : "light"] || fg;
    for (let k = 0; k < K; k++) {
      markerPath(ctx, k, x + step * (k + 0.5), cy, Math.min(r * 0.62, step * 0.32));
      ctx.fillStyle = colors[k]; ctx.fill(); ctx.stroke();
    }
  } else if (mark === "train" || mark === "test") {
    ctx.arc(cx, cy, r * 0.5, 0, 2 * Math.PI);
    if (mark === "train") ctx.fill();
    else { ctx.lineWidth = Math.max(1.5, r * 0.22); ctx.stroke(); }
  } else if (mark === "centre") {
    ctx.arc(cx, cy, r * 0.78, 0, 2 * Math.PI);
    ctx.lineWidth = r * 0.45; ctx.strokeStyle = dark ? "#fff" : "#000"; ctx.stroke();
    ctx.lineWidth = r * 0.25; ctx.strokeStyle = outline; ctx.stroke();
  } else if (mark === "arrow") {
    ctx.lineWidth = Math.max(1.2, r * 0.18);
    ctx.strokeStyle = dark ? "rgba(255,255,255,0.85)" : "rgba(20,20,20,0.8)";
    arrow(ctx, x + 1, y + h - 2, x + w - 1, y + 2, r * 0.7);
  } else if (mark === "boundary" || mark === "optimum") {
    ctx.lineWidth = mark === "optimum" ? Math.max(2, r * 0.35) : Math.max(1.5, r * 0.22);
    if (mark === "optimum") ctx.setLineDash([r * 0.9, r * 0.6]);
    ctx.globalAlpha = mark === "optimum" ? 1 : 0.7;
    ctx.moveTo(x, cy); ctx.lineTo(x + w, cy); ctx.stroke();
  } else if (mark === "weights") {
    ctx.lineWidth = Math.max(2, r * 0.35);
    arrow(ctx, x + 1, cy, x + w * 0.62, cy, r * 0.8);
    ctx.lineWidth = Math.max(1, r * 0.2); ctx.setLineDash([2, 2]);
    arrow(ctx, x + w * 0.62, cy, x + w - 1, cy, r * 0.6);
  } else if (mark === "edge") {
    ctx.moveTo(x + w - 1, cy); ctx.lineTo(x + w * 0.25, cy - r * 0.8);
    ctx.lineTo(x + w * 0.45, cy); ctx.lineTo(x + w * 0.25, cy + r * 0.8); // notched (overlay.js)
    ctx.closePath(); ctx.fill();
  }
  ctx.restore();
}

function markCanvas(mark, w, h) {
  const c = document.createElement("canvas");
  const dpr = window.devicePixelRatio || 1;
  c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
  c.style.width = w + "px"; c.style.height = h + "px";
  c.className = "mark";
  c.dataset.mark = mark;
  c.setAttribute("aria-hidden", "true");
  const ctx = c.getContext("2d");
  ctx.scale(dpr, dpr);
  paintMark(ctx, mark, 0, 0, w, h);
  return c;
}

/** Show, hide or rebuild the legend to match the plane (cheap when nothing changed). */
export function updateLegend() {
  const a = state.args;
  const on = !!(a && a.show_legend);
  const narrow = state.size < NARROW;
  if (toggle.hidden !== (!on || !narrow)) {
    toggle.hidden = !on || !narrow;
    place();
  }
  toggle.textContent = unfolded ? "Legend ▴" : "Legend ▾";
  toggle.setAttribute("aria-expanded", String(unfolded));
  legend.hidden = !on || (narrow && !unfolded);
  if (legend.hidden) return;
  const entries = legendEntries();
  const big = !!a.present;
  const key = JSON.stringify([entries, big, state.theme.base, state.theme.fg]);
  const where = JSON.stringify([state.centresLocal, state.size, legendTop, key]);
  if (key === shownKey) {
    if (where !== dodgedFor) { dodgedFor = where; dodgeCentres(); }
    return;
  }
  shownKey = key;
  const h = big ? 16 : 12, w = big ? 26 : 20;
  legend.replaceChildren(...entries.map((e) => {
    const li = document.createElement("li");
    li.title = e.title;
    li.dataset.mark = e.mark;
    const text = document.createElement("span");
    text.textContent = e.text;
    // the classes' mark is a row of K shapes: wider than the others
    const mw = e.mark === "classes" ? Math.max(w, a.colors.length * h) : w;
    li.append(markCanvas(e.mark, mw, h), text);
    return li;
  }));
  dodgedFor = where;
  dodgeCentres(); // with the new entries' size (reading it lays the legend out now)
}
