"""Removing everything but the picture from JPEG and JPEG 2000 streams, without decoding them.

Used for images embedded in PDFs (``refuge.publish.scrubpdf``), where re-encoding would mean
rebuilding the image object. Both are whitelists, so a segment or box type we never heard of
is dropped too, and the pixels are untouched: decoding gives the same image.

- JPEG keeps only the segments a decoder needs (frame headers, Huffman and quantisation
  tables, restart interval, scans with their entropy-coded data, and Adobe's APP14
  colour-transform flag) and drops every other application segment (APP0-APP15: JFIF
  thumbnails, EXIF with GPS, XMP, ICC, Photoshop/IPTC, maker notes), comments, unknown
  markers and anything after the end-of-image marker.
- A JPEG 2000 file (JP2) keeps its signature, file type, reader requirements, header and
  codestream boxes, and drops the rest (XML and UUID boxes hold XMP and EXIF). A bare
  codestream has no boxes and is kept as it is.
"""

from __future__ import annotations

from typing import Final

_SOI: Final = 0xD8
_EOI: Final = 0xD9
_SOS: Final = 0xDA
_APP14: Final = 0xEE
# Frame headers (SOF0-3, 5-7, 9-11, 13-15), DHT, DAC, DQT, DNL, DRI.
_KEEP: Final = frozenset(
    {
        *range(0xC0, 0xC4),
        *range(0xC5, 0xC8),
        *range(0xC9, 0xCC),
        *range(0xCD, 0xD0),
        0xC4,
        0xCC,
        0xDB,
        0xDC,
        0xDD,
    }
)
_RST: Final = frozenset(range(0xD0, 0xD8))


class JpegStructureError(ValueError):
    """The bytes are not a JPEG stream this module can walk."""


def strip_jpeg_metadata(data: bytes) -> bytes:
    """``data`` with only the segments a decoder needs (see the module docstring)."""
    if not data.startswith(b"\xff\xd8"):
        raise JpegStructureError("not a JPEG stream (no start-of-image marker)")
    out = bytearray(b"\xff\xd8")
    at = 2
    end = len(data)
    while True:
        if at >= end or data[at] != 0xFF:
            raise JpegStructureError("a JPEG segment does not start with a marker")
        while at < end and data[at] == 0xFF:  # fill bytes may pad before a marker
            at += 1
        if at >= end:
            raise JpegStructureError("the JPEG stream ends inside a marker")
        marker = data[at]
        at += 1
        if marker == _EOI:
            out += b"\xff\xd9"
            return bytes(out)  # anything after the end of the image is dropped
        if marker in _RST or marker == 0x01 or marker == _SOI:
            continue  # standalone markers carry no data and are not needed here
        if at + 2 > end:
            raise JpegStructureError("the JPEG stream ends inside a segment length")
        length = int.from_bytes(data[at : at + 2], "big")
        if length < 2 or at + length > end:
            raise JpegStructureError("a JPEG segment runs past the end of the stream")
        segment = data[at - 2 : at + length]
        at += length
        if marker == _SOS:
            scan_end = _scan_end(data, at)
            out += segment
            out += data[at:scan_end]
            at = scan_end
        elif marker in _KEEP or (marker == _APP14 and segment[4:9] == b"Adobe"):
            out += segment


def _scan_end(data: bytes, at: int) -> int:
    """Where the entropy-coded data that starts at ``at`` ends: at the next real marker."""
    while True:
        found = data.find(b"\xff", at)
        if found < 0 or found + 1 >= len(data):
            raise JpegStructureError("the JPEG stream ends inside a scan")
        following = data[found + 1]
        # FF00 is an escaped data byte, FFD0-FFD7 a restart marker inside the scan, and FFFF
        # a fill byte before the marker that follows.
        if following == 0x00 or following in _RST or following == 0xFF:
            at = found + 1 if following == 0xFF else found + 2
            continue
        return found


_JP2_SIGNATURE: Final = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
_J2K_CODESTREAM: Final = b"\xff\x4f\xff\x51"  # SOC then SIZ: a bare codestream
_JP2_KEEP: Final = frozenset({b"jP  ", b"ftyp", b"rreq", b"jp2h", b"jp2c"})


def strip_jp2_metadata(data: bytes) -> bytes:
    """``data`` with only the boxes a JPEG 2000 decoder needs (see the module docstring)."""
    if data.startswith(_J2K_CODESTREAM):
        return data
    if not data.startswith(_JP2_SIGNATURE):
        raise JpegStructureError("not a JPEG 2000 stream (no signature box)")
    out = bytearray()
    at = 0
    end = len(data)
    while at < end:
        if at + 8 > end:
            raise JpegStructureError("the JPEG 2000 stream ends inside a box header")
        length = int.from_bytes(data[at : at + 4], "big")
        kind = data[at + 4 : at + 8]
        header = 8
        if length == 1:  # the real length follows, in 64 bits
            if at + 16 > end:
                raise JpegStructureError("the JPEG 2000 stream ends inside a box header")
            length = int.from_bytes(data[at + 8 : at + 16], "big")
            header = 16
        elif length == 0:  # the last box runs to the end
            length = end - at
        if length < header or at + length > end:
            raise JpegStructureError("a JPEG 2000 box runs past the end of the stream")
        if kind in _JP2_KEEP:
            out += data[at : at + length]
        at += length
    return bytes(out)


__all__ = ["JpegStructureError", "strip_jp2_metadata", "strip_jpeg_metadata"]
