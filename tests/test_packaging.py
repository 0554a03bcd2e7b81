"""What a fresh machine needs: the container image holds everything the app loads at run time and starts
it the way the README does, and pytest can collect every test module."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN_TIME = ("app.py", "serve.py", "nn_core", "playground", "static", ".streamlit")


def copied_into_the_image() -> set[str]:
    copied = set()
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY"):
            sources = [word for word in line.split()[1:-1] if not word.startswith("--")]
            copied.update(source.rstrip("/") for source in sources)
    return copied


def test_the_image_holds_everything_the_app_loads_at_run_time():
    missing = [name for name in RUN_TIME if name not in copied_into_the_image()]
    assert not missing, f"the Dockerfile does not copy {missing}"
    assert all((ROOT / name).exists() for name in RUN_TIME)


def test_the_image_and_the_readme_start_the_app_the_same_way():
    command = re.search(r"^CMD \[(.*)\]$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert command and '"python", "serve.py"' in command.group(1)
    assert "pip install -r requirements.txt && python serve.py" in (ROOT / "README.md").read_text()


def test_no_two_test_modules_share_a_name():
    """pytest imports test modules by file name; two with one name stop the whole run at collection."""
    names = [path.name for path in (ROOT / "tests").rglob("test_*.py")]
    repeated = sorted({name for name in names if names.count(name) > 1})
    assert not repeated, f"rename one of each: {repeated}"
