"""Page-wide accessibility fixes every page gets through ``ui.navigation.page_frame``.

Streamlit 1.67's own styles fail WCAG 2.1 AA contrast in two places that its theme options
cannot reach without breaking another (measured with axe-core 4.14 in Chromium):

- a slider's value above its thumb is written in the primary colour: #cf4250 on the dark
  theme's #171614 is 3.91:1 (AA needs 4.5:1 for text this size). A primary light enough for
  the dark background would put the primary buttons' white labels below 4.5:1, so the value
  takes the text colour instead (its parent's);
- the shortcut hint (``<kbd>``) inside a primary button is its label colour faded: 2.8:1 on
  light and 2.6:1 on dark. It takes the label's full colour (white on the primary: 5.2:1 and
  4.6:1).

(Captions, the text colour at 60% opacity, are fixed in .streamlit/config.toml's
[theme.light] text colour.) Also: a visible focus ring on buttons, links and the view's
iframe for keyboard users, and no transitions or animations when the system asks for
reduced motion (prefers-reduced-motion). And ``plotly_chart``: a chart with a one-line
summary that a screen reader reads.

One fix that is not about contrast: a popover's button ("?", "Pages") ignores pointer events
on its inner parts, so a click's target is the button itself. Streamlit 1.67 replaces the
chevron icon inside it when the popover opens, and its "click outside closes" listener,
attached during that same click, then finds the click's target (the old, detached chevron)
outside the popover and closes it again: unless the render took under 50 ms (its guard).
On a loaded machine the "?" popover flashed open and shut for 3 clicks in 4 at the button's
centre (the chevron of a narrow button); with this rule, 4 in 4 stayed open.
"""

from __future__ import annotations

import html

import streamlit as st

from charts.describe import summarise
from charts.projector import for_projector
from ui.presenter import presenting

CSS = """
<style>
[data-testid="stSliderThumbValue"], [data-testid="stSliderThumbValue"] p {
  color: inherit !important;
}
[data-testid="stBaseButton-primary"] kbd { color: inherit !important; opacity: 1 !important; }
[data-testid="stPopoverButton"] * { pointer-events: none; }
.stApp button:focus-visible, .stApp a:focus-visible, .stApp [role="tab"]:focus-visible,
.stApp iframe:focus-visible, .stApp summary:focus-visible {
  outline: 3px solid currentColor !important; outline-offset: 2px !important;
}
.stSlider div:has(> div > input:focus-visible) {
  outline: 3px solid currentColor; outline-offset: 3px; border-radius: 50%;
}
.stApp iframe:focus-within { outline: 2px dashed currentColor; outline-offset: 3px; }
/* plotly_chart's summary: read by screen readers, no space on screen */
.a11y-summary { position: absolute; width: 1px; height: 1px; margin: 0; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; }
[data-testid="stElementContainer"]:has(.a11y-summary) {
  position: absolute !important; width: 1px !important; height: 1px !important;
  overflow: hidden !important; clip-path: inset(50%);
}
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after {
    transition: none !important; animation: none !important; scroll-behavior: auto !important;
  }
}
</style>
"""


def apply() -> None:
    """Add the page-wide CSS (an ``st.html`` of only a style element takes no space)."""
    st.html(CSS)


def plotly_chart(container, fig, **kwargs):
    """``container.plotly_chart(fig, **kwargs)`` followed by the figure's one-line summary
    (``charts.describe.summarise``) as text only a screen reader reads (the CSS above takes
    its element out of the layout). In presenter mode the chart's text is projector-sized
    (``charts.projector``)."""
    shown = for_projector(fig) if presenting() else fig
    result = container.plotly_chart(shown, **kwargs)
    container.html(f'<p class="a11y-summary">{html.escape(summarise(fig))}</p>')
    return result
