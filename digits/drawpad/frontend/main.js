// Digits drawing surface: a Streamlit (components v1) iframe, no build step, no libraries.
//
// Pointer events cover the mouse, touch and pens. The strokes are kept as polylines; after
// each change they are rendered into a 32 x 32 bitmap that looks like the NIST-normalised
// bitmaps of the UCI digits: the drawing's bounding box scaled to fill the box and centred,
// narrow drawings widened (see bitmap()), strokes 4 bitmap pixels wide. The bitmap goes
// back to Python as 1024 characters "0"/"1" (row by row); the server counts on pixels in
// 4 x 4 blocks (8 x 8, 0..16).
// Values are sent every 250 ms while drawing and at once when a stroke ends or on Clear.
"use strict";

(function () {
  const N = 32, LINE = 4, MIN_WIDTH = 20, PAD_LINE = 16, SEND_MS = 250;
  const pad = document.getElementById("pad");
  const preview = document.getElementById("bitmap");
  const strokes = [];
  let current = null, lastSent = 0, timer = null, counter = 0, lastHeight = 0;
  const perf = (window.__draw = { sent: 0, lastBitmap: "" });

  function send(type, data) {
    window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type }, data), "*");
  }
  function setHeight() {
    const h = Math.ceil(document.getElementById("root").getBoundingClientRect().height) + 6;
    if (h !== lastHeight) { lastHeight = h; send("streamlit:setFrameHeight", { height: h }); }
  }
  window.addEventListener("message", (msg) => {
    if (msg.data && msg.data.type === "streamlit:render") { sizePad(); setHeight(); }
  });
  send("streamlit:componentReady", { apiVersion: 1 });
  window.addEventListener("resize", () => { sizePad(); setHeight(); });

  function sizePad() {
    const dpr = window.devicePixelRatio || 1;
    const w = pad.getBoundingClientRect().width || 240;
    if (pad.width !== Math.round(w * dpr)) {
      pad.width = Math.round(w * dpr);
      pad.height = Math.round(w * dpr);
      redraw();
    }
    preview.width = 128; preview.height = 128;
    drawPreview(bitmap());
  }

  function point(ev) {
    const r = pad.getBoundingClientRect();
    return [ev.clientX - r.left, ev.clientY - r.top];
  }
  pad.addEventListener("pointerdown", (ev) => {
    ev.preventDefault();
    pad.setPointerCapture(ev.pointerId);
    current = [point(ev)];
    strokes.push(current);
    redraw();
  });
  pad.addEventListener("pointermove", (ev) => {
    if (!current) return;
    ev.preventDefault();
    const events = ev.getCoalescedEvents ? ev.getCoalescedEvents() : [ev];
    for (const e of events.length ? events : [ev]) current.push(point(e));
    redraw();
    schedule(false);
  });
  const end = () => { if (current) { current = null; schedule(true); } };
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);
  document.getElementById("clear").addEventListener("click", () => {
    strokes.length = 0;
    current = null;
    redraw();
    schedule(true);
  });

  function redraw() {
    const ctx = pad.getContext("2d");
    const dpr = pad.width / (pad.getBoundingClientRect().width || 240);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, pad.width, pad.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    paintStrokes(ctx, PAD_LINE, "#111111");
  }
  function paintStrokes(ctx, width, colour) { paintLines(ctx, strokes, width, colour); }
  function paintLines(ctx, lines, width, colour) {
    ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.lineWidth = width;
    ctx.strokeStyle = colour; ctx.fillStyle = colour;
    for (const s of lines) {
      ctx.beginPath();
      ctx.moveTo(s[0][0], s[0][1]);
      if (s.length === 1) ctx.lineTo(s[0][0] + 0.01, s[0][1]);
      for (let i = 1; i < s.length; i++) ctx.lineTo(s[i][0], s[i][1]);
      ctx.stroke();
    }
  }

  // The strokes scaled to fill the 32 x 32 box and centred; "1" = ink. The set's digits all
  // span the full height and 5 to 6 of the 8 columns (even its 1s), so the larger side fills
  // the box and a narrow drawing is stretched to at least MIN_WIDTH bitmap pixels across;
  // a single straight stroke stays a line. Strokes are LINE bitmap pixels wide.
  function bitmap() {
    if (!strokes.length) return "0".repeat(N * N);
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const s of strokes) for (const [x, y] of s) {
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    }
    const side = pad.getBoundingClientRect().width || 240;
    const box = N - LINE;
    const s = box / Math.max(x1 - x0, y1 - y0, side * 0.12); // a dot stays a dot
    const w = x1 - x0;
    const sx = w * s < MIN_WIDTH && w > side * 0.04 ? MIN_WIDTH / w : s;
    const off = document.createElement("canvas");
    off.width = N; off.height = N;
    const ctx = off.getContext("2d");
    const mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
    const mapped = strokes.map((st) => st.map(([x, y]) => [N / 2 + sx * (x - mx), N / 2 + s * (y - my)]));
    paintLines(ctx, mapped, LINE, "#000000");
    const alpha = ctx.getImageData(0, 0, N, N).data;
    let out = "";
    for (let i = 0; i < N * N; i++) out += alpha[4 * i + 3] >= 128 ? "1" : "0";
    return out;
  }
  function drawPreview(bits) {
    const ctx = preview.getContext("2d");
    const c = preview.width / N;
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, preview.width, preview.height);
    ctx.fillStyle = "#111111";
    for (let i = 0; i < N * N; i++) if (bits[i] === "1") ctx.fillRect((i % N) * c, Math.floor(i / N) * c, c, c);
    ctx.strokeStyle = "rgba(0, 114, 178, 0.45)"; ctx.lineWidth = 1;
    for (let j = 0; j <= 8; j++) {
      const p = Math.min(preview.width - 0.5, j * 4 * c + 0.5);
      ctx.beginPath(); ctx.moveTo(p, 0); ctx.lineTo(p, preview.height); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(0, p); ctx.lineTo(preview.width, p); ctx.stroke();
    }
  }

  function schedule(now) {
    clearTimeout(timer);
    const wait = now ? 0 : Math.max(0, lastSent + SEND_MS - performance.now());
    timer = setTimeout(flush, wait);
  }
  function flush() {
    lastSent = performance.now();
    const bits = bitmap();
    drawPreview(bits);
    if (bits === perf.lastBitmap) return;
    perf.lastBitmap = bits;
    perf.sent += 1;
    counter += 1;
    send("streamlit:setComponentValue", {
      value: { bitmap: bits, strokes: strokes.length, n: counter }, dataType: "json",
    });
  }
})();
