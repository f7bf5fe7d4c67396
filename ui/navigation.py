"""The frame every page draws first: page config and the navigation links.

Why this and not ``st.navigation``: the design card keeps the page scripts in ``pages/``.
While a folder of that name exists, Streamlit 1.67 routes the first run of a session through
its own (v1) multipage router, so a deep link such as ``/gradient`` as the first request to a
fresh server runs ``pages/gradient.py`` alone and never reaches an ``st.navigation`` call in
app.py (no navigation, centred layout). So the app uses that router as designed: app.py is
the main page (the playground, at ``/``), every file in ``pages/`` is a page whose URL path is
its file name, the automatic sidebar list is off (``client.showSidebarNavigation = false``)
and every page calls :func:`page_frame` first, which sets the wide layout and draws the links
in the order, with the labels and icons, chosen here.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from . import a11y, challenges, presenter


@dataclass(frozen=True)
class PageEntry:
    path: str  # relative to app.py, as st.page_link wants it
    label: str
    icon: str
    blurb: str


PAGES: tuple[PageEntry, ...] = (
    PageEntry(
        "app.py",
        "Playground",
        ":material/scatter_plot:",
        "Train a softmax classifier on 2-D data you shape: decision regions, loss curves, "
        "optimisers and learning rates, step by step.",
    ),
    PageEntry(
        "pages/softmax.py",
        "Softmax and its Jacobian",
        ":material/bar_chart:",
        "From logits to probabilities: the worked example (3, 4, 6 → 0.0420, 0.1142, 0.8438), "
        "temperature, shift invariance, overflow and underflow, and the Jacobian "
        "diag(p) − ppᵀ checked by finite differences.",
    ),
    PageEntry(
        "pages/cross_entropy.py",
        "Cross-entropy",
        ":material/info:",
        "Entropy, cross-entropy and KL divergence of distributions you type; surprisal; nats and "
        "bits; the loss written with log-sum-exp; soft labels; why clipping before log is wrong.",
    ),
    PageEntry(
        "pages/gradient.py",
        "The gradient, derived",
        ":material/functions:",
        "The chain rule one step at a time on a sample you pick, the batch matrix form, the L2 "
        "term, a finite-difference check, and the three properties of π − y on live data.",
    ),
    PageEntry(
        "pages/logistic.py",
        "Logistic regression: K = 2",
        ":material/call_split:",
        "The sigmoid as a two-class softmax, the sigmoid example, binary cross-entropy, and the "
        "gradients of linear, logistic and softmax regression side by side.",
    ),
    PageEntry(
        "pages/digits.py",
        "Digits",
        ":material/draw:",
        "Softmax regression on 1,797 handwritten 8 × 8 digits: the ten weight templates form "
        "live, a confusion matrix, a digit you draw, one image's gradient as pictures, and the "
        "exact optimum.",
    ),
    PageEntry(
        "pages/challenges.py",
        "Challenges",
        ":material/flag:",
        "Eight small goals built on the notes (make gradient descent diverge, then tame it; "
        "beat it with momentum; reach the bound of π − y...), checked automatically as you play.",
    ),
    PageEntry(
        "pages/about.py",
        "About",
        ":material/menu_book:",
        "What each page teaches, the notation used everywhere, and the sources.",
    ),
)


def page_frame(title: str) -> None:
    """Set the page config (wide, titled) and draw the navigation; call first on every page.

    Also presenter mode (``ui.presenter``: no sidebar, a bar with the way back) and the
    challenges that the theory pages' inputs solve (``ui.challenges``), so pages need neither.
    """
    st.set_page_config(page_title=f"{title} · Softmax playground", page_icon="🎯", layout="wide")
    a11y.apply()
    presenter.apply(PAGES)
    with st.sidebar:
        for page in PAGES:
            st.page_link(page.path, label=page.label, icon=page.icon)
        presenter.presenter_button()
        st.divider()
    challenges.check_theory()
