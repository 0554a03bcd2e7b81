"""A small neural-network engine in pure NumPy, written to be read: see README for the API."""

from nn_core.network import ForwardPass, Network
from nn_core.training import History, Trainer, TrainingConfig

__all__ = ["ForwardPass", "History", "Network", "Trainer", "TrainingConfig"]
