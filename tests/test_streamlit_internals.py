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


def test_the_internals_the_pacing_reads_still_exist():
    """playground.pacing via the controller: ``retime_fragment`` sends the ``auto_rerun``
    message a fragment's ``run_every`` sends (ThreadState.fragment_id, enqueue_message), and
    ``interactive_request_pending`` reads the pending rerun of the tab's ScriptRequests."""
    import dataclasses

    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.scriptrunner_utils.script_requests import (
        RerunData,
        ScriptRequests,
        ScriptRequestType,
    )
    from streamlit.runtime.scriptrunner_utils.script_run_context import (
        FragmentThreadState,
        ScriptRunContext,
        enqueue_message,  # noqa: F401
    )

    assert "fragment_id" in {f.name for f in dataclasses.fields(FragmentThreadState)}
    assert {"interval", "fragment_id"} <= set(ForwardMsg().auto_rerun.DESCRIPTOR.fields_by_name)
    assert "script_requests" in {f.name for f in dataclasses.fields(ScriptRunContext)}
    requests = ScriptRequests()
    requests.request_rerun(RerunData(is_auto_rerun=False))
    assert requests._state == ScriptRequestType.RERUN
    assert requests._rerun_data.is_auto_rerun is False
    # outside a served run: nothing pending, no timer to change
    assert controller.interactive_request_pending() is False
    assert controller.end_fragment_run() is False
