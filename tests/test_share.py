"""Share links: setups survive the round trip, and no link, however made, can break or bloat the app."""

from __future__ import annotations

import base64
import dataclasses
import json
import subprocess
import sys
import zlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.presets import NOISE_RANGE, POINTS_RANGE, PresetSource
from playground.settings import (
    LOSSES_FOR_OUTPUT,
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS,
    MAX_SEED,
    OUTPUTS_FOR_TASK,
    DataSettings,
    NetworkSettings,
    Settings,
    TrainingSettings,
)
from playground.share import (
    MAX_LINK_CHARS,
    MAX_TABLE_ROWS,
    SharedSetup,
    TableSource,
    decode_setup,
    encode_setup,
    frame_from_table_source,
    table_source_from_frame,
)
from playground.table import unique_column_names
from tests.conftest import ROOT

DEFAULT = SharedSetup()
UNREADABLE = "could not be read"


def pack(payload: object) -> str:
    """Any JSON value wrapped exactly as a link wraps its setup: base64url(zlib(JSON))."""
    packed = zlib.compress(json.dumps(payload).encode("utf-8"))
    return base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def unpack(link: str) -> dict:
    """The JSON inside a link made by encode_setup."""
    return json.loads(zlib.decompress(base64.urlsafe_b64decode(link + "=" * (-len(link) % 4))))


def every_field_changed() -> Settings:
    """Settings in which no field keeps its default."""
    return Settings(
        network=NetworkSettings(
            hidden_layers=(3, 5, 16),
            hidden_activation="relu",
            output_activation="softmax",
            init="he",
            seed=123_456,
        ),
        training=TrainingSettings(
            loss="cross_entropy",
            optimizer="adam",
            learning_rate=0.003,
            epochs=2500,
            batch_size=32,
            shuffle=True,
            regularization="l2",
            regularization_rate=0.01,
        ),
        data=DataSettings(
            standardize=True, test_fraction=0.25, split_seed=7, features=("x1^2", "x1*x2", "sin(x2)")
        ),
    )


def tampered(**changes: object) -> str:
    """A link to a preset setup with every settings field changed, then edited as a stranger might."""
    payload = unpack(encode_setup(preset_setup()))
    for path, value in changes.items():
        group, _, key = path.rpartition("__")
        (payload[group] if group else payload)[key] = value
    return pack(payload)


def preset_setup() -> SharedSetup:
    return SharedSetup(
        source=PresetSource("Three classes", 300, 0.25, 42),
        input_columns=("x1", "x2"),
        target_column="label",
        task="multiclass",
        settings=every_field_changed(),
        slider_values=(0.5, -1.25),
    )


def unicode_table() -> TableSource:
    return TableSource(
        columns=("Name", 'Größe "cm"', "体重\nkg", "it's 🎉"),
        rows=(
            ("O'Brien", "1.8", "80", "1"),
            ('say "hi"', "line1\nline2", "", "0"),
            ("back\\slash", "tab\there", "−7", "ünïcödé"),
            ("<b>html</b>", "{'a': 1}", "%20&s=x", "   "),
        ),
    )


# Round trips.


@pytest.mark.parametrize(
    "setup",
    [
        DEFAULT,
        preset_setup(),
        SharedSetup(
            source=unicode_table(),
            input_columns=('Größe "cm"', "体重\nkg"),
            target_column="it's 🎉",
            task="binary",
        ),
        SharedSetup(
            task="multiclass",
            settings=dataclasses.replace(
                Settings(),
                network=NetworkSettings(
                    hidden_layers=(),
                    hidden_activation="tanh",
                    output_activation="softmax",
                    init="xavier",
                    seed=0,
                ),
                training=TrainingSettings(
                    loss="cross_entropy",
                    optimizer="momentum",
                    learning_rate=1e-5,
                    epochs=1,
                    batch_size=5000,
                    regularization="l1",
                    regularization_rate=10.0,
                ),
                data=DataSettings(test_fraction=0.5, split_seed=MAX_SEED),
            ),
        ),
        SharedSetup(source=PresetSource("Three classes", POINTS_RANGE[0], 0.0, 0)),
    ],
    ids=["tutorial-default", "preset", "unicode-table", "edge-values", "smallest-preset"],
)
def test_setups_survive_the_round_trip(setup: SharedSetup) -> None:
    link = encode_setup(setup)
    assert len(link) <= MAX_LINK_CHARS
    assert set(link) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert decode_setup(link) == (setup, [])


def test_the_changed_settings_really_change_every_field() -> None:
    changed, default = every_field_changed(), Settings()
    for group in ("network", "training", "data"):
        for field in dataclasses.fields(getattr(default, group)):
            name = f"{group}.{field.name}"
            assert getattr(getattr(changed, group), field.name) != getattr(
                getattr(default, group), field.name
            ), name


def test_a_full_size_table_fits_in_a_link() -> None:
    rng = np.random.default_rng(0)
    values = rng.normal(scale=100.0, size=(MAX_TABLE_ROWS, 4))
    rows = tuple(tuple(f"{value:.6g}" for value in row) for row in values)
    setup = SharedSetup(source=TableSource(("Height", "Weight", "Age", "Label"), rows))
    link = encode_setup(setup)
    assert len(link) < MAX_LINK_CHARS
    assert decode_setup(link) == (setup, [])


def test_a_table_too_big_for_a_link_is_refused_when_encoding() -> None:
    rng = np.random.default_rng(1)
    columns = tuple(f"c{index}" for index in range(20))
    rows = tuple(tuple(rng.bytes(40).hex()[:80] for _ in columns) for _ in range(MAX_TABLE_ROWS))
    with pytest.raises(ValueError, match="too big for a link"):
        encode_setup(SharedSetup(source=TableSource(columns, rows)))


@pytest.mark.parametrize(
    "setup",
    [
        SharedSetup(settings=Settings(training=TrainingSettings(learning_rate=100.0))),
        SharedSetup(settings=Settings(network=NetworkSettings(hidden_layers=(99,)))),
        SharedSetup(settings=Settings(network=NetworkSettings(hidden_layers=[2]))),  # type: ignore[arg-type]
        SharedSetup(source=PresetSource("Nope", 200, 0.1, 0)),
        SharedSetup(source=TableSource(("a",), (("x" * 101,),))),
        SharedSetup(task="multiclass"),  # the default sigmoid output cannot do multiclass
        SharedSetup(slider_values=(float("nan"),)),
    ],
)
def test_setups_a_link_could_not_restore_are_refused_when_encoding(setup: SharedSetup) -> None:
    with pytest.raises(ValueError, match="Cannot share this setup"):
        encode_setup(setup)


# Properties.


def valid_settings() -> st.SearchStrategy[tuple[str, Settings]]:
    """A task and settings the app's controls could have produced for it."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[str, Settings]:
        task = draw(st.sampled_from(("auto", *OUTPUTS_FOR_TASK)))
        outputs = OUTPUTS_FOR_TASK.get(task, tuple(LOSSES_FOR_OUTPUT))
        output = draw(st.sampled_from(outputs))
        network = NetworkSettings(
            hidden_layers=tuple(draw(st.lists(st.integers(1, MAX_NEURONS), max_size=MAX_HIDDEN_LAYERS))),
            hidden_activation=draw(st.sampled_from(("sigmoid", "tanh", "relu", "leaky_relu", "linear"))),
            output_activation=output,
            init=draw(st.sampled_from(("normal", "xavier", "he"))),
            seed=draw(st.integers(0, MAX_SEED)),
        )
        training = TrainingSettings(
            loss=draw(st.sampled_from(LOSSES_FOR_OUTPUT[output])),
            optimizer=draw(st.sampled_from(("sgd", "momentum", "adam"))),
            learning_rate=draw(st.floats(1e-5, 10.0)),
            epochs=draw(st.integers(1, 100_000)),
            batch_size=draw(st.integers(1, 5000)),
            shuffle=draw(st.booleans()),
            regularization=draw(st.sampled_from(("none", "l1", "l2"))),
            regularization_rate=draw(st.floats(0.0, 10.0)),
        )
        data = DataSettings(
            standardize=draw(st.booleans()),
            test_fraction=draw(st.floats(0.0, 0.5)),
            split_seed=draw(st.integers(0, MAX_SEED)),
        )
        return task, Settings(network=network, training=training, data=data)

    return build()


# What a table can hold: no lone surrogates, no control characters but tab, newline and carriage return.
table_text = st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r")
names = st.text(table_text, max_size=30)
cells = st.text(table_text, max_size=12)


@st.composite
def valid_setups(draw: st.DrawFn) -> SharedSetup:
    task, chosen_settings = draw(valid_settings())
    n_columns = draw(st.integers(1, 5))
    column_names = st.lists(names, min_size=n_columns, max_size=n_columns).map(unique_column_names)
    table = st.builds(
        TableSource,
        column_names.map(tuple),
        st.lists(st.tuples(*[cells] * n_columns), max_size=8).map(tuple),
    )
    preset = st.builds(
        PresetSource,
        st.sampled_from(("XOR", "Circle", "Spiral", "Regression 1-D")),
        st.integers(*POINTS_RANGE),
        st.floats(*NOISE_RANGE),
        st.integers(0, MAX_SEED),
    )
    return SharedSetup(
        source=draw(st.none() | preset | table),
        input_columns=draw(st.none() | st.lists(names, max_size=4).map(tuple)),
        target_column=draw(st.none() | names),
        task=task,
        settings=chosen_settings,
        slider_values=tuple(draw(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=4))),
    )


@given(valid_setups())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_valid_setup_survives_the_round_trip(setup: SharedSetup) -> None:
    assert decode_setup(encode_setup(setup)) == (setup, [])


def assert_decoded(result: object) -> None:
    setup, problems = result
    assert isinstance(setup, SharedSetup)
    assert isinstance(problems, list) and all(isinstance(problem, str) for problem in problems)


@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    assert_decoded(decode_setup(text))


@given(st.from_regex(r"[A-Za-z0-9_-]{0,200}", fullmatch=True))
def test_arbitrary_base64_never_raises(text: str) -> None:
    setup, problems = decode_setup(text)
    assert (setup, len(problems)) == (DEFAULT, 1)


@given(st.binary(max_size=300))
def test_arbitrary_compressed_bytes_never_raise(data: bytes) -> None:
    assert_decoded(decode_setup(base64.urlsafe_b64encode(zlib.compress(data)).decode()))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**400), 10**400)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["sigmoid", "softmax", "mse", "adam", "auto", "binary", "Spiral", "x1"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=20,
)
PAYLOAD_KEYS = ("src", "net", "trn", "dat", "in", "tg", "tk", "sl")


def same_json(canonical: object, value: object) -> bool:
    """Whether ``value`` holds ``canonical`` (extra dict keys allowed), with true/false never equal to 1/0."""
    if isinstance(canonical, dict):
        return isinstance(value, dict) and all(
            key in value and same_json(item, value[key]) for key, item in canonical.items()
        )
    if isinstance(canonical, list):
        return (
            isinstance(value, list)
            and len(value) == len(canonical)
            and all(same_json(item, other) for item, other in zip(canonical, value, strict=True))
        )
    if isinstance(canonical, bool) or isinstance(value, bool):
        return canonical is value
    return canonical == value


@given(json_values)
def test_arbitrary_json_never_raises_and_is_refused_unless_a_versioned_object(payload: object) -> None:
    setup, problems = decode_setup(pack(payload))
    if not (isinstance(payload, dict) and payload.get("v") == 1 and payload.get("v") is not True):
        assert (setup, len(problems)) == (DEFAULT, 1)
        assert "tutorial is shown instead" in problems[0]


@given(st.sampled_from(PAYLOAD_KEYS), json_values, st.data())
@settings(max_examples=300, deadline=None)
def test_any_field_replaced_by_any_json_is_read_or_reported(
    key: str, value: object, data: st.DataObject
) -> None:
    payload = unpack(encode_setup(preset_setup()))
    group = payload[key]
    if isinstance(group, dict) and data.draw(st.booleans()):
        group[data.draw(st.sampled_from(sorted(group)))] = value
    else:
        payload[key] = value
    setup, problems = decode_setup(pack(payload))
    assert_decoded((setup, problems))
    if not problems:
        assert same_json(unpack(encode_setup(setup)), payload)


# Tampered links: the bad part is named and replaced, the rest survives.


@pytest.mark.parametrize(
    ("change", "named", "fallback"),
    [
        ({"net__h": [99]}, "hidden layers", ("network", "hidden_layers", (2,))),
        ({"net__h": [2, 2, 2, 2, 2, 2, 2]}, "hidden layers", ("network", "hidden_layers", (2,))),
        ({"net__ha": "eval"}, "hidden activation", ("network", "hidden_activation", "sigmoid")),
        ({"net__s": True}, "network seed", ("network", "seed", 1)),
        ({"net__s": -1}, "network seed", ("network", "seed", 1)),
        ({"trn__lr": "abc"}, "learning rate", ("training", "learning_rate", 0.1)),
        ({"trn__lr": float("nan")}, "learning rate", ("training", "learning_rate", 0.1)),
        ({"trn__lr": 1e309}, "learning rate", ("training", "learning_rate", 0.1)),
        ({"trn__lr": 10**400}, "learning rate", ("training", "learning_rate", 0.1)),
        ({"trn__o": "__import__('os')"}, "optimizer", ("training", "optimizer", "sgd")),
        ({"trn__e": 10**6}, "epochs", ("training", "epochs", 1000)),
        ({"trn__e": 2.5}, "epochs", ("training", "epochs", 1000)),
        ({"trn__b": 0}, "batch size", ("training", "batch_size", 1)),
        ({"trn__sh": 1}, "shuffle", ("training", "shuffle", False)),
        ({"trn__r": "l3"}, "regularisation", ("training", "regularization", "none")),
        ({"trn__rr": 11}, "regularisation rate", ("training", "regularization_rate", 0.0)),
        ({"dat__st": "yes"}, "standardise", ("data", "standardize", False)),
        ({"dat__tf": 0.9}, "test fraction", ("data", "test_fraction", 0.0)),
        ({"dat__ss": MAX_SEED + 1}, "split seed", ("data", "split_seed", 0)),
        ({"dat__f": "x1^2"}, "derived inputs", ("data", "features", ())),
        ({"dat__f": ["__import__('os')"]}, "derived inputs", ("data", "features", ())),
        ({"dat__f": ["x1^2", "x1^2"]}, "derived inputs", ("data", "features", ())),
        ({"dat__f": ["x2*x1"]}, "derived inputs", ("data", "features", ())),
        ({"dat__f": ["x9^2"]}, "derived inputs", ("data", "features", ())),
        ({"dat__f": ["x1^2"] * 10_000}, "derived inputs", ("data", "features", ())),
    ],
)
def test_a_tampered_setting_is_named_and_replaced_by_its_default(
    change: dict, named: str, fallback: tuple[str, str, object]
) -> None:
    setup, problems = decode_setup(tampered(**change))
    assert len(problems) == 1 and named in problems[0] and "could not be read; using" in problems[0]
    group, name, default = fallback
    expected = preset_setup()
    settings_group = dataclasses.replace(getattr(expected.settings, group), **{name: default})
    assert setup == dataclasses.replace(
        expected, settings=dataclasses.replace(expected.settings, **{group: settings_group})
    )


def test_a_link_from_before_derived_inputs_reads_without_a_problem() -> None:
    payload = unpack(encode_setup(preset_setup()))
    del payload["dat"]["f"]
    setup, problems = decode_setup(pack(payload))
    assert problems == []
    assert setup == dataclasses.replace(
        preset_setup(),
        settings=dataclasses.replace(
            preset_setup().settings, data=dataclasses.replace(preset_setup().settings.data, features=())
        ),
    )


def test_several_tampered_fields_are_each_reported_and_the_rest_kept() -> None:
    setup, problems = decode_setup(tampered(net__h=[99], trn__lr="abc", trn__l="eval", tg=["x"]))
    joined = " ".join(problems)
    for name in ("hidden layers", "learning rate", "loss", "target column"):
        assert name in joined
    assert len(problems) == 4
    assert setup.settings.network.hidden_layers == (2,)
    assert setup.settings.training.learning_rate == 0.1
    assert setup.settings.training.loss == "mse"
    assert setup.target_column is None
    assert setup.source == preset_setup().source
    assert setup.settings.training.epochs == 2500
    assert setup.settings.network.output_activation == "softmax"
    assert setup.slider_values == (0.5, -1.25)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"src": {"p": "Nope", "n": 200, "z": 0.1, "s": 0}}, "data set"),
        ({"src": {"p": "XOR", "n": 10**9, "z": 0.1, "s": 0}}, "data set"),
        ({"src": {"p": "Three classes", "n": 2, "z": 0.1, "s": 0}}, "data set"),
        ({"src": {"c": ["a", "b"], "r": [["1"]]}}, "data set"),
        ({"src": {"c": ["a"], "r": [[1]]}}, "data set"),
        ({"src": {"c": ["a"], "r": [["x" * 101]]}}, "data set"),
        ({"src": {"c": ["a", "a"], "r": [["1", "2"]]}}, "data set"),
        ({"src": {"c": ["a", ""], "r": [["1", "2"]]}}, "data set"),
        ({"src": {"c": [f"c{i}" for i in range(51)], "r": []}}, "data set"),
        ({"src": {"c": ["a"], "r": [["1"]] * (MAX_TABLE_ROWS + 1)}}, "data set"),
        ({"src": "Spiral"}, "data set"),
        ({"in": "x1"}, "input columns"),
        ({"in": ["y" * 201]}, "input columns"),
        ({"tk": "eval"}, "task"),
        ({"sl": [1, "2"]}, "slider values"),
        ({"sl": [True]}, "slider values"),
        ({"sl": [10**400]}, "slider values"),
        ({"net": 5}, "network settings"),
        ({"trn": None}, "training settings"),
        ({"dat": []}, "data settings"),
    ],
)
def test_a_tampered_part_is_named_and_the_other_parts_survive(change: dict, named: str) -> None:
    setup, problems = decode_setup(tampered(**change))
    assert named in problems[0]
    # The default network's sigmoid output cannot do the link's multiclass task: that is said too.
    assert len(problems) == (2 if "net" in change else 1)
    expected = preset_setup()
    kept = [
        part
        for part, key in [
            ("source", "src"),
            ("input_columns", "in"),
            ("task", "tk"),
            ("slider_values", "sl"),
        ]
        if key not in change
    ]
    for part in kept:
        assert getattr(setup, part) == getattr(expected, part), part
    for group, key in [("network", "net"), ("training", "trn"), ("data", "dat")]:
        if key not in change:
            assert getattr(setup.settings, group) == getattr(expected.settings, group), group


def test_a_missing_part_is_reported_like_an_unreadable_one() -> None:
    payload = unpack(encode_setup(preset_setup()))
    del payload["trn"]["lr"], payload["sl"]
    setup, problems = decode_setup(pack(payload))
    assert len(problems) == 2
    assert setup.settings.training.learning_rate == 0.1 and setup.slider_values == ()
    assert setup.settings.training.epochs == 2500


def test_an_output_that_does_not_fit_the_task_is_moved_to_one_that_does() -> None:
    payload = unpack(encode_setup(preset_setup()))
    payload["tk"] = "regression"
    setup, problems = decode_setup(pack(payload))
    assert setup.task == "regression"
    assert setup.settings.network.output_activation == "sigmoid"
    assert setup.settings.training.loss == "mse"
    assert problems == [
        "The link's output activation does not fit the regression task; using sigmoid.",
        "The link's loss does not fit the sigmoid output; using mse.",
    ]
    assert setup.settings.training.epochs == 2500


def test_a_loss_that_does_not_fit_the_output_falls_back_to_mse() -> None:
    setup, problems = decode_setup(tampered(trn__l="binary_cross_entropy"))
    assert setup.settings.training.loss == "mse"
    assert problems == ["The link's loss does not fit the softmax output; using mse."]


def test_only_a_versioned_object_with_nothing_else_gives_every_default_and_names_every_part() -> None:
    setup, problems = decode_setup(pack({"v": 1}))
    assert setup == DEFAULT
    assert len(problems) == 8


# Links that cannot be read at all.


def assert_unreadable(link: str, reason: str = "") -> None:
    setup, problems = decode_setup(link)
    assert setup == DEFAULT
    assert len(problems) == 1
    assert problems[0].startswith("This link could not be read (")
    assert problems[0].endswith("; the tutorial is shown instead.")
    assert reason in problems[0]


def test_every_truncation_of_a_link_is_refused() -> None:
    link = encode_setup(preset_setup())
    for length in range(len(link)):
        assert_unreadable(link[:length])


@pytest.mark.parametrize("version", [2, 0, "1", 1.5, True, None, [1]])
def test_a_wrong_version_is_refused(version: object) -> None:
    payload = unpack(encode_setup(preset_setup()))
    payload["v"] = version
    assert_unreadable(pack(payload), "different version")


def test_a_link_without_a_version_is_refused() -> None:
    payload = unpack(encode_setup(preset_setup()))
    del payload["v"]
    assert_unreadable(pack(payload), "different version")


def test_an_oversized_link_is_refused_before_it_is_unpacked() -> None:
    assert_unreadable("A" * (MAX_LINK_CHARS + 1), "too long")


def test_a_zip_bomb_is_refused() -> None:
    bomb = b'{"v":1,"tg":"' + b"a" * 5_000_000 + b'"}'
    link = base64.urlsafe_b64encode(zlib.compress(bomb, 9)).decode()
    assert len(link) < MAX_LINK_CHARS
    assert_unreadable(link, "more than a link may hold")


@pytest.mark.parametrize(
    "link",
    ["", "   ", "!!!!", "abc def", "a", pack("not an object"), pack([1]), "eJ" + "x" * 50],
)
def test_garbage_is_refused(link: str) -> None:
    assert_unreadable(link)


def test_deeply_nested_json_is_refused() -> None:
    assert_unreadable(base64.urlsafe_b64encode(zlib.compress(b"[" * 100_000)).decode())


def test_whitespace_and_padding_around_a_link_are_ignored() -> None:
    link = encode_setup(preset_setup())
    assert decode_setup(f"  {link}==\n") == (preset_setup(), [])


# Tables ⇄ data frames.


def test_a_frame_becomes_text_cells_and_back() -> None:
    df = pd.DataFrame({"Name": ["Alice", None, "Çé"], "Height": ["1.5", np.nan, 3], 7: [1.5, pd.NA, "x"]})
    source = table_source_from_frame(df)
    assert source == TableSource(
        ("Name", "Height", "7"), (("Alice", "1.5", "1.5"), ("", "", ""), ("Çé", "3", "x"))
    )
    frame = frame_from_table_source(source)
    assert list(frame.columns) == ["Name", "Height", "7"]
    assert all(pd.api.types.is_object_dtype(dtype) for dtype in frame.dtypes)
    assert frame.iloc[2].tolist() == ["Çé", "3", "x"]


def test_a_text_frame_survives_frame_to_link_to_frame() -> None:
    table = frame_from_table_source(unicode_table())
    setup, problems = decode_setup(encode_setup(SharedSetup(source=table_source_from_frame(table))))
    assert problems == []
    pd.testing.assert_frame_equal(frame_from_table_source(setup.source), table)


def test_an_empty_table_keeps_its_columns() -> None:
    source = table_source_from_frame(pd.DataFrame({"a": [], "b": []}, dtype=object))
    assert source == TableSource(("a", "b"), ())
    assert list(frame_from_table_source(source).columns) == ["a", "b"]


@pytest.mark.parametrize(
    ("df", "reason"),
    [
        (
            pd.DataFrame({"a": ["1"] * (MAX_TABLE_ROWS + 1)}),
            "The table has 201 rows; a link can carry up to 200.",
        ),
        (pd.DataFrame({f"c{index}": ["1"] for index in range(51)}), "The table has 51 columns"),
        (
            pd.DataFrame({"a": ["1", "2", "3"], "b": ["1", "x" * 150, "3"]}),
            "Row 2, column 'b' holds 150 characters; a link carries cells of up to 100.",
        ),
        (pd.DataFrame({"n" * 201: ["1"]}), "A column name is 201 characters long"),
    ],
    ids=["too-many-rows", "too-many-columns", "long-cell", "long-name"],
)
def test_a_table_too_big_to_travel_is_refused_with_the_real_reason(df: pd.DataFrame, reason: str) -> None:
    with pytest.raises(ValueError, match="Download the table as CSV") as refused:
        table_source_from_frame(df)
    assert reason in str(refused.value)


def test_a_full_size_table_still_travels() -> None:
    assert table_source_from_frame(pd.DataFrame({"a": ["1"] * MAX_TABLE_ROWS})) is not None


def test_the_codec_does_not_import_streamlit() -> None:
    code = "import sys, playground.share; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


@pytest.mark.parametrize("bad", ["a\x00b", "\ud800", "x\x1b"])
def test_a_link_whose_table_holds_what_a_table_cannot_is_refused_at_that_part(bad: str) -> None:
    link = pack({"v": 1, "src": {"c": ["a", "b"], "r": [[bad, "1"], ["2", "3"]]}})
    setup, problems = decode_setup(link)
    assert setup.source is None and problems
