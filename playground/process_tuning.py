"""Settings of the server process that all its sessions share, made once when the server starts.

* One BLAS thread: every session's matrix products run on its own script thread. OpenBLAS otherwise
  starts a thread per core for each product, and on a busy server those threads fight each other
  (benchmarks/bench_blas.py). threadpoolctl sets it at run time, whether NumPy is loaded yet or not
  and however the app was started; an environment variable would have to be set before NumPy loads.
* A short GIL switch interval: each session runs in its own thread, and a thread that has to wait
  for the GIL (to hand a message to the event loop, say) waits up to this long while a training
  thread holds it. Python's 5 ms made every message of a busy room wait (py-spy,
  benchmarks/load_test_ws.py).
* The objects that exist once the server has loaded its modules (Streamlit's, NumPy's, pandas', the
  app's: hundreds of thousands) are frozen out of Python's garbage collector (``gc.freeze``): they live
  as long as the process, and every full collection walked them all, stopping every session for about
  85 ms every few seconds under load (gc callbacks, benchmarks/load_test_hostile.py).
"""

from __future__ import annotations

import gc
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


def freeze_loaded_objects() -> None:
    """Keep every object alive now out of future garbage collections (call once the modules are loaded)."""
    gc.collect()
    gc.freeze()


@cache
def freeze_after_first_page() -> None:
    """Once per process, after the first page run: what it loaded (Streamlit's server, the views) too."""
    freeze_loaded_objects()
