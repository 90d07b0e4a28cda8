"""Read a PDF back the way a person sees it: its text, the images drawn on its pages, the fonts it uses (and
whether each is embedded), and any character drawn without a glyph (an empty box or a blank where a character
should be)."""

from __future__ import annotations

import io
import re

from fontTools.ttLib import TTCollection, TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from doudi.cases.pdf import FONT_FILE


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


def _fonts(reader: PdfReader) -> dict[str, object]:
    """Every font named in a page's resources, by its resource name per page: ``{"1/F2+0": font}``."""
    out = {}
    for n, page in enumerate(reader.pages, start=1):
        fonts = page.get("/Resources", {}).get("/Font", {})
        for key, font in fonts.items():
            out[f"{n}/{key}"] = font.get_object()
    return out


def _descriptor(font):
    if "/FontDescriptor" in font:
        return font["/FontDescriptor"].get_object()
    descendants = font.get("/DescendantFonts")
    if descendants:
        return descendants[0].get_object().get("/FontDescriptor", {}).get_object()
    return {}


def pdf_fonts(content: bytes) -> dict[str, bool]:
    """Each font the PDF names, by its base name, and whether its program is embedded (a FontFile stream)."""
    reader = PdfReader(io.BytesIO(content))
    out = {}
    for font in _fonts(reader).values():
        d = _descriptor(font)
        out[str(font["/BaseFont"])] = any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return out


def _to_unicode(font) -> dict[int, str]:
    """The font's ToUnicode CMap as {code: text} (bfchar and bfrange entries)."""
    if "/ToUnicode" not in font:
        return {}
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    out = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, start in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(int(start, 16) + i)
    return out


def _drawn(reader: PdfReader) -> dict[str, set[int]]:
    """The character codes each font draws (Tj, TJ, ', " in the pages' content streams), by the key of _fonts."""
    out: dict[str, set[int]] = {}
    for n, page in enumerate(reader.pages, start=1):
        font = None
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"Tf":
                font = f"{n}/{operands[0]}"
            elif op in (b"Tj", b"'", b'"', b"TJ"):
                strings = operands[0] if op == b"TJ" else operands[-1:]
                for s in strings:
                    if isinstance(s, (str, bytes)):
                        raw = s.original_bytes if hasattr(s, "original_bytes") else bytes(s)
                        out.setdefault(font, set()).update(raw)
    return out


_SOURCE_CMAP: dict[int, str] | None = None


def source_cmap() -> dict[int, str]:
    """The code points the packaged font (the one doudi/cases/pdf.py embeds) has a glyph for, read by fontTools."""
    global _SOURCE_CMAP
    if _SOURCE_CMAP is None:
        _SOURCE_CMAP = TTCollection(str(FONT_FILE)).fonts[0].getBestCmap()
    return _SOURCE_CMAP


def missing_glyphs(content: bytes) -> list[str]:
    """Characters the PDF draws without a glyph, each as ``"U+2610 in <font>"``: a code whose text is unknown or
    U+0000 (what reportlab draws for a character its font lacks), a code mapped to .notdef or to an empty glyph
    although its character is not a space, or a character the packaged font has no glyph for. A non-embedded font
    drawing anything counts too (what it looks like depends on the reader's machine)."""
    reader = PdfReader(io.BytesIO(content))
    fonts, drawn = _fonts(reader), _drawn(reader)
    problems = []
    for key, codes in drawn.items():
        font = fonts[key]
        name = str(font["/BaseFont"])
        d = _descriptor(font)
        if "/FontFile2" not in d:
            problems.append(f"{len(codes)} codes in the non-embedded or non-TrueType font {name}")
            continue
        tt = TTFont(io.BytesIO(d["/FontFile2"].get_object().get_data()))
        glyf, order = tt["glyf"], tt.getGlyphOrder()
        cmap = {}
        for table in tt["cmap"].tables:
            cmap.update(table.cmap)
        to_unicode = _to_unicode(font)
        for code in sorted(codes):
            text = to_unicode.get(code, "")
            glyph = cmap.get(code, order[0])
            empty = glyf[glyph].numberOfContours == 0
            if not text or text == "\x00" or glyph == order[0] or (empty and not text.isspace()):
                problems.append(f"code {code} ({text!r}) in {name}")
            elif "WenQuanYi" in name and any(ord(c) not in source_cmap() for c in text):
                problems.append(f"U+{ord(text[0]):04X} in {name}")
    return problems
