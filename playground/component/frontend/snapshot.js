// The view's PNG button: the picture as the user sees it. The regions and the overlay canvas
// (boundaries, arrows, rings and labels of the centres, points, ticks, axis names, weight
// vectors) at the canvas's own resolution, then the status line (step and readout) and the
// legend copied from the DOM where they sit: each box's background, each text run with its
// computed font and colour, each legend mark from its own canvas. The PNG button itself is
// left out. Touches nothing on screen.

import { state, perf, hexToRgb } from "./state.js";

const $ = (id) => document.getElementById(id);

function boxBackground(ctx, el, origin) {
  const r = el.getBoundingClientRect();
  const [red, green, blue] = hexToRgb(state.theme.bg);
  ctx.fillStyle = `rgba(${red},${green},${blue},0.85)`;
  ctx.beginPath();
  ctx.roundRect(r.left - origin.left, r.top - origin.top, r.width, r.height, 4);
  ctx.fill();
}

function textRun(ctx, el, origin) {
  const text = el.textContent;
  if (!text) return;
  const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
  ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  ctx.fillStyle = cs.color;
  ctx.textBaseline = "middle";
  ctx.textAlign = "left";
  const x = r.left - origin.left, top = r.top - origin.top;
  const lineH = parseFloat(cs.lineHeight) || 1.25 * parseFloat(cs.fontSize);
  if (r.height < 1.5 * lineH) { ctx.fillText(text, x, top + r.height / 2); return; }
  // a wrapped run (a long legend entry): the same greedy line breaking, word by word
  let line = "", row = 0;
  for (const word of text.split(" ")) {
    const next = line ? line + " " + word : word;
    if (line && ctx.measureText(next).width > r.width + 1) {
      ctx.fillText(line, x, top + lineH * (row + 0.5));
      line = word; row += 1;
    } else line = next;
  }
  ctx.fillText(line, x, top + lineH * (row + 0.5));
}

/** The picture as a canvas of the regions' size (device pixels). */
export function pictureCanvas() {
  const regions = $("regions"), overlay = $("overlay");
  const c = document.createElement("canvas");
  c.width = regions.width; c.height = regions.height;
  const ctx = c.getContext("2d");
  ctx.drawImage(regions, 0, 0);
  ctx.drawImage(overlay, 0, 0);
  const dpr = c.width / state.size;
  ctx.scale(dpr, dpr);
  const origin = $("main").getBoundingClientRect();
  const status = $("status");
  boxBackground(ctx, status, origin);
  for (const el of status.querySelectorAll("#step-counter, #readout > span")) textRun(ctx, el, origin);
  const legend = $("legend");
  if (!legend.hidden && legend.children.length) {
    boxBackground(ctx, legend, origin);
    for (const li of legend.children) {
      const mark = li.querySelector("canvas"), text = li.querySelector("span");
      const r = mark.getBoundingClientRect();
      ctx.drawImage(mark, r.left - origin.left, r.top - origin.top, r.width, r.height);
      textRun(ctx, text, origin);
    }
  }
  return c;
}

export function downloadPicture() {
  const a = document.createElement("a");
  a.download = "softmax-playground-step-" + perf.step + ".png";
  a.href = pictureCanvas().toDataURL("image/png");
  a.click();
}
