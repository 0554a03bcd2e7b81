"""A minimal PNG encoder (standard library only) for drawing small RGB images inline as data URIs.

Inline images are part of the page's HTML, so a redraw never points the browser at a media file that
the next frame has already deleted (which shows as a broken image while training runs).
"""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np


def _chunk(kind: bytes, payload: bytes) -> bytes:
    checksum = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", checksum)


def png_bytes(rgb: np.ndarray) -> bytes:
    """An (height, width, 3) uint8 image as PNG file bytes (8-bit RGB, no filtering)."""
    image = np.ascontiguousarray(rgb, dtype=np.uint8)
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"Expected an (height, width, 3) image, got shape {image.shape}.")
    height, width, _ = image.shape
    rows = np.concatenate([np.zeros((height, 1), dtype=np.uint8), image.reshape(height, -1)], axis=1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
        + _chunk(b"IEND", b"")
    )


def png_data_uri(rgb: np.ndarray) -> str:
    """The image as a ``data:image/png;base64,...`` URI for an <img> tag."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(rgb)).decode("ascii")
