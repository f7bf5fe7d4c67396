// The view's shared state: what the server last sent, the playback queue, the centres as the
// user sees them, and window.__pg (figures read by the tests and benchmarks/bench_live.py).
// Also the pure helpers every painter needs: data <-> pixel transforms and base64 decoding.
// Touches no DOM. Every other module may read and write `state`; only playback.js and
// messages.js write `perf` counters.

export const state = {
  args: null,
  theme: { bg: "#ffffff", fg: "#31333f", base: "light", font: "sans-serif" },
  X: null, labels: null, isTest: null, n: 0,
  dataVersion: -1, runId: -1, configVersion: -1,
  centresServer: [], centresLocal: [], pending: {},
  queue: [], current: null, due: 0, prevNow: 0, forceNext: false,
  history: null,
  selected: null,
  size: 480, sideWide: true,
  dirty: true,
  drag: null,
};

export const perf = (window.__pg = {
  framesDrawn: 0, step: 0, messages: 0, bytes: 0, lastMessageBytes: 0,
  releaseLatencies: [], pendingRelease: null, drawMs: [], queueLength: 0,
  regionsVersion: 0, pointsVersion: 0, ticks: 0, msgTimes: [],
});

// A draw's duration in ms, appended to perf[key] (created on first use), keeping the last
// `keep` (what the tests and benchmarks/bench_panels.py read).
export function recordMs(key, t0, keep = 120) {
  const list = (perf[key] = perf[key] || []);
  list.push(performance.now() - t0);
  if (list.length > keep) list.shift();
}

export const HISTORY_KEYS = ["train_ce", "l2_term", "test_ce", "train_acc", "test_acc", "w_norm"];

export function emptyHistory() {
  const h = { step: [] };
  for (const key of HISTORY_KEYS) h[key] = [];
  return h;
}

// ---------------------------------------------------------------- data <-> pixels (y up)
// x and y may have different ranges ("view" and "view_y" of the server's plane).
export function view() { return state.args ? state.args.view : [-5, 5]; }
export function viewY() { return state.args && state.args.view_y ? state.args.view_y : view(); }

export function toPx(x, y) {
  const [lo, hi] = view(), [ylo, yhi] = viewY();
  return [(x - lo) * state.size / (hi - lo), (yhi - y) * state.size / (yhi - ylo)];
}

export function toData(px, py) {
  const [lo, hi] = view(), [ylo, yhi] = viewY();
  return [px * (hi - lo) / state.size + lo, yhi - py * (yhi - ylo) / state.size];
}

// Points move with a dragged centre: regenerating a class around a new centre with the
// same seed is a pure translation, so the browser can show it before the server has it.
// Data without centres (circle, xor, spiral): no offsets, one [0, 0] per class.
export function classOffsets() {
  const off = state.centresLocal.map((c, k) => {
    const s = state.centresServer[k];
    return s ? [c[0] - s[0], c[1] - s[1]] : [0, 0];
  });
  const K = state.args && state.args.colors ? state.args.colors.length : 0;
  while (off.length < K) off.push([0, 0]);
  return off;
}

// ---------------------------------------------------------------- decoding
export function b64ToBytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function b64ToFloat32(s) {
  const bytes = b64ToBytes(s);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

export function hexToRgb(hex) {
  const h = hex.replace("#", "");
  const v = parseInt(h.length === 3 ? h.split("").map((c) => c + c).join("") : h, 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

// A number for the status line and chart labels: 3 significant-ish digits.
export function fmt(v) {
  if (v === null || v === undefined || !isFinite(v)) return "–";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e4)) return v.toExponential(1);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
}
