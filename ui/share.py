"""The Share dialog: the link to the playground's current state and its QR code."""

from __future__ import annotations

import streamlit as st

from playground.share import not_in_link, qr_svg, share_link

QR_CAPTION = "QR code of this link: scan it with a phone camera to open the same setup."


def base_url() -> str | None:
    """The page's address in the browser (scheme, host, port, path), or None in tests."""
    try:
        url = st.context.url
    except Exception:  # outside a browser session (AppTest)
        url = None
    if url:
        return url
    host = st.context.headers.get("Host") if st.context.headers else None
    return f"http://{host}/" if host else None


@st.dialog("Share this setup", width="medium")
def share_dialog(session) -> None:
    link = share_link(base_url(), session)
    st.markdown("Anyone who opens this link gets the same data, settings and centres:")
    st.code(link, language=None, wrap_lines=True)
    st.caption("Copy it with the icon at the right of the box. Training starts again at step 0.")
    for note in not_in_link(session):
        st.warning(note)
    st.image(qr_svg(link), caption=QR_CAPTION, width=300, alt="QR code of the link above")


def share_button(session) -> None:
    if st.button("Share", key="share_open", icon=":material/qr_code_2:", help="Link and QR code"):
        share_dialog(session)
