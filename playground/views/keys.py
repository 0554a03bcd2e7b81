"""Every widget key the views use (and the key of the session model), in one place.

A key's value is part of the app's surface: tests, share links and the browser tests find widgets by
it, and the page's CSS selects ``.st-key-<key>``. Change a value only together with all of those.
Keys that depend on the table's version or on a layer are small functions.
"""

from __future__ import annotations

# Session state that is not a widget
STATE = "playground"  # the session model (playground.session.Session)

# Page
APP_TITLE = "app_title"
WORKSHOP = "workshop"
PAGE_TABS = "page_tab"
WORKSHOP_TABS = "workshop_tab"
TAB_MARKER = "tab_marker"

# Data: the data set menu, a preset's size, noise and seed, the column choices
SOURCE = "source_choice"
WORKSHOP_SOURCE = "workshop_source_choice"
PRESET_SIZE = "preset_size"
PRESET_NOISE = "preset_noise"
PRESET_SEED = "preset_seed"
UNDO_LOAD = "undo_load"
WORKSHOP_UNDO_LOAD = "workshop_undo_load"
TABLE_EDITOR = "table_editor"


def choice_key(name: str, version: int) -> str:
    """A column choice ("inputs", "target" or "task") for one version of the table."""
    return f"{name}_{version}"


# Network and training settings: a setting's widget is keyed by its field name in playground.settings,
# except where the widget shows the value in another shape (a count of layers, a percent).
HIDDEN_LAYER_COUNT = "hidden_layer_count"
TEST_PERCENT = "test_percent"
DERIVED_INPUTS = "derived_inputs"
LEARNING_RATE_SCALE = "learning_rate_scale"  # the log-scale slider beside the exact learning rate
_SETTING_KEYS = {
    "hidden_layers": HIDDEN_LAYER_COUNT,
    "test_fraction": TEST_PERCENT,
    "features": DERIVED_INPUTS,
}


def setting_key(name: str) -> str:
    """The widget that shows the setting named ``name`` (a field of a playground.settings group)."""
    return _SETTING_KEYS.get(name, name)


def neurons_key(layer: int) -> str:
    """The neuron count of hidden layer ``layer`` (from 0)."""
    return f"neurons_in_layer_{layer}"


HIDDEN_ACTIVATION = setting_key("hidden_activation")
OUTPUT_ACTIVATION = setting_key("output_activation")
INIT = setting_key("init")
SEED = setting_key("seed")
LOSS = setting_key("loss")
OPTIMIZER = setting_key("optimizer")
LEARNING_RATE = setting_key("learning_rate")
EPOCHS = setting_key("epochs")
BATCH_SIZE = setting_key("batch_size")
SHUFFLE = setting_key("shuffle")
REGULARIZATION = setting_key("regularization")
REGULARIZATION_RATE = setting_key("regularization_rate")
STANDARDIZE = setting_key("standardize")
SPLIT_SEED = setting_key("split_seed")


# Training buttons and adding points
TRAIN = "train"
PAUSE = "pause"
STEP = "step"
RESET = "reset"
NEW_POINT_VALUE = "new_point_value"
NEW_POINT_CLASS = "new_point_class"

# Network pictures
NETWORK_PICTURE = "network_picture"
TOUR_PICTURE = "tour_picture"

# Ask the network
AXIS_X, AXIS_Y = "axis_x", "axis_y"


def slider_key(version: int, index: int) -> str:
    """The slider of input ``index`` for one version of the table."""
    return f"ask_{version}_{index}"


def example_key(name: str) -> str:
    """The button that sets the sliders to a named example."""
    return f"ask_{name}"


# Backpropagation
EXPLAIN_ROW = "explain_row"
CHAIN_PARAMETER = "chain_parameter"

# Hidden space
HIDDEN_SPACE_LAYER = "hidden_space_layer"


def neuron_key(axis: str, layer: int) -> str:
    """A neuron chooser ("x" or "y"), one per layer: a chooser's option labels name its layer
    (Streamlit keeps a keyed selectbox's labels when only its options change)."""
    return f"hidden_space_{axis}_{layer}"


# Learning rates
LEARNING_RATES_CHOSEN = "learning_rates_chosen"
LEARNING_RATES_TRAIN = "learning_rates_train"
LEARNING_RATES_LOG_SCALE = "learning_rates_log_scale"
LEARNING_RATES_PARAMETER = "learning_rates_parameter"
LEARNING_RATES_OVERSHOOT = "learning_rates_overshoot"
STEP_RATE = "learning_rates_step_rate"


def step_rate_key(own_rate: float) -> str:
    """The one-step learning rate slider, one per starting learning rate."""
    return f"{STEP_RATE}_{own_rate:g}"


# Runs
RUNS_CHOSEN = "runs_chosen"
RUNS_LOG_SCALE = "runs_log_scale"
RUNS_CLEAR = "runs_clear"

# Share, upload and download
MAKE_LINK = "make_link"
UPLOAD_CSV = "upload_csv"
UPLOAD_MODEL = "upload_model"
DOWNLOAD_TABLE = "download_table"
DOWNLOAD_MODEL = "download_model"
DOWNLOAD_SCRIPT = "download_script"
DOWNLOAD_HISTORY = "download_history"

# Tour
TOUR = "tour"  # the tour's container
TOUR_RAW = "tour_raw"
TOUR_BACK = "tour_back"
TOUR_NEXT = "tour_next"
TOUR_SIGMOID = "tour_sigmoid"
TOUR_SGD_NEXT = "tour_sgd_next"
TOUR_SGD_AGAIN = "tour_sgd_again"
TOUR_TRAIN = "tour_train"
TOUR_FEATURES = "tour_features"
TOUR_NEURON = "tour_"  # prefix of the one-neuron sliders: tour_w1, tour_x1 …
TOUR_NETWORK = "tour_net_"  # prefix of the small network's sliders: tour_net_w1 …


def tour_slider_key(prefix: str, name: str) -> str:
    """A tour slider: ``prefix`` (TOUR_NEURON or TOUR_NETWORK) and a weight, input or bias name."""
    return prefix + name


def tour_guess_key(name: str) -> str:
    """The slider for a guess at a neuron's output."""
    return f"tour_guess_{name.lower()}"
