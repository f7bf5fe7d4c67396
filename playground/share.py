"""The link to the playground's current state, its QR code, and what a link cannot carry.

The link is the page's address in the user's browser (``st.context.url``: scheme, host, port
and path, as the browser sees them, so a phone on the same network reaches the same server)
plus the query string the playground keeps (``settings.to_query``). The QR code is made here
with segno as SVG: no network, no JavaScript. Pure functions, no Streamlit.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno

from .session import PlaygroundSession
from .settings import to_query

FALLBACK_BASE = "http://localhost:8501/"


def share_link(base_url: str | None, session: PlaygroundSession) -> str:
    """``base_url`` (query and fragment dropped; None: ``FALLBACK_BASE``) + the settings."""
    parts = urlsplit(base_url or FALLBACK_BASE)
    path = parts.path or "/"
    query = urlencode(to_query(session.settings), safe=",;")
    return urlunsplit((parts.scheme or "http", parts.netloc, path, query, ""))


def qr_svg(text: str) -> str:
    """A QR code of ``text`` as a standalone SVG document (error correction M, 4-module
    quiet zone, black on white: what phone cameras read best)."""
    qr = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=6, border=4, dark="#000000", light="#ffffff", xmldecl=False)
    return out.getvalue().decode("utf-8")


def not_in_link(session: PlaygroundSession) -> list[str]:
    """What the current state holds that the link cannot carry, one sentence each."""
    notes = []
    if session.settings.source == "upload":
        notes.append(
            "The data is an uploaded file: a link cannot carry it, so the link opens the "
            "Gaussian classes. Send the file separately and upload it again."
        )
    shift = getattr(session, "shift", None)
    if shift is not None and session.settings.source != "upload" and abs(shift).max() > 0:
        notes.append(
            "Classes of this data set were dragged: the link opens them where they started."
        )
    drawn = getattr(session, "drawn_points", None)  # points drawn by hand, when supported
    if drawn is not None and len(drawn):
        notes.append(f"The {len(drawn)} points you drew are not in the link.")
    edits = getattr(session, "edits", None) or []
    removed = sum(1 for e in edits if e[0] == "remove")
    if removed:
        notes.append(f"Points you removed ({removed}) come back when the link opens.")
    return notes
