// Line charts on a <canvas>: one or more panels stacked on a shared x axis (the step), each
// with its bold title above, its y axis (linear, log10 or percent), grid, lines and legend
// below; a hover label for the nearest point of the panel under the pointer (with a dot on
// it); a PNG button that saves the chart at twice its size. Used by curves.js (loss,
// accuracy, ||W||) and race.js (the lanes' objectives).
//
// Why not plotly.js, which drew these charts before: the view's iframe is same-origin and
// shares the page's main thread, and loading plotly.min.js (3.5 MB) and its first
// Plotly.react made long tasks of 1.3-5.6 s on the loaded 2-core machine, during which the
// page's own Play/Pause button could not answer (issue 14; docs/browser-coverage.md). A
// redraw here is one canvas pass over a few thousand points: well under a millisecond to a
// few ms (window.__pg.curveMs). The view needs no zoom; the hover label and PNG remain.
//
// Spec (all sizes in CSS px):
//   { theme: {bg, fg, grid, font}, fonts: {tick, title, legend},
//     x: {range: [lo, hi], title},
//     panels: [{ title, share, y: {type: "linear"|"log"|"percent", range, dtick},
//                series: [{name, long, x: [], y: [], color, dash: [], legend, format}],
//                hline: {y, label} | undefined }],
//     summary: "what a screen reader hears" }
// A log axis's range is in log10 units; dtick "D2" puts ticks at 1, 2, 5 in each decade, an
// integer n at every n-th decade. format: "g4" (4 significant digits), "g5" or "pct" (.1%).
// Values that are null, not finite, beyond CAP or (log axis) not positive are not drawn.

import { niceStep, tickValues } from "./ticks.js";

const CAP = 1e100;
const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
const MARGIN = { l: 8, r: 12, t: 4, b: 6 };
const GAP = 10;

export function drawable(v, log) {
  return v !== null && v !== undefined && isFinite(v) && Math.abs(v) <= CAP && (!log || v > 0);
}

/** A value for the hover label: "g4" -> 4 significant digits, "pct" -> 87.5%. */
export function formatValue(v, format) {
  if (format === "pct") return (100 * v).toFixed(1) + "%";
  const digits = format === "g5" ? 5 : 4;
  const s = v.toPrecision(digits);
  return s.includes("e") ? s.replace("e+", "e") : s;
}

function power(k) {
  return "10" + String(k).split("").map((c) => SUPERSCRIPT[c]).join("");
}

function plainNumber(v, step) {
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  if (Math.abs(v) >= 1e5) {
    const k = Math.floor(Math.log10(Math.abs(v)));
    const m = v / 10 ** k;
    return (Math.abs(m - 1) < 1e-9 ? "" : m.toFixed(1) + "×") + power(k);
  }
  return v.toFixed(Math.min(digits, 6)).replace("-", "−");
}

/** The ticks of an axis: [{v (axis units: log10 on a log axis), text}]. */
export function axisTicks(axis, lengthPx, fontPx) {
  const [lo, hi] = axis.range;
  const count = Math.max(2, Math.floor(lengthPx / (fontPx * 2.6)));
  if (axis.type === "percent") {
    const step = Math.max(0.1, niceStep(hi - lo, count));
    return tickValues(lo, hi, step).map((v) => ({ v, text: Math.round(100 * v) + "%" }));
  }
  if (axis.type !== "log") {
    const step = niceStep(hi - lo, count);
    return tickValues(lo, hi, step).map((v) => ({ v, text: plainNumber(v, step) }));
  }
  const out = [];
  const decade = (k) => (k >= -2 && k <= 4 ? String(10 ** k).replace("-", "−") : power(k));
  if (axis.dtick === "D2") {
    for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
      for (const m of [1, 2, 5]) {
        const v = k + Math.log10(m);
        if (v < lo - 1e-9 || v > hi + 1e-9) continue;
        out.push({ v, text: m === 1 ? decade(k) : k >= -2 && k <= 3 ? String(m * 10 ** k) : "" });
      }
    }
    // too dense for every label (a short panel): label the decades only
    if (out.length > count) for (const t of out) if (Math.abs(t.v - Math.round(t.v)) > 1e-9) t.text = "";
    return out;
  }
  const n = Math.max(1, Math.round(axis.dtick || 1));
  for (let k = Math.ceil(lo / n) * n; k <= hi + 1e-9; k += n) out.push({ v: k, text: decade(k) });
  return out;
}

/** Make a chart inside `parent`: returns {el, canvas, resize, draw, pixel, layout}. */
export function createLineChart(parent, { label, filename, buttonLabel }) {
  const el = document.createElement("div");
  el.className = "linechart";
  el.style.position = "relative";
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  const tip = document.createElement("div");
  tip.className = "linechart-tip";
  tip.setAttribute("aria-hidden", "true");
  const png = document.createElement("button");
  png.type = "button";
  png.className = "linechart-png";
  png.textContent = "PNG";
  png.setAttribute("aria-label", buttonLabel);
  png.title = buttonLabel;
  el.append(canvas, tip, png);
  parent.appendChild(el);

  const chart = { el, canvas, size: [0, 0], spec: null, layout: null, hover: null };
  el.__chart = chart;

  chart.resize = (width, height) => {
    const w = Math.max(120, Math.round(width)), h = Math.max(120, Math.round(height));
    if (w === chart.size[0] && h === chart.size[1]) return;
    chart.size = [w, h];
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = w + "px";
    canvas.style.height = h + "px";
    el.style.width = w + "px";
    el.style.height = h + "px";
  };

  chart.draw = (spec) => {
    if (spec) chart.spec = spec;
    if (!chart.spec || !chart.size[0]) return;
    const ctx = canvas.getContext("2d");
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    chart.layout = paint(ctx, chart.spec, chart.size[0], chart.size[1]);
    el.data = chart.spec.panels.flatMap((p) => p.series.map((s) => ({ name: s.name, x: s.x, y: s.y })));
    canvas.setAttribute("aria-label", chart.spec.summary || label);
    showHover(ctx);
  };

  /** The CSS-pixel position (in the canvas) of point i of a panel's series. */
  chart.pixel = (panel, seriesIndex, i) => {
    const p = chart.layout.panels[panel], s = chart.spec.panels[panel].series[seriesIndex];
    return { px: p.xPx(s.x[i]), py: p.yPx(s.y[i]), x: s.x[i], y: s.y[i], n: s.x.length };
  };

  function nearest(mx, my) {
    const L = chart.layout;
    if (!L) return null;
    let best = null;
    L.panels.forEach((p, pi) => {
      if (my < p.top - 6 || my > p.bottom + 6) return;
      const panel = chart.spec.panels[pi];
      const log = panel.y.type === "log";
      panel.series.forEach((s, si) => {
        for (let i = 0; i < s.x.length; i++) {
          if (!drawable(s.y[i], log)) continue;
          const dx = p.xPx(s.x[i]) - mx, dy = p.yPx(s.y[i]) - my;
          const d = dx * dx + dy * dy;
          if (!best || d < best.d) best = { d, pi, si, i };
        }
      });
    });
    return best && best.d <= 40 * 40 ? best : null;
  }

  function showHover(ctx) {
    const hit = chart.hover && nearest(chart.hover[0], chart.hover[1]);
    if (!hit) { tip.style.display = "none"; return; }
    const panel = chart.spec.panels[hit.pi], s = panel.series[hit.si];
    const p = chart.layout.panels[hit.pi];
    const px = p.xPx(s.x[hit.i]), py = p.yPx(s.y[hit.i]);
    ctx.fillStyle = s.color;
    ctx.beginPath();
    ctx.arc(px, py, 4, 0, 2 * Math.PI);
    ctx.fill();
    tip.textContent = s.hover
      ? s.hover(s.x[hit.i], s.y[hit.i])
      : "step " + s.x[hit.i] + "\n" + s.long + ": " + formatValue(s.y[hit.i], s.format);
    tip.style.display = "block";
    tip.style.borderColor = s.color;
    const w = tip.offsetWidth, h = tip.offsetHeight;
    const left = px + 12 + w > chart.size[0] ? px - 12 - w : px + 12;
    tip.style.left = Math.max(0, left) + "px";
    tip.style.top = Math.max(0, Math.min(chart.size[1] - h, py - h / 2)) + "px";
  }

  canvas.addEventListener("pointermove", (ev) => {
    const r = canvas.getBoundingClientRect();
    chart.hover = [ev.clientX - r.left, ev.clientY - r.top];
    chart.draw();
  });
  canvas.addEventListener("pointerleave", () => { chart.hover = null; chart.draw(); });

  png.addEventListener("click", () => {
    if (!chart.spec) return;
    const [w, h] = chart.size, scale = 2;
    const out = document.createElement("canvas");
    out.width = w * scale;
    out.height = h * scale;
    const ctx = out.getContext("2d");
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    paint(ctx, chart.spec, w, h);
    out.toBlob((blob) => {
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    }, "image/png");
  });
  return chart;
}

// ---------------------------------------------------------------- painting

function legendRows(ctx, series, width, fontPx) {
  const rows = [[]];
  let x = 0;
  for (const s of series) {
    if (s.legend === false) continue;
    const w = 28 + ctx.measureText(s.name).width + 14;
    if (x + w > width && rows[rows.length - 1].length) { rows.push([]); x = 0; }
    rows[rows.length - 1].push({ s, x });
    x += w;
  }
  return rows[0].length ? rows : [];
}

/** Paint the whole chart on ctx (CSS px); returns the layout (panel boxes and transforms). */
function paint(ctx, spec, W, H) {
  const { theme, fonts } = spec;
  const family = (theme.font || "sans-serif") + ", sans-serif";
  const font = (px, weight = "") => weight + " " + px + "px " + family;
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, W, H);

  // the y labels' width sets the left margin; the x labels and title the bottom one
  ctx.font = font(fonts.tick);
  const guessPx = (H - MARGIN.t - MARGIN.b) / Math.max(1, spec.panels.length);
  let labelW = 0;
  for (const p of spec.panels) {
    for (const t of axisTicks(p.y, guessPx * 0.6, fonts.tick)) labelW = Math.max(labelW, ctx.measureText(t.text).width);
  }
  const left = MARGIN.l + labelW + 8, right = W - MARGIN.r;
  const bottomRoom = fonts.tick + 6 + (spec.x.title ? fonts.tick + 6 : 0);

  ctx.font = font(fonts.legend);
  const legends = spec.panels.map((p) => legendRows(ctx, p.series, right - left, fonts.legend));
  const titleH = spec.panels.map((p) => (p.title ? Math.round(fonts.title * 1.5) : 0));
  const legendLine = Math.round(fonts.legend * 1.6);
  let fixed = MARGIN.t + MARGIN.b + bottomRoom + GAP * (spec.panels.length - 1);
  spec.panels.forEach((p, i) => { fixed += titleH[i] + legends[i].length * legendLine; });
  const free = Math.max(40, H - fixed);
  const shares = spec.panels.map((p) => p.share || 1);
  const total = shares.reduce((a, b) => a + b, 0);

  const [x0, x1] = spec.x.range;
  const xPx = (x) => left + ((x - x0) / (x1 - x0 || 1)) * (right - left);
  const layout = { left, right, panels: [] };
  let top = MARGIN.t;
  spec.panels.forEach((p, i) => {
    const plotTop = top + titleH[i];
    const plotH = (free * shares[i]) / total;
    const bottom = plotTop + plotH;
    const log = p.y.type === "log";
    const [y0, y1] = p.y.range;
    const toAxis = (v) => (log ? Math.log10(v) : v);
    const yPx = (v) => bottom - ((toAxis(v) - y0) / (y1 - y0 || 1)) * plotH;
    layout.panels.push({ top: plotTop, bottom, xPx, yPx, tickPx: fonts.tick });

    if (p.title) {
      ctx.font = font(fonts.title, "bold");
      ctx.fillStyle = theme.fg;
      ctx.textAlign = "left";
      ctx.textBaseline = "alphabetic";
      ctx.fillText(p.title, left, plotTop - Math.round(fonts.title * 0.35));
    }
    // grid and y tick labels
    ctx.font = font(fonts.tick);
    ctx.strokeStyle = theme.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    const xTicks = axisTicks({ type: "linear", range: spec.x.range }, right - left, fonts.tick * 1.6);
    for (const t of xTicks) { const x = Math.round(xPx(t.v)) + 0.5; ctx.moveTo(x, plotTop); ctx.lineTo(x, bottom); }
    const yTicks = axisTicks(p.y, plotH, fonts.tick);
    for (const t of yTicks) {
      const y = Math.round(bottom - ((t.v - y0) / (y1 - y0 || 1)) * plotH) + 0.5;
      ctx.moveTo(left, y); ctx.lineTo(right, y);
    }
    ctx.stroke();
    ctx.strokeRect(left + 0.5, plotTop + 0.5, right - left - 1, plotH - 1);
    ctx.fillStyle = theme.fg;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const t of yTicks) {
      if (!t.text) continue;
      ctx.fillText(t.text, left - 6, bottom - ((t.v - y0) / (y1 - y0 || 1)) * plotH);
    }
    // the lines, clipped to the plot
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, plotTop, right - left, plotH);
    ctx.clip();
    if (p.hline && drawable(p.hline.y, log)) {
      const y = yPx(p.hline.y);
      ctx.strokeStyle = theme.fg; ctx.setLineDash([2, 3]); ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(right, y); ctx.stroke();
      ctx.font = font(Math.max(11, fonts.tick - 1));
      ctx.textAlign = "right"; ctx.textBaseline = "bottom"; ctx.fillStyle = theme.fg;
      ctx.fillText(p.hline.label, right - 4, y - 2);
    }
    for (const s of p.series) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 2;
      ctx.lineJoin = "round";
      ctx.setLineDash(s.dash || []);
      ctx.beginPath();
      let pen = false;
      for (let j = 0; j < s.x.length; j++) {
        if (!drawable(s.y[j], log)) { pen = false; continue; }
        const x = xPx(s.x[j]), y = yPx(s.y[j]);
        if (pen) ctx.lineTo(x, y); else ctx.moveTo(x, y);
        pen = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.restore();
    // x tick labels under the last panel only (the axis is shared)
    if (i === spec.panels.length - 1) {
      ctx.font = font(fonts.tick);
      ctx.fillStyle = theme.fg;
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      for (const t of xTicks) {
        const half = ctx.measureText(t.text).width / 2; // the last label stays inside the canvas
        ctx.fillText(t.text, Math.min(xPx(t.v), W - 2 - half), bottom + 4);
      }
      if (spec.x.title) ctx.fillText(spec.x.title, (left + right) / 2, bottom + fonts.tick + 8);
    }
    // the legend under the panel
    let y = bottom + (i === spec.panels.length - 1 ? bottomRoom : 0) + legendLine / 2 + 2;
    ctx.font = font(fonts.legend);
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    for (const row of legends[i]) {
      for (const { s, x } of row) {
        ctx.strokeStyle = s.color; ctx.lineWidth = 2; ctx.setLineDash(s.dash || []);
        ctx.beginPath(); ctx.moveTo(left + x, y); ctx.lineTo(left + x + 22, y); ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = theme.fg;
        ctx.fillText(s.name, left + x + 28, y);
      }
      y += legendLine;
    }
    top = bottom + legends[i].length * legendLine + GAP;
  });
  return layout;
}
