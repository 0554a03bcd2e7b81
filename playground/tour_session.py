"""Where a person is in the guided tour, and what they set there: its step, the SGD epoch's updates,
its own training run and picture, the features lesson's trained networks and every slider.

Part of the session model (``playground/session.py``); the tour's numbers come from ``playground.tour``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playground.choices import PictureState
from playground.features_lesson import LessonResult, circle_data, train_lesson
from playground.live_run import LiveRun
from playground.model import ModelRun
from playground.tour import STEPS, step_index, training_run

TOUR_FRAMES = 100  # the tour's 1000 epochs last about 100 frames (3 s): learning, epoch by epoch


def tour_run() -> LiveRun:
    """The tour's live run: spread over TOUR_FRAMES frames, and not kept among the playground's runs."""
    return LiveRun(frames_per_run=TOUR_FRAMES, keeps_runs=False)


@dataclass
class TourState:
    """The tour's step (None until the first page run picks one, from the link), how many of the SGD
    step's per-person updates were taken, its training run on the tutorial (``raw``: on the unshifted
    inputs), the features step's three trained networks, and its sliders' values by name."""

    step: int | None = None
    sgd_updates: int = 0
    model: ModelRun | None = None
    run: LiveRun = field(default_factory=tour_run)
    raw: bool = False
    picture: PictureState = field(default_factory=PictureState)
    lesson: tuple[LessonResult, ...] | None = None
    sliders: dict[str, float] = field(default_factory=dict)

    def open_at(self, step_id: str | None) -> None:
        """The step a link asks for (``?tour=sgd``), the first time the tour is drawn."""
        if self.step is None:
            self.step = step_index(step_id)

    def move(self, offset: int) -> None:
        """Back or Next, staying inside the tour."""
        self.step = min(max((self.step or 0) + offset, 0), len(STEPS) - 1)

    def take_sgd_update(self) -> None:
        self.sgd_updates += 1

    def restart_epoch(self) -> None:
        self.sgd_updates = 0

    def train(self) -> None:
        """The tutorial's training from its seed, on the inputs chosen (shifted or raw), live."""
        self.model = training_run(self.raw)
        self.run = tour_run()
        self.run.start(self.model)

    def set_raw(self, raw: bool) -> None:
        """Train on the raw inputs or the shifted ones: the run shown was trained on the others, so it
        goes (Train starts the new one)."""
        if raw != self.raw:
            self.raw, self.model, self.run = raw, None, tour_run()

    def train_lesson(self) -> None:
        """The features step's three networks on the Circle data set (about a third of a second)."""
        self.lesson = train_lesson(circle_data())

    def set_slider(self, name: str, value: float) -> None:
        self.sliders[name] = float(value)

    def slider(self, name: str, default: float) -> float:
        return self.sliders.get(name, default)
