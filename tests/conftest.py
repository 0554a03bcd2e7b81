"""Shared test setup: make the repository root importable without installing the project."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def tutorial_prepared_data():
    """The tutorial's four people as validated arrays, exactly as the app's table gives them."""
    from playground.presets import TUTORIAL, load_source, table_from_dataset
    from playground.table import candidate_columns, check_table

    table = table_from_dataset(load_source(TUTORIAL, 4, 0.0, 0))
    columns = candidate_columns(table)
    return check_table(table, columns[:-1], columns[-1]).data
