// Axis ticks on the plane's edges (bottom: x, left: y), in data units, with their values;
// a "nice" step (1, 2 or 5 x 10^n) so that labels sit about five label-widths apart. Drawn on
// the #overlay canvas by overlay.js when args.show_ticks; larger in presenter mode. Returns
// the room the labels take, so the axis names can sit inside them. Reads `state`.

import { state, view, viewY, toPx } from "./state.js";

/** The step of about `count` ticks over `span`: 1, 2 or 5 times a power of ten. */
export function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5]) if (m * p >= raw * 0.999) return m * p;
  return 10 * p;
}

/** The multiples of `step` inside [lo, hi]. */
export function tickValues(lo, hi, step) {
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * step; v += step) {
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return out;
}

function label(v, step) {
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(digits).replace("-", "−");
}

/** Halo text: readable on any region colour. */
export function haloText(ctx, text, x, y, look) {
  ctx.lineWidth = 3;
  ctx.strokeStyle = look.outline;
  ctx.lineJoin = "round";
  ctx.strokeText(text, x, y);
  ctx.fillStyle = look.fg;
  ctx.fillText(text, x, y);
}

export function drawTicks(ctx, look) {
  const S = state.size, font = look.fontPx;
  ctx.font = font + "px sans-serif";
  ctx.strokeStyle = look.fg;
  const [lo, hi] = view(), [ylo, yhi] = viewY();
  const count = Math.max(3, Math.floor(S / (font * 5)));
  const xs = niceStep(hi - lo, count), ys = niceStep(yhi - ylo, count);
  const mark = Math.round(font * 0.5);
  ctx.globalAlpha = 0.7;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const v of tickValues(lo, hi, xs)) { const x = toPx(v, 0)[0]; ctx.moveTo(x, S); ctx.lineTo(x, S - mark); }
  for (const v of tickValues(ylo, yhi, ys)) { const y = toPx(0, v)[1]; ctx.moveTo(0, y); ctx.lineTo(mark, y); }
  ctx.stroke();
  ctx.globalAlpha = 1;
  // labels: x centred above the bottom marks, y right of the left marks; none at the corners
  ctx.textAlign = "center";
  ctx.textBaseline = "alphabetic";
  for (const v of tickValues(lo, hi, xs)) {
    const x = toPx(v, 0)[0];
    if (x < font * 2.5 || x > S - font * 1.5) continue;
    haloText(ctx, label(v, xs), x, S - mark - 3, look);
  }
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  let width = 0;
  for (const v of tickValues(ylo, yhi, ys)) {
    const y = toPx(0, v)[1];
    if (y < font * 3 || y > S - font * 2.2) continue;
    const text = label(v, ys);
    width = Math.max(width, ctx.measureText(text).width);
    haloText(ctx, text, mark + 3, y, look);
  }
  ctx.textBaseline = "alphabetic";
  return { bottom: mark + 3 + font, left: mark + 3 + width + 4 };
}
