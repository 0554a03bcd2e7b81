"""Settings of the server process that all its sessions share, made once when the server starts.

* One BLAS thread: every session's matrix products run on its own script thread. OpenBLAS otherwise
  starts a thread per core for each product, and on a busy server those threads fight each other
  (benchmarks/bench_blas.py). threadpoolctl sets it at run time, whether NumPy is loaded yet or not
  and however the app was started; an environment variable would have to be set before NumPy loads.
* A short GIL switch interval: each session runs in its own thread, and a thread that has to wait
  for the GIL (to hand a message to the event loop, say) waits up to this long while a training
  thread holds it. Python's 5 ms made every message of a busy room wait (py-spy,
  benchmarks/load_test_ws.py).
"""

from __future__ import annotations

import sys
from functools import cache

from threadpoolctl import threadpool_limits

BLAS_THREADS = 1
SWITCH_INTERVAL_SECONDS = 0.001


@cache
def tune_server_process() -> None:
    """Apply the settings above to this process (again: nothing)."""
    threadpool_limits(limits=BLAS_THREADS, user_api="blas")
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
