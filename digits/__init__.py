"""The Digits page's logic (session, controller, pictures) and its two components: the live
templates view (``digits.live_view``) and the drawing surface (``digits.drawpad``)."""
