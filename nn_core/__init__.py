"""A small neural-network engine in pure NumPy, written to be read: see README for the API.

Where to start: ``network.py`` (``Network.forward`` and ``Network.backward``, the tutorial's maths for any
depth), then ``activations.py`` and ``losses.py`` beside it, ``optimizers.py`` and ``training.py``. The
Trainer's fast paths live in ``_fast.py``; they compute the same numbers, only sooner.
"""

from nn_core.network import ForwardPass, Network
from nn_core.training import Figures, History, Trainer, TrainingConfig

__all__ = ["Figures", "ForwardPass", "History", "Network", "Trainer", "TrainingConfig"]
