"""controller.wait_until_sent reads Streamlit internals (the race it closes is explained
there). If an upgrade moves them, the wait silently does nothing and the view may blink
again: this test fails first, so whoever upgrades looks at it."""

import inspect

from streamlit.runtime import Runtime
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

from playground import controller


def test_the_internals_wait_until_sent_reads_still_exist():
    init = inspect.getsource(AppSession.__init__)
    assert "self._browser_queue" in init and "self._event_loop" in init
    assert hasattr(ForwardMsgQueue, "__len__")
    assert "_session_mgr" in inspect.getsource(Runtime.__init__)
    # and the race itself is still there: a fragment run's start clears its queued deltas
    assert "fragment_ids_this_run" in inspect.signature(ForwardMsgQueue.clear).parameters


def test_outside_a_served_run_it_waits_for_nothing():
    assert controller.wait_until_sent(timeout=0.05) is False
