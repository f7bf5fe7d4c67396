// Everything drawn over the regions on the #overlay canvas: axes through the origin, the axis
// ticks (ticks.js), the boundaries (current model solid, optimum dashed), the per-sample
// arrows -W (pi - y), the class centres' rings (centres.js), the points (a shape per class,
// markers.js; training filled, test hollow, the selected one ringed; a point outside the view is drawn at the edge as a
// notched arrowhead pointing out), the plane's axis names, and the weight vectors w_k with their
// descent steps. Larger in presenter mode (args.present). Every number comes from the
// server's frames; the browser only evaluates the model to paint it. Touches only #overlay;
// reads `state`, writes state.offView (points drawn at the edge). (Why a canvas: regions.js.)

import { state, view, viewY, toPx, classOffsets, b64ToFloat32 } from "./state.js";
import { boundarySegments } from "./regions.js";
import { currentMap, sigmaMaxD, maxJacobianNorm, inputArrow, chain } from "./features.js";
import { drawTicks, haloText } from "./ticks.js";
import { drawCentreRings, drawCentreLabels } from "./centres.js";
import { markerPath } from "./markers.js";

const overlay = document.getElementById("overlay");

export function arrow(ctx, x0, y0, x1, y1, head) {
  const dx = x1 - x0, dy = y1 - y0, len = Math.hypot(dx, dy);
  if (len < 0.5) return;
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  const h = Math.min(head, len * 0.5), ang = Math.atan2(dy, dx);
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - h * Math.cos(ang - 0.45), y1 - h * Math.sin(ang - 0.45));
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - h * Math.cos(ang + 0.45), y1 - h * Math.sin(ang + 0.45));
  ctx.stroke();
}

export function drawOverlay(frame) {
  const ctx = overlay.getContext("2d");
  const dpr = overlay.width / state.size;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, state.size, state.size);
  const dark = state.theme.base === "dark";
  const big = !!state.args.present;
  const look = {
    big,
    fontPx: big ? 20 : 11,
    arrowWidth: big ? 2.2 : 1.2,
    arrowHead: big ? 7 : 4,
    fg: state.theme.fg,
    dark,
    outline: dark ? "rgba(0,0,0,0.85)" : "rgba(255,255,255,0.95)", // halos behind text, arrows
    // Every data point's edge: contrasts 3:1 or more with every region tint (charts/palette.py).
    pointOutline: (state.args.point_outline || {})[dark ? "dark" : "light"] || (dark ? "#fff" : "#000"),
    arrow: dark ? "rgba(255,255,255,0.75)" : "rgba(20,20,20,0.7)",
    colors: state.args.colors,
    off: classOffsets(),
    spanMin: Math.min(view()[1] - view()[0], viewY()[1] - viewY()[0]),
  };
  drawAxes(ctx, look);
  const room = state.args.show_ticks ? drawTicks(ctx, look) : { bottom: 0, left: 0 };
  drawBoundaries(ctx, frame, look);
  if (state.args.show_arrows && state.X) {
    if (state.args.arrows_mode === "server") drawServerArrows(ctx, frame, look);
    else drawArrows(ctx, frame, look);
  }
  drawCentreRings(ctx, look);
  state.offView = state.X ? drawPoints(ctx, look) : 0;
  drawCentreLabels(ctx, look);
  if (state.args.axis_names) drawAxisNames(ctx, look, room);
  if (state.args.show_weights) drawWeights(ctx, frame, look);
}

function drawAxes(ctx, look) {
  ctx.strokeStyle = look.dark ? "rgba(255,255,255,0.25)" : "rgba(0,0,0,0.2)";
  ctx.lineWidth = 1;
  const [ox, oy] = toPx(0, 0);
  ctx.beginPath();
  ctx.moveTo(0, oy); ctx.lineTo(state.size, oy);
  ctx.moveTo(ox, 0); ctx.lineTo(ox, state.size);
  ctx.stroke();
}

function strokeSegments(ctx, segs) {
  if (currentMap()) return strokeCurves(ctx, chain(segs));
  for (const s of segs) {
    const [a, b] = toPx(s[0], s[1]), [c, d] = toPx(s[2], s[3]);
    ctx.beginPath(); ctx.moveTo(a, b); ctx.lineTo(c, d); ctx.stroke();
  }
}

// Curved boundaries (a feature map): one path per polyline, so a dash runs along it.
function strokeCurves(ctx, lines) {
  for (const line of lines) {
    ctx.beginPath();
    line.forEach(([x, y], i) => {
      const [px, py] = toPx(x, y);
      if (i) ctx.lineTo(px, py); else ctx.moveTo(px, py);
    });
    ctx.stroke();
  }
}

function drawBoundaries(ctx, frame, look) {
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = look.fg;
  ctx.globalAlpha = 0.55;
  strokeSegments(ctx, boundarySegments(frame));
  ctx.globalAlpha = 1;
  if (state.args.show_optimum && state.args.optimum) {
    ctx.setLineDash([7, 5]);
    ctx.lineWidth = 2.5;
    strokeSegments(ctx, boundarySegments(state.args.optimum, true));
    ctx.setLineDash([]);
  }
}

// Largest singular value of the 2 x K matrix W: sqrt of the top eigenvalue of W W^T.
function sigmaMax(W, K) {
  let a = 0, bq = 0, c = 0; // W W^T = [[a, bq], [bq, c]]
  for (let k = 0; k < K; k++) { a += W[0][k] ** 2; bq += W[0][k] * W[1][k]; c += W[1][k] ** 2; }
  return Math.sqrt((a + c) / 2 + Math.sqrt(((a - c) / 2) ** 2 + bq * bq));
}

// More than two features: the plane's part of each arrow, computed on the server from each
// point's full feature vector, for one frame only (drawn when that frame shows, paused).
function drawServerArrows(ctx, frame, look) {
  const a = state.args.arrows;
  if (!a || a.step !== frame.step || state.args.playing || !state.n) return;
  const xy = b64ToFloat32(a.xy);
  const sigma = sigmaMax(frame.W, frame.b.length);
  if (sigma <= 1e-12) return;
  const scale = (0.07 * look.spanMin) / (Math.SQRT2 * sigma);
  ctx.lineWidth = look.arrowWidth;
  ctx.strokeStyle = look.arrow;
  for (let i = 0; i < state.n; i++) {
    if (state.isTest[i]) continue;
    const lab = state.labels[i];
    const x = state.X[2 * i] + look.off[lab][0], y = state.X[2 * i + 1] + look.off[lab][1];
    const [px, py] = toPx(x, y), [qx, qy] = toPx(x + xy[2 * i] * scale, y + xy[2 * i + 1] * scale);
    if (!onPlane(px, py)) continue;
    arrow(ctx, px, py, qx, qy, look.arrowHead);
  }
}

// With a feature map: -J_phi(x)^T W (pi - y), the direction in the plane that lowers the
// point's loss, scaled by its bound sqrt(2) ||W||_2 max_i ||J_phi(x_i)||_F.
function drawMappedArrows(ctx, frame, look, map) {
  const W = frame.W, K = frame.b.length;
  const sigma = sigmaMaxD(W, map.D, K) * maxJacobianNorm(map);
  if (sigma <= 1e-12) return;
  const scale = (0.07 * look.spanMin) / (Math.SQRT2 * sigma);
  const f = new Float64Array(map.D), z = new Float64Array(K), J = new Float64Array(2 * map.D);
  const g = [0, 0];
  ctx.lineWidth = 1.2;
  ctx.strokeStyle = look.arrow;
  for (let i = 0; i < state.n; i++) {
    if (state.isTest[i]) continue;
    const lab = state.labels[i];
    const x = state.X[2 * i] + look.off[lab][0], y = state.X[2 * i + 1] + look.off[lab][1];
    inputArrow(map, W, frame.b, x, y, lab, f, z, J, g);
    const [px, py] = toPx(x, y), [qx, qy] = toPx(x + g[0] * scale, y + g[1] * scale);
    arrow(ctx, px, py, qx, qy, 4);
  }
}

// Per-sample arrows -W (pi - y), scaled by their bound sqrt(2) * ||W||_2 (of W_eff).
function drawArrows(ctx, frame, look) {
  const map = currentMap();
  if (map) return drawMappedArrows(ctx, frame, look, map);
  const W = frame.W, K = frame.b.length;
  const sigma = sigmaMax(W, K);
  if (sigma <= 1e-12) return;
  const scale = (0.07 * look.spanMin) / (Math.SQRT2 * sigma); // data units
  const sameScale = view()[1] - view()[0] === viewY()[1] - viewY()[0];
  const pxPerUnit = state.size / (view()[1] - view()[0]);
  const z = new Float64Array(K);
  ctx.lineWidth = look.arrowWidth;
  ctx.strokeStyle = look.arrow;
  for (let i = 0; i < state.n; i++) {
    if (state.isTest[i]) continue;
    const lab = state.labels[i];
    const x = state.X[2 * i] + look.off[lab][0], y = state.X[2 * i + 1] + look.off[lab][1];
    let zmax = -Infinity;
    for (let k = 0; k < K; k++) {
      z[k] = W[0][k] * x + W[1][k] * y + frame.b[k];
      if (z[k] > zmax) zmax = z[k];
    }
    let s = 0;
    for (let k = 0; k < K; k++) { z[k] = Math.exp(z[k] - zmax); s += z[k]; }
    let gx = 0, gy = 0;
    for (let k = 0; k < K; k++) {
      const r = z[k] / s - (k === lab ? 1 : 0);
      gx -= W[0][k] * r; gy -= W[1][k] * r;
    }
    const [px, py] = toPx(x, y);
    if (!onPlane(px, py)) continue; // drawn at the edge without its arrow
    if (sameScale) {
      arrow(ctx, px, py, px + gx * scale * pxPerUnit, py - gy * scale * pxPerUnit, look.arrowHead);
    } else {
      const [qx, qy] = toPx(x + gx * scale, y + gy * scale);
      arrow(ctx, px, py, qx, qy, look.arrowHead);
    }
  }
}

function onPlane(px, py) {
  return px >= 0 && px <= state.size && py >= 0 && py <= state.size;
}

// A point outside the view: a notched arrowhead at the edge pointing the way to it, in its
// class's colour (filled for training, outlined for test). Notched, so that it is not read as
// the triangle markers of classes 4 and 5 (markers.js).
function edgeMarker(ctx, px, py, r) {
  const S = state.size, m = r + 2;
  const cx = Math.max(m, Math.min(S - m, px)), cy = Math.max(m, Math.min(S - m, py));
  const ang = Math.atan2(py - cy, px - cx);
  ctx.beginPath();
  for (const [d, a] of [[r + 3, 0], [r + 1, 2.45], [0.35 * r, Math.PI], [r + 1, -2.45]]) {
    ctx.lineTo(cx + d * Math.cos(ang + a), cy + d * Math.sin(ang + a));
  }
  ctx.closePath();
}

/** Points over the rings; returns how many lie outside the view (drawn at its edge). */
function drawPoints(ctx, look) {
  const colors = look.colors;
  const r = look.big ? 5 : 4;
  ctx.lineJoin = "round";
  let outside = 0;
  for (let i = 0; i < state.n; i++) {
    const lab = state.labels[i];
    const [px, py] = toPx(state.X[2 * i] + look.off[lab][0], state.X[2 * i + 1] + look.off[lab][1]);
    if (onPlane(px, py)) {
      markerPath(ctx, lab, px, py, r); // a shape per class (markers.js)
    } else {
      outside += 1;
      edgeMarker(ctx, px, py, r + 2);
    }
    if (state.isTest[i]) {
      ctx.lineWidth = 3.5; ctx.strokeStyle = look.pointOutline; ctx.stroke();
      ctx.lineWidth = 2; ctx.strokeStyle = colors[lab]; ctx.stroke();
    } else {
      ctx.fillStyle = colors[lab]; ctx.fill();
      ctx.lineWidth = 1; ctx.strokeStyle = look.pointOutline; ctx.stroke();
    }
  }
  const i = state.selected;
  if (i !== null && i !== undefined && i < state.n) {
    const lab = state.labels[i];
    const [px, py] = toPx(state.X[2 * i] + look.off[lab][0], state.X[2 * i + 1] + look.off[lab][1]);
    ctx.beginPath(); ctx.arc(px, py, 9, 0, 2 * Math.PI);
    ctx.lineWidth = 2.5; ctx.strokeStyle = look.fg; ctx.stroke();
  }
  return outside;
}

// Real data: the plotted features or principal components.
// (Inside the ticks' labels when they are drawn: `room` is what they take, in px.)
function drawAxisNames(ctx, look, room) {
  const [nx, ny] = state.args.axis_names;
  const font = look.big ? 20 : 12;
  ctx.font = font + "px sans-serif";
  ctx.textAlign = "right";
  haloText(ctx, nx + " →", state.size - 6, state.size - 6 - room.bottom, look);
  ctx.save();
  ctx.translate(room.left + font + 2, state.size - 6 - room.bottom);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = "left";
  haloText(ctx, ny + " →", 0, 0, look);
  ctx.restore();
  ctx.textAlign = "left";
}

// Weight vectors w_k from the origin and their descent steps -lr dJ/dw_k. With a feature
// map only the (x1, x2) rows of W are drawn, and the plane says so.
function drawWeights(ctx, frame, look) {
  if (currentMap()) {
    ctx.font = "12px sans-serif";
    ctx.fillStyle = look.fg;
    ctx.fillText("w_k: the (x1, x2) part only", 8, state.size - 8);
  }
  const W = frame.W, dW = frame.dW, lr = state.args.lr, K = frame.b.length;
  let maxNorm = 0;
  for (let k = 0; k < K; k++) maxNorm = Math.max(maxNorm, Math.hypot(W[0][k], W[1][k]));
  if (maxNorm <= 1e-12) return;
  const s = (0.4 * look.spanMin / 2) / maxNorm;
  const [p0x, p0y] = toPx(0, 0);
  for (let k = 0; k < K; k++) {
    const tx = W[0][k] * s, ty = W[1][k] * s;
    const [p1x, p1y] = toPx(tx, ty);
    const wide = look.big ? 1.6 : 1;
    ctx.strokeStyle = look.outline; ctx.lineWidth = 5 * wide; arrow(ctx, p0x, p0y, p1x, p1y, 10 * wide);
    ctx.strokeStyle = look.colors[k]; ctx.lineWidth = 3 * wide; arrow(ctx, p0x, p0y, p1x, p1y, 10 * wide);
    const [p2x, p2y] = toPx(tx - lr * dW[0][k] * s, ty - lr * dW[1][k] * s);
    ctx.setLineDash([3, 3]);
    ctx.strokeStyle = look.fg; ctx.lineWidth = 2; arrow(ctx, p1x, p1y, p2x, p2y, 7);
    ctx.setLineDash([]);
    ctx.fillStyle = look.fg;
    ctx.font = "600 " + (look.big ? 20 : 13) + "px sans-serif";
    ctx.fillText("w" + (k + 1), p1x + 6, p1y - 6);
  }
}
