// Softmax playground view: a Streamlit (components v1) iframe, no build step, no libraries.
//
// The server (NumPy) computes a short trajectory of frames per message: parameters W (D x K),
// b (K), the full-batch gradient and the metrics of each step. This view queues them and
// plays them back at `fps`, so the animation is smooth although the server sends only a few
// messages a second. It draws, from each frame's W and b: the decision regions (colour =
// argmax class, intensity = max probability), the exact boundaries, the per-sample arrows
// -W (pi - y), the weight vectors and their descent steps. Every number written on screen
// comes from the server's frames; the browser only evaluates the model to paint it.
//
// Real data (more than two features): the server sends each frame's model restricted to the
// plotted plane (W_eff = V^T W, b_eff = b + W^T m), so regions and boundaries stay exact on
// that plane; x and y ranges ("view", "view_y") may differ. Arrows then need every point's
// full feature vector: with arrows_mode "server" they come from the server for one frame.
//
// Events sent back (setComponentValue): {type: "move", cls, x, y, id} when a centre is
// dropped or moved with the keyboard, {type: "select", index, id} when a point is clicked.
"use strict";

(function () {
  const VIEW_PAD = 0; // data square is args.view; no padding
  const state = {
    args: null,
    theme: { bg: "#ffffff", fg: "#31333f", base: "light" },
    X: null, labels: null, isTest: null, n: 0,
    dataVersion: -1, runId: -1, configVersion: -1, lastAck: null,
    centresServer: [], centresLocal: [], pending: {},
    queue: [], current: null, due: 0, prevNow: 0, forceNext: false,
    history: null,
    selected: null,
    size: 480, sideWide: true,
    dirty: true,
    drag: null,
  };
  const perf = (window.__pg = {
    framesDrawn: 0, step: 0, messages: 0, bytes: 0, lastMessageBytes: 0,
    releaseLatencies: [], pendingRelease: null, drawMs: [], queueLength: 0,
    regionsVersion: 0, pointsVersion: 0, ticks: 0, msgTimes: [],
  });
  const sessionTag = Math.random().toString(36).slice(2, 8);
  let eventCounter = 0;

  const $ = (id) => document.getElementById(id);
  const regions = $("regions"), overlay = $("overlay"), handlesDiv = $("handles");
  const mainDiv = $("main");
  const gridCanvas = document.createElement("canvas");
  let gridImage = null;

  // ---------------------------------------------------------------- Streamlit protocol
  function send(type, data) {
    window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type }, data), "*");
  }
  function setValue(value) {
    send("streamlit:setComponentValue", { value, dataType: "json" });
  }
  function setHeight() {
    const h = Math.ceil(document.getElementById("root").getBoundingClientRect().height) + 4;
    if (h !== state.lastHeight) {
      state.lastHeight = h;
      send("streamlit:setFrameHeight", { height: h });
    }
  }
  function emit(event) {
    eventCounter += 1;
    event.id = sessionTag + "-" + eventCounter;
    setValue(event);
    return event.id;
  }

  window.addEventListener("message", (msg) => {
    const data = msg.data;
    if (!data || data.type !== "streamlit:render") return;
    onRender(data.args || {}, data.theme);
  });
  send("streamlit:componentReady", { apiVersion: 1 });

  // ---------------------------------------------------------------- decoding helpers
  function b64ToBytes(s) {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function b64ToFloat32(s) {
    const bytes = b64ToBytes(s);
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  }
  function hexToRgb(hex) {
    const h = hex.replace("#", "");
    const v = parseInt(h.length === 3 ? h.split("").map((c) => c + c).join("") : h, 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }

  // ---------------------------------------------------------------- messages
  function onRender(args, theme) {
    perf.messages += 1;
    perf.msgTimes.push([performance.now(), (args.frames || []).length]);
    if (perf.msgTimes.length > 600) perf.msgTimes.shift();
    try {
      const bytes = JSON.stringify(args).length;
      perf.bytes += bytes;
      perf.lastMessageBytes = bytes;
    } catch (e) { /* ignore */ }
    if (theme) {
      state.theme = {
        bg: theme.backgroundColor || "#ffffff",
        fg: theme.textColor || "#31333f",
        base: theme.base || "light",
      };
      document.documentElement.style.setProperty("--bg", state.theme.bg);
      document.documentElement.style.setProperty("--fg", state.theme.fg);
    }
    const first = state.args === null;
    state.args = args;
    if (args.points) {
      state.X = b64ToFloat32(args.points.xy);
      state.labels = b64ToBytes(args.points.labels);
      state.isTest = b64ToBytes(args.points.is_test);
      state.n = state.labels.length;
      state.dataVersion = args.data_version;
      perf.pointsVersion += 1;
    }
    state.centresServer = args.centres.map((c) => c.slice());
    // A local (dragged) centre wins until the server has data that includes it.
    for (const k of Object.keys(state.pending)) {
      if (state.pending[k].version < args.data_version || k >= args.centres.length) {
        delete state.pending[k];
      }
    }
    // ...and the centre under the pointer stays where the pointer put it (else a message
    // arriving mid-drag snaps it back, and a release right after drops the move).
    state.centresLocal = args.centres.map((c, k) =>
      state.pending[k] ? [state.pending[k].x, state.pending[k].y]
        : state.drag && state.drag.k === k ? state.centresLocal[k] : c.slice());
    state.selected = args.selected;

    const restart = args.run_id !== state.runId;
    const flush = restart || args.config_version !== state.configVersion || !args.playing;
    state.runId = args.run_id;
    state.configVersion = args.config_version;
    const frames = args.frames || [];
    if (args.history) {
      const cut = frames.length ? frames[0].step : Infinity;
      const h = args.history;
      const keep = h.step.map((s, i) => (s < cut ? i : -1)).filter((i) => i >= 0);
      state.history = {};
      for (const key of Object.keys(h)) state.history[key] = keep.map((i) => h[key][i]);
    } else if (restart || !state.history) {
      state.history = { step: [], train_ce: [], l2_term: [], test_ce: [], train_acc: [], test_acc: [], w_norm: [] };
    }
    if (flush) {
      state.queue = frames.slice();
      state.forceNext = true;
    } else {
      const lastStep = state.queue.length ? state.queue[state.queue.length - 1].step
        : (state.current ? state.current.step : -1);
      for (const f of frames) if (f.step > lastStep) state.queue.push(f);
    }
    if (args.ack && perf.pendingRelease && args.ack === perf.pendingRelease.id) {
      perf.pendingRelease.acked = true;
    }
    buildHandles();
    if (first) layout();
    state.dirty = true;
    // A message of an interrupted server run can be dropped, and the view can be remounted:
    // if what it holds is older than what the server describes, ask for everything again.
    const stale = args.data_version !== state.dataVersion || (restart && !args.history);
    const now = performance.now();
    if (stale && !(state.lastResync > now - 1000)) {
      state.lastResync = now;
      perf.resyncs = (perf.resyncs || 0) + 1;
      emit({ type: "resync" });
    }
  }

  // ---------------------------------------------------------------- layout
  function layout() {
    const width = document.documentElement.clientWidth || window.innerWidth || 800;
    state.sideWide = width >= 760;
    const size = state.sideWide ? Math.min(620, Math.max(320, width - 300)) : Math.min(width, 620);
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
    const side = $("side");
    side.style.flexBasis = state.sideWide ? Math.max(240, width - size - 24) + "px" : "100%";
    const chartW = state.sideWide ? Math.max(240, width - size - 24) : width;
    const chartH = Math.max(120, Math.floor((size - 90) / 3));
    for (const id of ["loss-chart", "acc-chart", "norm-chart"]) {
      const c = $(id);
      c.width = Math.round(chartW * dpr);
      c.height = Math.round(chartH * dpr);
      c.style.width = chartW + "px";
      c.style.height = chartH + "px";
    }
    positionHandles();
    state.dirty = true;
    setHeight();
  }
  window.addEventListener("resize", () => layout());

  // data <-> pixel transforms (y up); x and y may have different ranges
  function view() { return state.args ? state.args.view : [-5, 5]; }
  function viewY() { return state.args && state.args.view_y ? state.args.view_y : view(); }
  function toPx(x, y) {
    const [lo, hi] = view(), [ylo, yhi] = viewY();
    const sx = state.size / (hi - lo + 2 * VIEW_PAD), sy = state.size / (yhi - ylo + 2 * VIEW_PAD);
    return [(x - lo + VIEW_PAD) * sx, (yhi - y + VIEW_PAD) * sy];
  }
  function toData(px, py) {
    const [lo, hi] = view(), [ylo, yhi] = viewY();
    const sx = state.size / (hi - lo + 2 * VIEW_PAD), sy = state.size / (yhi - ylo + 2 * VIEW_PAD);
    return [px / sx + lo - VIEW_PAD, yhi + VIEW_PAD - py / sy];
  }

  // ---------------------------------------------------------------- handles
  function buildHandles() {
    const k = state.args.centres.length;
    const colors = state.args.colors;
    if (handlesDiv.children.length !== k) {
      handlesDiv.innerHTML = "";
      for (let i = 0; i < k; i++) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "handle";
        b.setAttribute("aria-label", "Centre of class " + (i + 1));
        b.setAttribute("aria-describedby", "help");
        b.dataset.cls = String(i);
        const label = document.createElement("span");
        label.textContent = String(i + 1);
        b.appendChild(label);
        b.addEventListener("pointerdown", onHandleDown);
        b.addEventListener("keydown", onHandleKey);
        handlesDiv.appendChild(b);
      }
    }
    for (let i = 0; i < k; i++) handlesDiv.children[i].style.background = colors[i];
    positionHandles();
  }
  function positionHandles() {
    if (!state.args) return;
    for (let i = 0; i < handlesDiv.children.length; i++) {
      const c = state.centresLocal[i];
      if (!c) continue;
      const [px, py] = toPx(c[0], c[1]);
      const h = handlesDiv.children[i];
      h.style.left = px + "px";
      h.style.top = py + "px";
      const names = state.args.class_names;
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
    const move = (e) => {
      if (!state.drag) return;
      const rect = mainDiv.getBoundingClientRect();
      const [x, y] = toData(e.clientX - rect.left, e.clientY - rect.top);
      state.centresLocal[k] = [clampCentre(x, 0), clampCentre(y, 1)];
      positionHandles();
      state.dirty = true;
    };
    const up = () => {
      btn.removeEventListener("pointermove", move);
      btn.removeEventListener("pointerup", up);
      btn.removeEventListener("pointercancel", up);
      state.drag = null;
      commitCentre(k, true);
    };
    btn.addEventListener("pointermove", move);
    btn.addEventListener("pointerup", up);
    btn.addEventListener("pointercancel", up);
  }
  let keyTimer = null;
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

  // ---------------------------------------------------------------- point selection
  overlay.addEventListener("pointerdown", (ev) => {
    if (!state.X) return;
    const rect = overlay.getBoundingClientRect();
    const px = ev.clientX - rect.left, py = ev.clientY - rect.top;
    let best = -1, bestD = 100; // within 10 px
    const off = classOffsets();
    for (let i = 0; i < state.n; i++) {
      const c = state.labels[i];
      const [qx, qy] = toPx(state.X[2 * i] + off[c][0], state.X[2 * i + 1] + off[c][1]);
      const d = (qx - px) ** 2 + (qy - py) ** 2;
      if (d < bestD) { bestD = d; best = i; }
    }
    state.selected = best >= 0 ? best : null;
    state.dirty = true;
    emit({ type: "select", index: state.selected });
  });

  // Points move with a dragged centre: regenerating a class around a new centre with the
  // same seed is a pure translation, so the browser can show it before the server has it.
  function classOffsets() {
    return state.centresLocal.map((c, k) => {
      const s = state.centresServer[k];
      return s ? [c[0] - s[0], c[1] - s[1]] : [0, 0];
    });
  }

  // ---------------------------------------------------------------- the model, for painting
  function logitsAt(frame, x, y, out) {
    const W = frame.W, b = frame.b, K = b.length;
    for (let k = 0; k < K; k++) out[k] = W[0][k] * x + W[1][k] * y + b[k];
    return out;
  }

  function drawRegions(frame) {
    const G = state.args.grid, K = frame.b.length;
    if (gridCanvas.width !== G) { gridCanvas.width = G; gridCanvas.height = G; gridImage = null; }
    const gctx = gridCanvas.getContext("2d");
    if (!gridImage) gridImage = gctx.createImageData(G, G);
    const data = gridImage.data;
    const [lo, hi] = view(), [ylo, yhi] = viewY();
    const bg = hexToRgb(state.theme.bg);
    const cols = state.args.colors.map(hexToRgb);
    const W = frame.W, b = frame.b;
    const z = new Float64Array(K);
    const inv = 1 / K;
    const strength = state.theme.base === "dark" ? 0.62 : 0.55;
    for (let r = 0; r < G; r++) {
      const y = yhi - ((r + 0.5) / G) * (yhi - ylo);
      for (let c = 0; c < G; c++) {
        const x = lo + ((c + 0.5) / G) * (hi - lo);
        let zmax = -Infinity, arg = 0;
        for (let k = 0; k < K; k++) {
          const v = W[0][k] * x + W[1][k] * y + b[k];
          z[k] = v;
          if (v > zmax) { zmax = v; arg = k; }
        }
        let s = 0;
        for (let k = 0; k < K; k++) s += Math.exp(z[k] - zmax);
        const conf = 1 / s; // max_k pi_k
        const t = Math.max(0, Math.min(1, (conf - inv) / (1 - inv)));
        const a = 0.1 + strength * t;
        const col = cols[arg];
        const o = 4 * (r * G + c);
        data[o] = bg[0] + (col[0] - bg[0]) * a;
        data[o + 1] = bg[1] + (col[1] - bg[1]) * a;
        data[o + 2] = bg[2] + (col[2] - bg[2]) * a;
        data[o + 3] = 255;
      }
    }
    gctx.putImageData(gridImage, 0, 0);
    const ctx = regions.getContext("2d");
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(gridCanvas, 0, 0, regions.width, regions.height);
    perf.regionsVersion += 1;
  }

  // Segment of the boundary between classes i and j: the line z_i = z_j, clipped to the view
  // and to where i and j beat every other class.
  function boundarySegments(frame) {
    const W = frame.W, b = frame.b, K = b.length;
    const [lo, hi] = view(), [ylo, yhi] = viewY();
    const segs = [];
    for (let i = 0; i < K; i++) {
      for (let j = i + 1; j < K; j++) {
        const nx = W[0][i] - W[0][j], ny = W[1][i] - W[1][j], c = b[i] - b[j];
        const nn = nx * nx + ny * ny;
        if (nn < 1e-18) continue;
        const p0 = [-c * nx / nn, -c * ny / nn];
        const norm = Math.sqrt(nn);
        const d = [-ny / norm, nx / norm];
        let t0 = -1e9, t1 = 1e9;
        const clip = (a, s) => { // keep t with a + s t >= 0
          if (Math.abs(s) < 1e-15) { if (a < 0) { t0 = 1; t1 = 0; } return; }
          const t = -a / s;
          if (s > 0) t0 = Math.max(t0, t); else t1 = Math.min(t1, t);
        };
        clip(p0[0] - lo, d[0]); clip(hi - p0[0], -d[0]);
        clip(p0[1] - ylo, d[1]); clip(yhi - p0[1], -d[1]);
        for (let m = 0; m < K; m++) {
          if (m === i || m === j) continue;
          const ax = W[0][i] - W[0][m], ay = W[1][i] - W[1][m], ac = b[i] - b[m];
          clip(ax * p0[0] + ay * p0[1] + ac, ax * d[0] + ay * d[1]);
        }
        if (t1 > t0) segs.push([p0[0] + t0 * d[0], p0[1] + t0 * d[1], p0[0] + t1 * d[0], p0[1] + t1 * d[1]]);
      }
    }
    return segs;
  }

  function arrow(ctx, x0, y0, x1, y1, head) {
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

  function drawOverlay(frame) {
    const ctx = overlay.getContext("2d");
    const dpr = overlay.width / state.size;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, state.size, state.size);
    const fg = state.theme.fg, dark = state.theme.base === "dark";
    const outline = dark ? "rgba(0,0,0,0.85)" : "rgba(255,255,255,0.95)";
    const colors = state.args.colors;
    const K = frame.b.length;
    const off = classOffsets();

    // axes through the origin
    ctx.strokeStyle = dark ? "rgba(255,255,255,0.25)" : "rgba(0,0,0,0.2)";
    ctx.lineWidth = 1;
    const [ox, oy] = toPx(0, 0);
    ctx.beginPath();
    ctx.moveTo(0, oy); ctx.lineTo(state.size, oy);
    ctx.moveTo(ox, 0); ctx.lineTo(ox, state.size);
    ctx.stroke();

    // boundaries: current model solid, optimum dashed
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = fg;
    ctx.globalAlpha = 0.55;
    for (const s of boundarySegments(frame)) {
      const [a, bb] = toPx(s[0], s[1]), [c, d] = toPx(s[2], s[3]);
      ctx.beginPath(); ctx.moveTo(a, bb); ctx.lineTo(c, d); ctx.stroke();
    }
    ctx.globalAlpha = 1;
    if (state.args.show_optimum && state.args.optimum) {
      ctx.setLineDash([7, 5]);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = fg;
      for (const s of boundarySegments(state.args.optimum)) {
        const [a, bb] = toPx(s[0], s[1]), [c, d] = toPx(s[2], s[3]);
        ctx.beginPath(); ctx.moveTo(a, bb); ctx.lineTo(c, d); ctx.stroke();
      }
      ctx.setLineDash([]);
    }

    // per-sample arrows -W (pi - y), scaled by their bound sqrt(2) * ||W||_2 (of W_eff)
    const serverArrows = state.args.arrows_mode === "server";
    const spanMin = Math.min(view()[1] - view()[0], viewY()[1] - viewY()[0]);
    if (state.args.show_arrows && state.X && serverArrows) {
      // More than two features: the plane's part of each arrow, computed on the server from
      // each point's full feature vector, for one frame only (drawn when that frame shows).
      const a = state.args.arrows;
      if (a && a.step === frame.step && !state.args.playing && state.n) {
        const xy = b64ToFloat32(a.xy);
        const W = frame.W;
        let aa = 0, bq = 0, c = 0;
        for (let k = 0; k < K; k++) { aa += W[0][k] ** 2; bq += W[0][k] * W[1][k]; c += W[1][k] ** 2; }
        const sigma = Math.sqrt((aa + c) / 2 + Math.sqrt(((aa - c) / 2) ** 2 + bq * bq));
        if (sigma > 1e-12) {
          const scale = (0.07 * spanMin) / (Math.SQRT2 * sigma);
          ctx.lineWidth = 1.2;
          ctx.strokeStyle = dark ? "rgba(255,255,255,0.75)" : "rgba(20,20,20,0.7)";
          for (let i = 0; i < state.n; i++) {
            if (state.isTest[i]) continue;
            const lab = state.labels[i];
            const x = state.X[2 * i] + off[lab][0], y = state.X[2 * i + 1] + off[lab][1];
            const [px, py] = toPx(x, y), [qx, qy] = toPx(x + xy[2 * i] * scale, y + xy[2 * i + 1] * scale);
            arrow(ctx, px, py, qx, qy, 4);
          }
        }
      }
    } else if (state.args.show_arrows && state.X) {
      const W = frame.W;
      let a = 0, bq = 0, c = 0; // W W^T = [[a, bq], [bq, c]]
      for (let k = 0; k < K; k++) { a += W[0][k] ** 2; bq += W[0][k] * W[1][k]; c += W[1][k] ** 2; }
      const lmax = (a + c) / 2 + Math.sqrt(((a - c) / 2) ** 2 + bq * bq);
      const sigma = Math.sqrt(lmax);
      if (sigma > 1e-12) {
        const scale = (0.07 * spanMin) / (Math.SQRT2 * sigma); // data units
        const sameScale = view()[1] - view()[0] === viewY()[1] - viewY()[0];
        const z = new Float64Array(K);
        ctx.lineWidth = 1.2;
        for (let i = 0; i < state.n; i++) {
          if (state.isTest[i]) continue;
          const lab = state.labels[i];
          const x = state.X[2 * i] + off[lab][0], y = state.X[2 * i + 1] + off[lab][1];
          logitsAt(frame, x, y, z);
          let zmax = -Infinity;
          for (let k = 0; k < K; k++) if (z[k] > zmax) zmax = z[k];
          let s = 0;
          for (let k = 0; k < K; k++) { z[k] = Math.exp(z[k] - zmax); s += z[k]; }
          let gx = 0, gy = 0;
          for (let k = 0; k < K; k++) {
            const r = z[k] / s - (k === lab ? 1 : 0);
            gx -= W[0][k] * r; gy -= W[1][k] * r;
          }
          const [px, py] = toPx(x, y);
          ctx.strokeStyle = dark ? "rgba(255,255,255,0.75)" : "rgba(20,20,20,0.7)";
          if (sameScale) {
            const k = state.size / (view()[1] - view()[0]); // pixels per data unit
            arrow(ctx, px, py, px + gx * scale * k, py - gy * scale * k, 4);
          } else {
            const [qx, qy] = toPx(x + gx * scale, y + gy * scale);
            arrow(ctx, px, py, qx, qy, 4);
          }
        }
      }
    }

    // points: training filled, test hollow
    if (state.X) {
      for (let i = 0; i < state.n; i++) {
        const lab = state.labels[i];
        const [px, py] = toPx(state.X[2 * i] + off[lab][0], state.X[2 * i + 1] + off[lab][1]);
        ctx.beginPath();
        ctx.arc(px, py, 4, 0, 2 * Math.PI);
        if (state.isTest[i]) {
          ctx.lineWidth = 3.5; ctx.strokeStyle = outline; ctx.stroke();
          ctx.lineWidth = 2; ctx.strokeStyle = colors[lab]; ctx.stroke();
        } else {
          ctx.fillStyle = colors[lab]; ctx.fill();
          ctx.lineWidth = 1; ctx.strokeStyle = outline; ctx.stroke();
        }
      }
      if (state.selected !== null && state.selected !== undefined && state.selected < state.n) {
        const i = state.selected, lab = state.labels[i];
        const [px, py] = toPx(state.X[2 * i] + off[lab][0], state.X[2 * i + 1] + off[lab][1]);
        ctx.beginPath(); ctx.arc(px, py, 9, 0, 2 * Math.PI);
        ctx.lineWidth = 2.5; ctx.strokeStyle = fg; ctx.stroke();
      }
    }

    // axis names (real data): the plotted features or principal components
    if (state.args.axis_names) {
      const [nx, ny] = state.args.axis_names;
      ctx.font = "12px sans-serif";
      ctx.fillStyle = fg;
      ctx.textAlign = "right";
      ctx.fillText(nx + " →", state.size - 6, state.size - 6);
      ctx.save();
      ctx.translate(14, state.size - 6);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = "left";
      ctx.fillText(ny + " →", 0, 0);
      ctx.restore();
      ctx.textAlign = "left";
    }

    // weight vectors w_k from the origin and their descent steps -lr dJ/dw_k
    if (state.args.show_weights) {
      const W = frame.W, dW = frame.dW, lr = state.args.lr;
      let maxNorm = 0;
      for (let k = 0; k < K; k++) maxNorm = Math.max(maxNorm, Math.hypot(W[0][k], W[1][k]));
      if (maxNorm > 1e-12) {
        const s = (0.4 * spanMin / 2) / maxNorm;
        for (let k = 0; k < K; k++) {
          const tx = W[0][k] * s, ty = W[1][k] * s;
          const [p0x, p0y] = toPx(0, 0), [p1x, p1y] = toPx(tx, ty);
          ctx.strokeStyle = outline; ctx.lineWidth = 5; arrow(ctx, p0x, p0y, p1x, p1y, 10);
          ctx.strokeStyle = colors[k]; ctx.lineWidth = 3; arrow(ctx, p0x, p0y, p1x, p1y, 10);
          const sx = tx - lr * dW[0][k] * s, sy = ty - lr * dW[1][k] * s;
          const [p2x, p2y] = toPx(sx, sy);
          ctx.setLineDash([3, 3]);
          ctx.strokeStyle = fg; ctx.lineWidth = 2; arrow(ctx, p1x, p1y, p2x, p2y, 7);
          ctx.setLineDash([]);
          ctx.fillStyle = fg;
          ctx.font = "600 13px sans-serif";
          ctx.fillText("w" + (k + 1), p1x + 6, p1y - 6);
        }
      }
    }
  }

  // ---------------------------------------------------------------- line charts
  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return "–";
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e4)) return v.toExponential(1);
    return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
  }
  function drawChart(canvas, series, opts) {
    const ctx = canvas.getContext("2d");
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.width / dpr, h = canvas.height / dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const left = 48, right = 8, top = 6, bottom = 18;
    const xs = state.history.step;
    if (!xs.length) return;
    let x0 = xs[0], x1 = xs[xs.length - 1];
    if (x1 <= x0) x1 = x0 + 1;
    const tf = (v) => (opts.log ? (v > 0 ? Math.log10(v) : null) : v);
    let y0 = Infinity, y1 = -Infinity;
    for (const s of series) for (const v of s.ys) {
      const t = v === null ? null : tf(v);
      if (t !== null && isFinite(t)) { y0 = Math.min(y0, t); y1 = Math.max(y1, t); }
    }
    if (opts.fixed) { y0 = opts.fixed[0]; y1 = opts.fixed[1]; }
    if (!isFinite(y0)) return;
    if (y1 - y0 < 1e-9) { y0 -= 0.5; y1 += 0.5; }
    const pad = (y1 - y0) * 0.05;
    y0 -= opts.fixed ? 0 : pad; y1 += opts.fixed ? 0 : pad;
    const X = (v) => left + ((v - x0) / (x1 - x0)) * (w - left - right);
    const Y = (v) => top + (1 - (v - y0) / (y1 - y0)) * (h - top - bottom);
    ctx.strokeStyle = "rgba(128,132,149,0.35)";
    ctx.lineWidth = 1;
    ctx.fillStyle = state.theme.fg;
    ctx.font = "11px sans-serif";
    for (let i = 0; i <= 2; i++) {
      const v = y0 + ((y1 - y0) * i) / 2;
      const yy = Y(v);
      ctx.beginPath(); ctx.moveTo(left, yy); ctx.lineTo(w - right, yy); ctx.stroke();
      ctx.fillText(fmt(opts.log ? 10 ** v : v), 2, yy + 4);
    }
    ctx.fillText("step " + x1, w - right - 60, h - 4);
    ctx.fillText(String(x0), left, h - 4);
    for (const s of series) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 2;
      ctx.setLineDash(s.dash || []);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < xs.length; i++) {
        const t = s.ys[i] === null ? null : tf(s.ys[i]);
        if (t === null || !isFinite(t)) { pen = false; continue; }
        if (pen) ctx.lineTo(X(xs[i]), Y(t)); else ctx.moveTo(X(xs[i]), Y(t));
        pen = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }
  function legend(el, items) {
    el.innerHTML = items.map((it) =>
      `<span><i style="background:${it.color}"></i>${it.name}</span>`).join("");
  }
  function drawCharts() {
    const h = state.history;
    const log = state.args.log_scale;
    const c = state.args.curve_colors;
    $("loss-title").textContent = "Loss (" + (log ? "log scale" : "linear") + ")";
    const total = h.train_ce.map((v, i) => (v === null || h.l2_term[i] === null ? null : v + h.l2_term[i]));
    drawChart($("loss-chart"), [
      { ys: h.train_ce, color: c.train },
      { ys: h.test_ce, color: c.test, dash: [5, 3] },
      { ys: h.l2_term, color: c.l2 },
      { ys: total, color: c.total, dash: [2, 2] },
    ], { log });
    drawChart($("acc-chart"), [
      { ys: h.train_acc, color: c.train },
      { ys: h.test_acc, color: c.test, dash: [5, 3] },
    ], { fixed: [0, 1] });
    drawChart($("norm-chart"), [{ ys: h.w_norm, color: c.total }], { log });
    if (state.legendFor !== JSON.stringify(c)) {
      state.legendFor = JSON.stringify(c);
      legend($("loss-legend"), [
        { name: "train cross-entropy", color: c.train },
        { name: "test cross-entropy (dashed)", color: c.test },
        { name: "L2 term (l2/2)‖W‖²", color: c.l2 },
        { name: "train total (dotted)", color: c.total },
      ]);
      legend($("acc-legend"), [
        { name: "train", color: c.train },
        { name: "test (dashed)", color: c.test },
      ]);
    }
  }

  // ---------------------------------------------------------------- the frame loop
  function appendHistory(f) {
    const h = state.history;
    if (h.step.length && h.step[h.step.length - 1] >= f.step) return;
    h.step.push(f.step);
    for (const key of ["train_ce", "l2_term", "test_ce", "train_acc", "test_acc", "w_norm"]) h[key].push(f[key]);
    if (h.step.length > 4000) for (const key of Object.keys(h)) h[key] = h[key].filter((_, i) => i % 2 === 0);
  }

  function tick(now) {
    requestAnimationFrame(tick);
    perf.ticks += 1;
    if (!state.args) return;
    const fps = state.args.fps || 60;
    let popped = null;
    // Play `fps` frames a second whatever the display rate: an accumulator of frames due.
    const dt = state.prevNow ? Math.min(250, now - state.prevNow) : 0;
    state.prevNow = now;
    if (state.queue.length) {
      // Round, not floor: with rAF jitter (10 ms, then 23 ms) a 60 Hz display still takes
      // exactly one frame per tick; a 120 Hz display takes one every other tick.
      state.due = Math.min(4, state.due + (dt * fps) / 1000);
      let take = state.due >= 0.5 ? Math.round(state.due) : 0;
      if (!state.current || state.forceNext) { take = Math.max(take, 1); state.forceNext = false; }
      state.due = Math.max(-1, state.due - take);
      // Keep the lag behind the server short: catch up when the queue grows long.
      const excess = state.queue.length - Math.ceil(fps * 0.6);
      if (excess > 0) take += Math.ceil(excess / 16);
      take = Math.min(take, state.queue.length);
      while (take-- > 0) {
        popped = state.queue.shift();
        appendHistory(popped);
      }
    } else {
      state.due = Math.min(state.due, 1);
    }
    perf.queueLength = state.queue.length;
    perf.qHist = perf.qHist || [];
    perf.qHist.push(state.queue.length * (popped ? 1 : -1));
    if (perf.qHist.length > 300) perf.qHist.shift();
    if (popped) {
      state.current = popped;
      state.dirty = true;
    }
    if (!state.current || !state.dirty) return;
    const t0 = performance.now();
    const f = state.current;
    drawRegions(f);
    drawOverlay(f);
    drawCharts();
    $("step-counter").textContent = "Step " + f.step;
    const loss = f.train_ce === null ? null : f.train_ce + (f.l2_term || 0);
    $("readout").textContent = "loss " + fmt(loss) + " · train acc " +
      (f.train_acc === null ? "–" : (100 * f.train_acc).toFixed(1) + "%");
    perf.step = f.step;
    if (popped) perf.framesDrawn += 1;
    state.dirty = false;
    const ms = performance.now() - t0;
    perf.drawMs.push(ms);
    if (perf.drawMs.length > 240) perf.drawMs.shift();
    if (perf.pendingRelease && perf.pendingRelease.acked && popped) {
      perf.releaseLatencies.push(performance.now() - perf.pendingRelease.t0);
      perf.pendingRelease = null;
    }
    document.body.dataset.step = String(f.step);
    document.body.dataset.framesDrawn = String(perf.framesDrawn);
  }
  requestAnimationFrame(tick);

  // ---------------------------------------------------------------- PNG export
  $("download").addEventListener("click", () => {
    const c = document.createElement("canvas");
    c.width = regions.width; c.height = regions.height;
    const ctx = c.getContext("2d");
    ctx.drawImage(regions, 0, 0);
    ctx.drawImage(overlay, 0, 0);
    const a = document.createElement("a");
    a.download = "softmax-playground-step-" + perf.step + ".png";
    a.href = c.toDataURL("image/png");
    a.click();
  });

  new ResizeObserver(() => setHeight()).observe(document.getElementById("root"));
})();
