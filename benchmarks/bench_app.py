"""How fast is the app on the server? Full reruns and live-training frames, measured through AppTest.

For the default page (the tutorial), a 400-point spiral with two hidden layers of 8 tanh neurons, and the
spiral on the largest network the controls allow (6 hidden layers of 16):
  * seconds per full app rerun (the whole script, as after any widget change),
  * seconds per live tick (one run of the live fragment: train FRAMES_PER_TICK slices, keeping each
    frame, then send them), and the frames per second the server could send at that cost; a run cheap
    enough to be finished in the page run of its Train click (the tutorial's) reports that message,
  * the share of each tick spent training rather than drawing.
Targets: a full rerun under 0.3 s, at least 30 frames/s while training, at least half of a tick training.
The browser's own drawing time is measured by benchmarks/bench_browser.py.

Run: python benchmarks/bench_app.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from playground.fair_share import FRAMES_PER_TICK  # noqa: E402
from playground.settings import MAX_HIDDEN_LAYERS, MAX_NEURONS  # noqa: E402
from playground.views import keys  # noqa: E402

RERUNS = 10
FRAMES = 30


def open_app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


def load_spiral(at: AppTest) -> None:
    at.selectbox(key=keys.SOURCE).set_value("Spiral").run()  # choosing loads it
    at.slider(key=keys.PRESET_SIZE).set_value(400).run()  # and so does a new size


def use_largest_network(at: AppTest) -> None:
    """As many hidden layers of as many neurons as the controls allow (6 × 16)."""
    at.number_input(key=keys.HIDDEN_LAYER_COUNT).set_value(MAX_HIDDEN_LAYERS).run()
    for layer in range(MAX_HIDDEN_LAYERS):
        at.number_input(key=keys.neurons_key(layer)).set_value(MAX_NEURONS).run()


def rerun_seconds(at: AppTest) -> float:
    times = []
    for _ in range(RERUNS):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def tick_figures(at: AppTest, epochs: int) -> tuple[float, float, int]:
    """Median (train seconds, other seconds) over the live ticks of one training run and the frames of
    its last message; a run that ends in the page run of its Train click (a cheap one) gives that run."""
    at.number_input(key=keys.EPOCHS).set_value(epochs).run()
    at.button(key=keys.TRAIN).click().run()
    state = at.session_state[keys.STATE]
    train, draw = [state.run.last_tick_work[0]], [state.run.last_tick_work[1]]
    for _ in range(FRAMES if state.run.running else 0):
        at.run()
        trained, drawn = state.run.last_tick_work
        train.append(trained)
        draw.append(drawn)
        if not state.run.running:
            break
    if state.run.running:
        at.button(key=keys.PAUSE).click().run()
    frames = len(picture_frames(at))
    return statistics.median(train), statistics.median(draw), frames


def picture_frames(at: AppTest) -> list[dict]:
    """The frames the network picture was sent in the last run."""
    (picture,) = [c for c in at.get("bidi_component") if c.proto.component_name == "playground_network"]
    return json.loads(picture.proto.json)["frames"]


def report(name: str, at: AppTest, epochs: int) -> None:
    rerun = rerun_seconds(at)
    train_s, draw_s, frames = tick_figures(at, epochs)
    share = train_s / (train_s + draw_s)
    print(
        f"{name:38} rerun {rerun * 1000:6.0f} ms   message {(train_s + draw_s) * 1000:5.0f} ms "
        f"(train {train_s * 1000:4.0f} + draw {draw_s * 1000:4.0f}) server: "
        f"{FRAMES_PER_TICK / (train_s + draw_s):5.1f} frames/s training share {share:4.0%}"
        + (f"   finished in the Train click's page run, {frames} frames" if frames > FRAMES_PER_TICK else "")
    )


def main() -> None:
    print(f"Server-side figures, median; a tick sends {FRAMES_PER_TICK} frames while training")
    print("Targets: rerun < 300 ms, >= 30 frames/s, training share >= 50%")
    at = open_app()
    report("Tutorial, 1000 epochs", at, 1000)
    report("Tutorial, 100000 epochs", at, 100_000)
    spiral = open_app()
    load_spiral(spiral)
    report("Spiral 400 pts, [8, 8] tanh, 300 ep", spiral, 300)
    report("Spiral 400 pts, [8, 8] tanh, 5000 ep", spiral, 5000)
    use_largest_network(spiral)
    report("Spiral 400 pts, 6 x 16 tanh, 5000 ep", spiral, 5000)


if __name__ == "__main__":
    main()
