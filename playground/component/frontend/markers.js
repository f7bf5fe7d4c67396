// The data points' marker shape per class, so that a point's class is not told by colour
// alone (WCAG 2.1 1.4.1 use of colour): circle, square, diamond, triangle up, triangle down,
// cross, cycling when K > 6. Each shape has about the area of the circle of radius r, so no
// class looks heavier. Used by the plane (overlay.js), the legend (legend.js) and the simplex
// panel (simplex.js). Builds a path only; the caller fills or strokes it.

export const SHAPES = ["circle", "square", "diamond", "triangle up", "triangle down", "cross"];

const S = Math.sqrt(Math.PI) / 2; // square: half side for the circle's area
const D = Math.sqrt(Math.PI / 2); // diamond: half diagonal
const T = Math.sqrt((4 * Math.PI) / (3 * Math.sqrt(3))); // equilateral triangle: circumradius
const A = 0.4, B = 1.25; // cross: half arm width, half arm length (area 8AB - 4A^2 = 3.36)

function outline(k) {
  const shape = SHAPES[k % SHAPES.length];
  if (shape === "square") return [[-S, -S], [S, -S], [S, S], [-S, S]];
  if (shape === "diamond") return [[0, -D], [D, 0], [0, D], [-D, 0]];
  if (shape === "triangle up" || shape === "triangle down") {
    const f = shape === "triangle up" ? 1 : -1; // canvas y grows downwards
    return [[0, -T * f], [T * 0.866, T * 0.5 * f], [-T * 0.866, T * 0.5 * f]];
  }
  if (shape === "cross") {
    return [[-A, -B], [A, -B], [A, -A], [B, -A], [B, A], [A, A], [A, B], [-A, B], [-A, A],
      [-B, A], [-B, -A], [-A, -A]];
  }
  return null; // circle
}

/** Begin a path: class k's marker centred at (x, y), "radius" r (CSS px). */
export function markerPath(ctx, k, x, y, r) {
  ctx.beginPath();
  const pts = outline(k);
  if (!pts) { ctx.arc(x, y, r, 0, 2 * Math.PI); return; }
  ctx.moveTo(x + pts[0][0] * r, y + pts[0][1] * r);
  for (let i = 1; i < pts.length; i++) ctx.lineTo(x + pts[i][0] * r, y + pts[i][1] * r);
  ctx.closePath();
}
