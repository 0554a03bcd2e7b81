"""The parts of the page drawn with Streamlit; the logic they draw lives in ``playground/``."""
