// Digits live view: a Streamlit (components v1) iframe, no build step, no libraries.
//
// Each server message carries a few frames (the ten templates as float32 base64 and the
// metrics of one state). The view queues them and shows one every 1/fps seconds, painting
// each template on its own 8 x 8 canvas in place, so nothing is remounted. Every number
// written here comes from the server's frames. window.__dg counts what was drawn (tests).
"use strict";

(function () {
  const K = 10, D = 64;
  const COLORS = { train: "#0072B2", test: "#D55E00" };
  // Diverging scale symmetric about 0, as charts.DIVERGING: blue (negative), white, vermillion.
  const STOPS = [[-1, [0, 114, 178]], [0, [255, 255, 255]], [1, [213, 94, 0]]];
  const state = {
    args: null, runId: -1, configVersion: -1, queue: [], current: null, due: 0,
    history: null, theme: { bg: "#ffffff", fg: "#31333f" }, width: 0, optKey: null,
  };
  const perf = (window.__dg = { messages: 0, framesShown: 0, templateUpdates: 0, step: 0, shownAt: [] });
  const $ = (id) => document.getElementById(id);

  function send(type, data) {
    window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type }, data), "*");
  }
  let lastHeight = 0;
  function setHeight() {
    const h = Math.ceil($("root").getBoundingClientRect().height) + 6;
    if (h !== lastHeight) {
      lastHeight = h;
      send("streamlit:setFrameHeight", { height: h });
    }
  }
  window.addEventListener("message", (msg) => {
    const data = msg.data;
    if (!data || data.type !== "streamlit:render") return;
    onRender(data.args || {}, data.theme);
  });
  send("streamlit:componentReady", { apiVersion: 1 });

  function b64ToFloat32(s) {
    const bin = atob(s);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  }
  function colour(t) { // t in [-1, 1]
    t = Math.max(-1, Math.min(1, t));
    for (let i = 1; i < STOPS.length; i++) {
      if (t <= STOPS[i][0]) {
        const [t0, c0] = STOPS[i - 1], [t1, c1] = STOPS[i];
        const u = (t - t0) / (t1 - t0);
        return [0, 1, 2].map((j) => Math.round(c0[j] + u * (c1[j] - c0[j])));
      }
    }
    return STOPS[STOPS.length - 1][1];
  }

  // ------------------------------------------------------------------ template grids
  function buildGrid(gridId, prefix) {
    const grid = $(gridId);
    if (grid.children.length === K) return;
    grid.innerHTML = "";
    for (let k = 0; k < K; k++) {
      const cell = document.createElement("div");
      cell.className = "cell";
      const c = document.createElement("canvas");
      c.width = 8; c.height = 8;
      c.id = prefix + "-" + k;
      c.setAttribute("aria-label", "Template of digit " + k);
      const label = document.createElement("span");
      label.textContent = String(k);
      cell.appendChild(c);
      cell.appendChild(label);
      grid.appendChild(cell);
    }
  }
  function paintGrid(prefix, W, scale) {
    const s = scale > 0 ? scale : 1;
    for (let k = 0; k < K; k++) {
      const c = $(prefix + "-" + k);
      const ctx = c.getContext("2d");
      const img = ctx.createImageData(8, 8);
      for (let p = 0; p < D; p++) {
        const [r, g, b] = colour(W[k * D + p] / s);
        img.data[4 * p] = r; img.data[4 * p + 1] = g; img.data[4 * p + 2] = b; img.data[4 * p + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
    }
    $(prefix + "-lo").textContent = "−" + fmt(s);
    $(prefix + "-hi").textContent = "+" + fmt(s);
  }
  function paintColourBar(id) {
    const c = $(id);
    const ctx = c.getContext("2d");
    const img = ctx.createImageData(c.width, 1);
    for (let i = 0; i < c.width; i++) {
      const [r, g, b] = colour((2 * i) / (c.width - 1) - 1);
      img.data[4 * i] = r; img.data[4 * i + 1] = g; img.data[4 * i + 2] = b; img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }
  function fmt(v) { return v >= 0.1 ? v.toFixed(2) : v.toPrecision(2); }
  function pct(v) { return v === null || v === undefined ? "–" : (100 * v).toFixed(1) + "%"; }
  function num(v) { return v === null || v === undefined ? "–" : v.toFixed(3); }

  // ------------------------------------------------------------------ messages
  function onRender(args, theme) {
    perf.messages += 1;
    if (theme) {
      state.theme = { bg: theme.backgroundColor || "#ffffff", fg: theme.textColor || "#31333f" };
      document.documentElement.style.setProperty("--bg", state.theme.bg);
      document.documentElement.style.setProperty("--fg", state.theme.fg);
    }
    const first = state.args === null;
    state.args = args;
    buildGrid("live-grid", "live");
    buildGrid("opt-grid", "opt");
    if (first) { paintColourBar("live-cbar"); paintColourBar("opt-cbar"); }
    const frames = args.frames || [];
    const restart = args.run_id !== state.runId;
    const flush = restart || args.config_version !== state.configVersion || !args.playing;
    state.runId = args.run_id;
    state.configVersion = args.config_version;
    if (args.history) {
      const cut = frames.length ? frames[0].step : Infinity;
      const h = args.history;
      const keep = h.step.map((s, i) => (s < cut ? i : -1)).filter((i) => i >= 0);
      state.history = {};
      for (const key of Object.keys(h)) state.history[key] = keep.map((i) => h[key][i]);
    } else if (restart || !state.history) {
      state.history = { step: [], train_ce: [], l2_term: [], test_ce: [], train_acc: [], test_acc: [] };
    }
    if (flush) {
      state.queue = frames.slice();
      state.due = 0;
    } else {
      const last = state.queue.length ? state.queue[state.queue.length - 1].step
        : (state.current ? state.current.step : -1);
      for (const f of frames) if (f.step > last) state.queue.push(f);
    }
    paintOptimum(args.optimum);
    if (first) layout();
    if (!args.playing && state.queue.length) {
      // Paused or stepping: show the last state at once (the Step button's "after").
      while (state.queue.length > 1) showFrame(state.queue.shift(), false);
      showFrame(state.queue.shift(), true);
    }
  }

  function paintOptimum(opt) {
    const panel = $("opt-panel");
    if (!opt) { panel.hidden = true; state.optKey = null; setHeight(); return; }
    panel.hidden = false;
    const key = opt.W.slice(0, 32) + opt.scale + opt.caption;
    if (key === state.optKey) return;
    state.optKey = key;
    $("opt-cap").textContent = opt.caption;
    paintGrid("opt", b64ToFloat32(opt.W), opt.scale);
    setHeight();
  }

  // ------------------------------------------------------------------ playback
  function showFrame(f, draw) {
    state.current = f;
    const h = state.history;
    if (!h.step.length || h.step[h.step.length - 1] < f.step) {
      for (const key of Object.keys(h)) h[key].push(f[key] === undefined ? null : f[key]);
      if (h.step.length > 1200) for (const key of Object.keys(h)) h[key] = h[key].filter((_, i) => i % 2 === 0 || i === h[key].length - 1);
    }
    if (!draw) return;
    paintGrid("live", b64ToFloat32(f.W), f.scale);
    perf.templateUpdates += 1;
    perf.framesShown += 1;
    perf.step = f.step;
    perf.shownAt.push(performance.now());
    if (perf.shownAt.length > 300) perf.shownAt.shift();
    $("readout").textContent = "Step " + f.step + " · train loss " + num(f.train_ce + (f.l2_term || 0)) +
      " · test loss " + num(f.test_ce) + " · train acc " + pct(f.train_acc) + " · test acc " + pct(f.test_acc);
    drawCharts();
  }
  function tick(now) {
    if (state.args && state.queue.length) {
      const fps = state.args.fps || 15;
      const lag = state.queue.length / fps;
      if (lag > 0.9) state.queue.splice(0, state.queue.length - Math.round(0.4 * fps)); // catch up
      if (now >= state.due) {
        state.due = Math.max(now, state.due + 1000 / fps - 4);
        showFrame(state.queue.shift(), true);
      }
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);

  // ------------------------------------------------------------------ curves
  function layout() {
    const dpr = window.devicePixelRatio || 1;
    for (const id of ["loss-chart", "acc-chart"]) {
      const c = $(id);
      const w = c.getBoundingClientRect().width || 300;
      c.width = Math.round(w * dpr);
      c.height = Math.round(150 * dpr);
    }
    state.width = document.documentElement.clientWidth;
    drawCharts();
    setHeight();
  }
  window.addEventListener("resize", layout);

  function drawCharts() {
    const h = state.history;
    if (!h) return;
    const losses = h.train_ce.concat(h.test_ce).filter((v) => v !== null && isFinite(v));
    const top = losses.length ? Math.max(...losses) * 1.05 : 1;
    chart("loss-chart", h.step, [h.train_ce, h.test_ce], 0, top || 1, (v) => v.toFixed(2));
    chart("acc-chart", h.step, [h.train_acc, h.test_acc], 0, 1, (v) => Math.round(100 * v) + "%");
  }
  function chart(id, steps, series, lo, hi, label) {
    const c = $(id);
    const ctx = c.getContext("2d");
    const dpr = window.devicePixelRatio || 1;
    const W = c.width / dpr, H = c.height / dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    const L = 40, R = 8, T = 6, B = 18;
    const n = steps.length;
    const x0 = n ? steps[0] : 0, x1 = n ? Math.max(steps[n - 1], x0 + 1) : 1;
    const px = (s) => L + ((s - x0) / (x1 - x0)) * (W - L - R);
    const py = (v) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
    ctx.strokeStyle = "rgba(128,128,128,0.35)";
    ctx.fillStyle = state.theme.fg;
    ctx.font = "11px sans-serif";
    ctx.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const v = lo + ((hi - lo) * i) / 4;
      ctx.beginPath(); ctx.moveTo(L, py(v)); ctx.lineTo(W - R, py(v)); ctx.stroke();
      ctx.fillText(label(v), 2, py(v) + 4);
    }
    ctx.fillText("step " + Math.round(x1), W - R - 60, H - 4);
    ctx.fillText(String(Math.round(x0)), L, H - 4);
    [COLORS.train, COLORS.test].forEach((col, j) => {
      const ys = series[j];
      ctx.strokeStyle = col; ctx.lineWidth = 2; ctx.beginPath();
      let started = false;
      for (let i = 0; i < n; i++) {
        const v = ys[i];
        if (v === null || !isFinite(v)) { started = false; continue; }
        const X = px(steps[i]), Y = py(Math.min(hi, v));
        if (started) ctx.lineTo(X, Y); else { ctx.moveTo(X, Y); started = true; }
      }
      ctx.stroke();
    });
  }
})();
