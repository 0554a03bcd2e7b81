"""Saving and loading networks (validated, never pickle) and the exported standalone script."""

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_core.network import Network
from nn_core.serialize import export_script

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=30, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 5), min_size=2, max_size=4),
    hidden=st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu", "linear"]),
    output=st.sampled_from(["sigmoid", "linear", "softmax"]),
    seed=st.integers(0, 10_000),
)
def test_round_trip_through_json_is_exact(sizes, hidden, output, seed):
    network = Network(sizes, hidden, output, init="xavier", seed=seed)
    restored = Network.from_dict(json.loads(json.dumps(network.to_dict())))
    assert np.array_equal(restored.parameters, network.parameters)
    assert (restored.layer_sizes, restored.hidden_activation, restored.output_activation) == (
        network.layer_sizes,
        hidden,
        output,
    )


def valid_dict():
    return Network([2, 3, 1], seed=0).to_dict()


def with_change(key, value):
    data = valid_dict()
    data[key] = value
    return data


@pytest.mark.parametrize(
    "data, message",
    [
        ([1, 2], "must be a dict"),
        ({}, "not a saved network"),
        (with_change("version", 99), "Unsupported saved-network version 99"),
        (with_change("layer_sizes", [2, "3", 1]), "whole numbers"),
        (with_change("layer_sizes", [2, 3, 2]), "shape"),
        (with_change("layer_sizes", [2, 10**6]), "from 1 to"),
        (with_change("hidden_activation", "gelu"), "'hidden_activation' must be one of"),
        (with_change("output_activation", None), "'output_activation' must be one of"),
        (with_change("weights", [[[1.0, 2.0, 3.0]], [[1.0], [2.0], [3.0]]]), "shape"),
        (with_change("weights", [[[1.0, 2.0, 3.0], [1.0, 2.0]], [[1.0], [2.0], [3.0]]]), "rectangular"),
        (with_change("weights", [[["a", "b", "c"]] * 2, [[1.0], [2.0], [3.0]]]), "numbers"),
        (with_change("biases", [[0.0, float("nan"), 0.0], [0.0]]), "NaN or infinite"),
        (with_change("biases", [[True, False, True], [0.0]]), "numbers"),
        (with_change("biases", [[0.0, 0.0, 0.0]]), "one entry per layer"),
    ],
)
def test_malformed_dicts_are_explained(data, message):
    with pytest.raises((ValueError, TypeError), match=message):
        Network.from_dict(data)


@settings(max_examples=200, deadline=None)
@given(garbage=json_values)
def test_garbage_never_escapes_as_anything_but_value_or_type_error(garbage):
    with pytest.raises((ValueError, TypeError)):
        Network.from_dict(garbage)


@settings(max_examples=100, deadline=None)
@given(key=st.sampled_from(sorted(valid_dict())), value=json_values)
def test_one_corrupted_field_is_caught_or_harmless(key, value):
    data = with_change(key, value)
    try:
        network = Network.from_dict(data)
    except (ValueError, TypeError):
        return
    assert np.isfinite(network.parameters).all()


EVIL_NAMES = [
    'quote " and \' and """ triple',
    "new\nline # and a comment",
    "back\\slash\\",
    "__import__('os').system('echo pwned')",
    "<b>html</b> {braces} %s",
    "\u2028line separator\x00null",
]


@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
def test_exported_script_prints_bit_identical_predictions(tmp_path, output):
    rng = np.random.default_rng(0)
    network = Network([6, 5, 4, 3], "leaky_relu", output, seed=1)
    network.fit(rng.normal(size=(20, 6)), rng.uniform(size=(20, 3)).round(), 3, 0.1)
    mean, scale = rng.normal(size=6), rng.uniform(0.5, 2.0, size=6)
    examples = rng.normal(size=(5, 6)) * 10
    script = tmp_path / "model.py"
    script.write_text(export_script(network, EVIL_NAMES, mean, scale, examples), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=True
    )
    expected = network.predict((examples - mean) / scale)
    printed = [line.split("->")[1].split() for line in result.stdout.splitlines()]
    assert np.array_equal(np.array(printed, dtype=float), expected)
    assert "pwned" not in result.stdout


def test_exported_script_takes_values_on_the_command_line(tmp_path):
    network = Network([2, 2, 1], seed=0)
    script = tmp_path / "model.py"
    script.write_text(export_script(network, ["a", "b"], np.zeros(2), np.ones(2), np.zeros((1, 2))))
    result = subprocess.run(
        [sys.executable, str(script), "1.5", "-2"], capture_output=True, text=True, timeout=60, check=True
    )
    assert float(result.stdout.split("->")[1]) == network.predict([[1.5, -2.0]])[0, 0]
    wrong = subprocess.run([sys.executable, str(script), "1"], capture_output=True, text=True, timeout=60)
    assert wrong.returncode == 1 and "Give 2 values" in wrong.stderr


def test_export_refuses_a_name_count_that_does_not_fit():
    with pytest.raises(ValueError, match="Expected 2 inputs: got 1 column names"):
        export_script(Network([2, 1], seed=0), ["only one"], np.zeros(2), np.ones(2), np.zeros((1, 2)))
