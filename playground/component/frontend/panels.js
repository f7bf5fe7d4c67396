// The optional panels under the plane and the curves (issue 18): a row #panels appended to
// #root, holding one <section> per panel with its heading, its drawing and a one-sentence
// caption. Each panel module (simplex.js, landscape.js) owns its section and draws on its own
// requestAnimationFrame loop from `state`, so the plane's frame loop (playback.js) is not
// touched. Also the panels' CSS (injected here, to keep style.css to the plane and curves).

const CSS = `
#panels { display: flex; flex-wrap: wrap; gap: 16px; flex: 1 1 100%; align-items: flex-start; }
#panels:empty, #panels section[hidden] { display: none; }
/* no row (and no 16 px gap above it) while every panel is hidden */
#panels:not(:has(> section:not([hidden]))) { display: none; }
.panel { position: relative; flex: 1 1 320px; min-width: 0; max-width: 640px; }
.panel h3 { margin: 0 0 4px; font-size: 16px; font-weight: 700; }
.panel .caption { margin: 4px 0 0; font-size: 13px; color: var(--fg); opacity: 0.8; line-height: 1.35; }
.panel .note { margin: 4px 0 0; font-size: 13px; font-weight: 600; line-height: 1.35; }
.panel canvas { display: block; }
.panel .tip { position: absolute; pointer-events: none; padding: 4px 6px; border-radius: 4px;
  font-size: 12px; line-height: 1.3; white-space: pre; background: var(--bg); color: var(--fg);
  border: 1px solid var(--muted); box-shadow: 0 1px 4px rgba(0,0,0,.25); display: none;
  font-variant-numeric: tabular-nums; z-index: 2; }
`;

let container = null;

function ensureContainer() {
  if (container) return container;
  const style = document.createElement("style");
  style.textContent = CSS;
  document.head.appendChild(style);
  container = document.createElement("div");
  container.id = "panels";
  document.getElementById("root").appendChild(container);
  return container;
}

/** A hidden <section> with an <h3> title and a caption paragraph, in display order. */
export function makePanel(id, title, order) {
  const root = ensureContainer();
  const section = document.createElement("section");
  section.id = id;
  section.className = "panel";
  section.hidden = true;
  section.style.order = String(order);
  section.setAttribute("aria-labelledby", id + "-title");
  const h = document.createElement("h3");
  h.id = id + "-title";
  h.textContent = title;
  const body = document.createElement("div");
  body.className = "panel-body";
  body.style.position = "relative";
  const note = document.createElement("p");
  note.className = "note";
  note.hidden = true;
  const caption = document.createElement("p");
  caption.className = "caption";
  section.append(h, body, note, caption);
  root.appendChild(section);
  return { section, body, note, caption };
}

/** The width a panel gets: half the row when two fit side by side, else the whole row. */
export function panelWidth() {
  const width = document.documentElement.clientWidth || window.innerWidth || 800;
  const both = width >= 700;
  return Math.max(260, Math.min(640, both ? Math.floor((width - 16) / 2) : width));
}
