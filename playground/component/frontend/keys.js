// Keyboard shortcuts typed while the view has the focus, forwarded to the page.
//
// The page's shortcuts are Streamlit's own (st.button(..., shortcut=...), ui/shortcuts.py):
// a listener on the page's document. Key events inside this iframe never reach it, so the
// view re-dispatches the keys the server lists in args.shortcuts ({keys: ["Space", "S", ...],
// right_arrow: "S"}) as a keydown + keyup pair on the page's document (same origin: the
// component is served by the same Streamlit server). The right arrow stands for the step key,
// except on a centre handle, where the arrows move the centre (input.js handles those first
// and marks them defaultPrevented). Nothing is forwarded while the user types in a field,
// with Ctrl/Alt/Meta/Shift held (Streamlit's shortcuts have no modifiers), or for a held key
// (auto-repeat). Space on another button (PNG) keeps its own meaning: it presses that button.
// Touches no DOM of its own; reads state.args.

import { state } from "./state.js";

/** The event fields of a Streamlit shortcut name ("Space", "S", "0"). */
export function keyFields(name) {
  if (name.toLowerCase() === "space") return { key: " ", code: "Space", keyCode: 32 };
  const ch = name.slice(0, 1);
  const upper = ch.toUpperCase();
  const code = /[A-Z]/.test(upper) ? "Key" + upper : /[0-9]/.test(ch) ? "Digit" + ch : "";
  return { key: ch.toLowerCase(), code, keyCode: upper.charCodeAt(0) };
}

function typing(el) {
  if (!el || !el.tagName) return false;
  const tag = el.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
}

/** Dispatch a shortcut on the page as if typed there; false if the page is out of reach. */
export function forwardKey(name) {
  let page;
  try {
    page = window.parent;
    if (!page || page === window || !page.document) return false;
  } catch (e) {
    return false; // another origin: the page is out of reach
  }
  const fields = Object.assign(keyFields(name), { which: 0, bubbles: true, cancelable: true });
  fields.which = fields.keyCode;
  const target = page.document.body || page.document.documentElement;
  for (const type of ["keydown", "keyup"]) {
    target.dispatchEvent(new page.KeyboardEvent(type, fields));
  }
  window.__pg.forwardedKeys = (window.__pg.forwardedKeys || 0) + 1;
  return true;
}

/** The shortcut name a keydown in the view stands for, or null. */
export function shortcutFor(ev, shortcuts) {
  if (!shortcuts || ev.defaultPrevented || ev.repeat) return null;
  if (ev.ctrlKey || ev.altKey || ev.metaKey || ev.shiftKey) return null;
  const t = ev.target;
  if (typing(t)) return null;
  const onHandle = !!(t && t.classList && t.classList.contains("handle"));
  if (ev.key === "ArrowRight") return onHandle ? null : shortcuts.right_arrow || null;
  const pressed = ev.key === " " ? "space" : String(ev.key).toLowerCase();
  const name = (shortcuts.keys || []).find((k) => k.toLowerCase() === pressed);
  if (!name) return null;
  // Space or Enter on a button other than a handle presses that button
  if (pressed === "space" && t && t.tagName === "BUTTON" && !onHandle) return null;
  return name;
}

export function startKeys() {
  document.addEventListener("keydown", (ev) => {
    const name = shortcutFor(ev, state.args && state.args.shortcuts);
    if (name && forwardKey(name)) ev.preventDefault(); // Space: no scrolling, no button press
  });
}
