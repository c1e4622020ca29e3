"""Bytes to text: a byte-order mark, else UTF-8; for HTML pages also UTF-8 with a few stray
bytes, what the page declares, and charset detection.

The archive's text format, Markdown and JSON are UTF-8 (JSON by its RFC; the other two as the
archive writes them), so any other bytes there are refused with where the first bad byte is:
guessing would quietly turn a corrupted file into wrong text. Pages are written in every
encoding the web has known, so for them UTF-8 still wins over a declaration whenever the non-ASCII
bytes are (nearly all) valid UTF-8: pages often keep a `<meta charset=iso-8859-1>` from an old
template after the site moved to UTF-8, and text in a legacy encoding is almost never valid UTF-8
by accident. A declaration that names no text encoding a page can be in (`zlib`, `undefined`,
`unicode_escape`, EBCDIC) is ignored. Without a usable declaration, charset-normalizer guesses
from the bytes.

Decoded text with too many control, private-use or replacement characters is refused as binary or
garbage.
"""

from __future__ import annotations

import codecs
import re

from articles.errors import ParseError

MAX_CONTROL_SHARE = 0.01
"""Above this share of control characters a decoded file is taken for binary or garbage."""
MAX_INVALID_UTF8_SHARE = 0.02
"""Text whose invalid UTF-8 sequences are at most this share of its non-ASCII bytes is UTF-8
with stray bytes; a legacy encoding has nearly every non-ASCII byte invalid."""
DETECTION_SAMPLE_BYTES = 256 * 1024
"""Charset detection looks at this much of a file; the whole file is then decoded with its guess."""

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_NOT_TEXT_ENCODINGS = frozenset({
    "undefined", "unicode_escape", "raw_unicode_escape", "punycode", "idna", "utf-7",
})
"""Python codecs no file is written in: escape codecs, and `undefined`, which always fails."""
_READ_AS_UTF8 = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
"""Declared in a page that could be read as ASCII, these mean UTF-8 (as browsers read them);
a real UTF-16/32 file starts with its byte-order mark."""
_CHARSET = re.compile(rb"""<meta[^<>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^<>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""")
_ASCII = bytes(range(128))
_GARBAGE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff]"
)
"""Control characters other than whitespace, surrogates, private use, replacement characters."""


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark announces, or None."""
    return next((name for bom, name in BOMS if data.startswith(bom)), None)


def declared_charset(data: bytes) -> str | None:
    """The text encoding a page declares in its first bytes (<meta charset>, http-equiv,
    <?xml encoding?>), when Python can decode a page with it."""
    head = data[:4096]
    m = _XML_ENCODING.match(head) or _CHARSET.search(head)
    if not m:
        return None
    name = text_encoding(m[1].decode("ascii"))
    if name in _READ_AS_UTF8:
        return "utf-8"
    # a declaration read as ASCII cannot be in EBCDIC or another encoding ASCII does not fit in
    return name if name and "<a =>".encode(name) == b"<a =>" else None


def text_encoding(label: str) -> str | None:
    """Python's name for an encoding label, or None when it names no codec text is written in."""
    try:
        name = codecs.lookup(label).name
        "a".encode(name)  # byte-to-byte codecs (zlib, base64) raise LookupError, `undefined` UnicodeError
    except (LookupError, UnicodeError, ValueError):
        return None
    return None if name in _NOT_TEXT_ENCODINGS else name


def decode_text(data: bytes, *, page: bool = False, declared: str | None = None) -> str:
    """Bytes to text (see the module docstring); ParseError when no reading makes text. `page`
    allows what HTML allows: a declared charset and detection."""
    bom = bom_encoding(data)
    if bom:
        text = _strict(data, bom)
        if text is None:
            raise ParseError(f"not {bom.upper().removesuffix('-SIG')} text despite its byte-order mark")
    elif page:
        text = _page_text(data, declared)
    else:
        text = _utf8(data)
    if _garbage_share(text[:65536]) > MAX_CONTROL_SHARE:
        raise ParseError("binary or garbage content")
    return text.removeprefix("\ufeff")


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _garbage_share(data[:65536].decode("latin-1")) > MAX_CONTROL_SHARE:
            raise ParseError("binary or garbage content") from None
        raise ParseError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def _page_text(data: bytes, declared: str | None) -> str:
    if declared and data.isascii():
        # 7-bit encodings (ISO-2022-JP) look like ASCII; for ASCII-compatible ones it is the same
        text = _strict(data, declared)
        if text is not None:
            return text
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    text = _mostly_utf8(data)
    if text is not None:
        return text
    if declared:
        text = _strict(data, declared)
        if text is not None:
            return text
    return _detected(data)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray bytes (a page pasted together from two sources), read with those
    bytes replaced; None when too many are invalid for the text to be UTF-8 at all."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(data.translate(None, _ASCII))
    return text if invalid <= MAX_INVALID_UTF8_SHARE * non_ascii else None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeError, LookupError):
        return None


def _detected(data: bytes) -> str:
    """Decode with charset-normalizer's guess from the first bytes."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:DETECTION_SAMPLE_BYTES]).best()
    encoding = text_encoding(best.encoding) if best is not None else None
    if encoding is None:
        if _garbage_share(data[:65536].decode("latin-1")) > MAX_CONTROL_SHARE:
            raise ParseError("binary or garbage content")
        raise ParseError("not text in any encoding charset detection recognises")
    return data.decode(encoding, errors="replace")


def _garbage_share(text: str) -> float:
    return sum(1 for _ in _GARBAGE.finditer(text)) / max(len(text), 1)
