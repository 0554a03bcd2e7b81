"""A live tick's message carries every widget's value as the page last showed it; a sidebar widget's
value in a tick is an echo, not a change (views/adapter.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from playground.views import adapter


@pytest.mark.parametrize(
    ("fragments", "local", "sent"),
    [([], False, True), (["tick"], False, False), (["tick"], True, True)],
    ids=["whole page", "sidebar widget in a tick", "the fragment's own widget"],
)
def test_a_widget_outside_the_fragments_is_not_changed_by_a_live_tick(monkeypatch, fragments, local, sent):
    calls: list[tuple] = []
    monkeypatch.setattr(
        adapter, "get_script_run_ctx", lambda: SimpleNamespace(fragment_ids_this_run=fragments)
    )
    monkeypatch.setattr(adapter.st, "session_state", {"layer_1": 2})
    monkeypatch.setattr(
        adapter, "send", lambda intent, *args, local=False: calls.append((intent, args, local))
    )
    adapter._send_value("layer_1", "set_neurons", (0,), local)
    assert calls == ([("set_neurons", (0, 2), local)] if sent else [])
