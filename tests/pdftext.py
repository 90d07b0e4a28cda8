"""Read a PDF back the way a person sees it: its text (pypdf decodes reportlab's STSong-Light CID font to
Chinese) and the images drawn on its pages."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def flat(text: str) -> str:
    """``text`` without white space: where a line wraps (a long name breaks inside its table cell) and how the
    full-width spaces between fields are read back are layout, not content."""
    return re.sub(r"\s+", "", text)


def pdf_text(content: bytes) -> str:
    """The text of every page, without white space (compare with ``flat(expected)``)."""
    return flat("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def pdf_image_count(content: bytes) -> int:
    """Images drawn on the pages (image XObjects and inline images)."""
    return sum(len(page.images) for page in PdfReader(io.BytesIO(content)).pages)
