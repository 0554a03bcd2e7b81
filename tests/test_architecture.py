"""The layers stay apart, read from the source with ``ast``: Streamlit is imported only by the views
(``playground/views/``) and ``app.py``; the engine (``nn_core/``) needs nothing but NumPy and the standard
library; the pure ``playground`` modules never reach into the views."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

VIEWS = ROOT / "playground" / "views"
ENGINE_MAY_IMPORT = {"numpy", "nn_core", *sys.stdlib_module_names}


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def imported_modules(path: Path) -> list[str]:
    """Every module ``path`` imports, absolute (relative imports resolved against its package);
    ``from package import name`` counts ``package.name`` too, since the name may be a module."""
    package = path.relative_to(ROOT).parent.parts
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append(module)
            found.extend(f"{module}.{alias.name}" for alias in node.names)
    return found


def is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_sources_are_found():
    assert VIEWS.is_dir() and (VIEWS / "__init__.py").exists()
    assert len(modules("playground")) > 20 and len(modules("nn_core")) > 5


@pytest.mark.parametrize("folder", ["playground", "nn_core"])
def test_only_the_views_import_streamlit(folder):
    offenders = [
        f"{relative(path)} imports {module}"
        for path in modules(folder)
        if VIEWS not in path.parents
        for module in imported_modules(path)
        if is_within(module, "streamlit")
    ]
    assert not offenders, "Streamlit belongs in playground/views/ or app.py: " + "; ".join(offenders)


def test_the_engine_imports_only_numpy_and_the_standard_library():
    offenders = [
        f"{relative(path)} imports {module}"
        for path in modules("nn_core")
        for module in imported_modules(path)
        if module.split(".")[0] not in ENGINE_MAY_IMPORT
    ]
    assert not offenders, "nn_core needs only NumPy and the standard library: " + "; ".join(offenders)


def test_pure_playground_modules_do_not_import_the_views():
    offenders = [
        f"{relative(path)} imports {module}"
        for path in modules("playground")
        if VIEWS not in path.parents
        for module in imported_modules(path)
        if is_within(module, "playground.views")
    ]
    assert not offenders, "pure modules must not depend on the views: " + "; ".join(offenders)


def test_the_checks_see_every_kind_of_import(tmp_path, monkeypatch):
    """A made-up package with each kind of import the checks must catch (and the ones they must not)."""
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    package = tmp_path / "playground"
    package.mkdir()
    source = package / "pure.py"
    source.write_text(
        "import streamlit.components.v1 as c\n"
        "from streamlit import session_state\n"
        "from playground import views\n"
        "from .views.data import show_table\n"
        "from . import table\n"
        "import numpy as np\n"
    )
    found = imported_modules(source)
    assert "streamlit.components.v1" in found and "streamlit" in found
    assert "playground.views" in found and "playground.views.data" in found
    assert "playground.table" in found and "numpy" in found


def literal_keys(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """Every call in ``source`` given ``key=`` as a string literal or an f-string, as (line, call) pairs.

    Every call counts, not only ``st.*``: a widget is as often drawn on a column (``left.selectbox``) or
    through a component (``_PICTURE(key=…)``), and no other call in the views takes a text ``key``."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            value = keyword.value
            literal = isinstance(value, ast.JoinedStr) or (
                isinstance(value, ast.Constant) and isinstance(value.value, str)
            )
            if keyword.arg == "key" and literal:
                found.append((node.lineno, ast.unparse(node.func)))
    return found


def test_widget_keys_come_from_the_keys_module():
    offenders = [
        f"{relative(path)}:{line} {call}(key=…)"
        for path in sorted(VIEWS.glob("*.py"))
        if path.name != "keys.py"
        for line, call in literal_keys(path.read_text(encoding="utf-8"), str(path))
    ]
    assert not offenders, "name widget keys in playground/views/keys.py: " + "; ".join(offenders)


def test_the_key_check_sees_literals_and_f_strings():
    source = (
        'st.button("Go", key="go")\n'
        'left.slider("x", key=f"x_{n}")\n'
        'st.button("Go", key=keys.TRAIN)\n'
        "sorted(rows, key=len)\n"
        'st.number_input("n", key=keys.neurons_key(0))\n'
    )
    assert literal_keys(source) == [(1, "st.button"), (2, "left.slider")]


def test_only_the_adapter_touches_streamlits_session_state():
    """Everything a person means lives in the session model; one adapter stands between it and widgets."""
    offenders = [
        relative(path)
        for path in [*modules("playground"), ROOT / "app.py"]
        if path != VIEWS / "adapter.py" and "session_state" in path.read_text(encoding="utf-8")
    ]
    assert not offenders, "only playground/views/adapter.py may use st.session_state: " + ", ".join(offenders)


def test_every_tour_step_has_its_view_and_every_tab_its_name_once():
    from playground import tour
    from playground.views.tabs import TAB_NAMES, TABS
    from playground.views.tour import STEP_VIEWS

    assert list(STEP_VIEWS) == [step.id for step in tour.STEPS]
    assert len(set(TAB_NAMES)) == len(TABS) and TAB_NAMES[0] == "Data"


def test_the_playground_and_the_tour_share_one_live_loop():
    """Both pictures are drawn by views/live.py's show_live; no other view makes a fragment that trains."""
    trainers = [
        relative(path)
        for path in sorted(VIEWS.glob("*.py"))
        if ".message(" in path.read_text(encoding="utf-8") or "run_for(" in path.read_text(encoding="utf-8")
    ]
    assert trainers == ["playground/views/live.py"]
    tour_view = (VIEWS / "tour.py").read_text(encoding="utf-8")
    assert "show_live(TOUR)" in tour_view and "st.fragment" not in tour_view
