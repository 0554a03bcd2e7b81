"""The one live view: a network picture that trains while it ticks, for the playground and the tour alike.

The page's run draws the picture (training a first message, or a whole cheap run); while its run goes on,
a fragment ticks on the pace the server allows (``playground.fair_share``), each tick in this session's
turn, training a bounded slice per frame (``LiveRun.message``). Buttons sit outside the fragment, so a
click is never stuck behind a running frame; when the session has changed in a way the rest of the page
shows (an intent, the run's end), the tick runs the whole page instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import streamlit as st

from playground.choices import PictureState
from playground.fair_share import Priority, needs_new_tick, pace_for
from playground.live_run import NO_MESSAGE, LiveRun, Message
from playground.model import ModelRun
from playground.network_picture import frame_maker, message
from playground.session import Session
from playground.views import adapter, keys
from playground.views.adapter import Intent
from playground.views.network import PLAYGROUND_EVENTS, TOUR_EVENTS, draw_picture
from playground.views.server_share import server_turn, training_sessions


@dataclass(frozen=True)
class LivePicture:
    """One live picture: its key, where its model, run and picture state are in the session, the plane
    it spans, whether a person may change the network on it, and whether a cheap run is finished in
    the page run that starts it."""

    key: str
    model: Callable[[Session], ModelRun | None]
    run: Callable[[Session], LiveRun]
    picture: Callable[[Session], PictureState]
    plane: Callable[[Session, ModelRun], tuple[tuple[int, int], np.ndarray]]
    events: Mapping[str, Intent]
    interactive: bool
    finish_if_cheap: bool


PLAYGROUND = LivePicture(
    keys.NETWORK_PICTURE,
    model=lambda session: session.model,
    run=lambda session: session.run,
    picture=lambda session: session.picture,
    plane=lambda session, _: (session.picture_axes(), session.slider_values()),
    events=PLAYGROUND_EVENTS,
    interactive=True,
    finish_if_cheap=True,
)
TOUR = LivePicture(
    keys.TOUR_PICTURE,
    model=lambda session: session.tour.model,
    run=lambda session: session.tour.run,
    picture=lambda session: session.tour.picture,
    plane=lambda _, model: ((0, 1), model.data.X[0]),
    events=TOUR_EVENTS,
    interactive=False,
    finish_if_cheap=False,
)


def show_live(live: LivePicture) -> None:
    """The picture, its first message trained in this page run; ticks while its run goes on."""
    session = adapter.session()
    sessions = training_sessions()
    running_now = live.run(session).running
    pace = pace_for(sessions.count(time.monotonic(), session.session_id if running_now else None))
    page_message = _message(live, session, pace, page_run=True)
    ticking = live.run(session).running  # after this page's training: a run that ended in it does not tick
    revision = session.revision

    @st.fragment(run_every=pace.tick_seconds if ticking else None)
    def tick() -> None:
        fragments = adapter.fragments_this_run()
        if not fragments:  # the page's own run: its message is made already
            _draw(live, session, page_message, pace)
            return
        with server_turn(
            Priority.FRAME if fragments == 1 and ticking else Priority.CLICK, session.session_id
        ):
            now = adapter.session()
            if now.revision != revision or (ticking and not live.run(now).running):
                st.rerun(scope="app")  # an intent or the run's end: the whole page shows it
            now_pace = pace_for(sessions.count(time.monotonic(), now.session_id))
            _draw(live, now, _message(live, now, now_pace, page_run=False), now_pace)
            if needs_new_tick(pace, now_pace):
                st.rerun(scope="app")  # the number of trainers changed a lot: tick at the new pace

    tick()


def _message(live: LivePicture, session: Session, pace, *, page_run: bool) -> Message:
    model = live.model(session)
    if model is None:
        return NO_MESSAGE
    make_frame = frame_maker(live.picture(session).options)
    return live.run(session).message(
        model, pace, make_frame, finish_if_cheap=live.finish_if_cheap and page_run
    )


def _draw(live: LivePicture, session: Session, sent: Message, pace) -> None:
    """The picture with ``sent``'s frames, played over the tick (or a whole run's spread)."""
    model = live.model(session)
    if model is None:
        return
    started = time.perf_counter()
    axes, fixed = live.plane(session, model)
    data = message(
        model,
        live.picture(session),
        axes,
        fixed,
        sent.frames,
        tick_seconds=pace.playing_seconds(len(sent.frames)),
        interactive=live.interactive,
        with_scene=not adapter.fragments_this_run(),
    )
    draw_picture(live.key, data, live.events)
    live.run(session).last_tick_work = (
        sent.trained,
        sent.made - sent.trained + time.perf_counter() - started,
    )
