"""Start the playground: ``python serve.py [options of streamlit run]`` is ``streamlit run app.py``, with
the modules its first page needs loaded before the server opens, so the first visitor does not wait
for them (pandas alone takes about 0.2 s to load; measured by benchmarks/bench_browser.py), and the
process tuned for many sessions (playground/process_tuning.py)."""

import importlib
import sys
from pathlib import Path

from streamlit.web import cli

from playground.process_tuning import freeze_loaded_objects, tune_server_process

APP = Path(__file__).resolve().parent / "app.py"
FIRST_PAGE_NEEDS = ("numpy", "pandas", "pyarrow", "playground.session", "playground.tour")

if __name__ == "__main__":
    tune_server_process()
    for module in FIRST_PAGE_NEEDS:
        importlib.import_module(module)
    freeze_loaded_objects()
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    sys.exit(cli.main())
