// The class centres as rings on the #overlay canvas, under the points (so a class packed
// around its centre, as at spread 0.05, stays visible inside its ring), and their labels over
// the points: the class number, and its name for real data ("1 setosa"). The handles in
// #handles (input.js) are transparent buttons at the same places: they take the pointer and
// the keyboard, and show the focus ring. Painting them here puts them in the PNG as well.
// Larger in presenter mode. Reads `state`.

import { state, toPx } from "./state.js";
import { haloText } from "./ticks.js";

/** Ring radius in CSS pixels (the handles' hit area in style.css matches it). */
export function ringRadius(big) { return big ? 17 : 12; }

export function drawCentreRings(ctx, look) {
  const r = ringRadius(look.big);
  for (let k = 0; k < state.centresLocal.length; k++) {
    const [px, py] = toPx(state.centresLocal[k][0], state.centresLocal[k][1]);
    ctx.beginPath();
    ctx.arc(px, py, r, 0, 2 * Math.PI);
    const w = look.big ? 7 : 5; // the class colour; then 1.25 px of contrast and 1 px of halo
    ctx.lineWidth = w + 4.5;
    ctx.strokeStyle = look.dark ? "#000" : "#fff";
    ctx.stroke();
    ctx.lineWidth = w + 2.5;
    ctx.strokeStyle = look.dark ? "#fff" : "#000";
    ctx.stroke();
    ctx.lineWidth = w;
    ctx.strokeStyle = look.colors[k];
    ctx.stroke();
  }
}

/** "1", or "1 setosa" / "cultivar 1" when the data name their classes. */
export function centreLabel(k) {
  const names = state.args.class_names;
  if (!names || !names[k]) return String(k + 1);
  const name = String(names[k]).replace(/_/g, " ");
  return name.includes(String(k + 1)) ? name : k + 1 + " " + name;
}

export function drawCentreLabels(ctx, look) {
  const r = ringRadius(look.big);
  ctx.font = "700 " + (look.big ? 22 : 13) + "px sans-serif";
  ctx.textAlign = "left";
  ctx.textBaseline = "alphabetic";
  for (let k = 0; k < state.centresLocal.length; k++) {
    const [px, py] = toPx(state.centresLocal[k][0], state.centresLocal[k][1]);
    const text = centreLabel(k);
    // keep the label on the plane: flip it to the left near the right edge
    const w = ctx.measureText(text).width;
    const x = px + r + w + 6 > state.size ? px - r - w - 4 : px + r + 4;
    haloText(ctx, text, x, Math.max(look.big ? 22 : 13, py - r * 0.35), look);
  }
}
