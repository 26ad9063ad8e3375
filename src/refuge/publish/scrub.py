"""Stripping embedded metadata from files published with a record: images and PDFs.

A photo carries where it was taken (EXIF GPS), with what (make, model, serial numbers,
the JPEG quantisation tables of that camera's firmware), when, and often by whom (XMP, IPTC
creator, comments); a PDF names its author and the software of their organisation. For the
people in the picture and the person who took it, any of these can be fatal.

Images (JPEG, PNG, WebP, TIFF) are **re-encoded from their pixels**: the picture is decoded,
turned upright according to its EXIF orientation (the tag goes, so the rotation must be
applied), converted to sRGB if it carries an ICC profile (the profile goes too), and written
as a new file of the same format that holds nothing but pixels. Consequences, deliberately:

- JPEG is re-encoded at quality ``JPEG_QUALITY`` with the encoder's standard tables, not the
  camera's, so the tables cannot point to a make of phone; this loses a little quality.
- PNG, TIFF (deflate) and lossless WebP keep every pixel exactly; lossy WebP is re-encoded
  at ``WEBP_QUALITY``.
- Only the first frame of an animation or multi-page TIFF is kept, and only the main image
  of a JPEG with extra pictures (MPO depth maps, previews).
- A palette image becomes RGB (RGBA if it has transparency): same pixels, no palette chunk.

PDFs are rebuilt from their pages, keeping on pages, images, forms and annotations only
the keys a whitelist allows: see ``refuge.publish.scrubpdf``.

Anything else is refused (R159), as is a file whose content is not of the type it claims.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from typing import Final

from PIL import Image, ImageCms, ImageOps

from refuge.errors import PublicationError
from refuge.publish.scrubpdf import UnsafePdf, scrub_pdf

JPEG_QUALITY: Final = 92
WEBP_QUALITY: Final = 92

# Media type -> the Pillow format that must decode it (its JPEG decoder also opens a JPEG with
# extra pictures, reporting it as MPO).
IMAGE_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "image/jpeg": ("JPEG",),
    "image/png": ("PNG",),
    "image/webp": ("WEBP",),
    "image/tiff": ("TIFF",),
}
PDF_TYPE: Final = "application/pdf"
SCRUBBABLE_TYPES: Final[tuple[str, ...]] = (*IMAGE_TYPES, PDF_TYPE)

# What Pillow reports when it decodes one of our re-encoded files: the layout of the pixels,
# nothing about where they came from. Anything else in the output is refused (a whitelist,
# so that a Pillow upgrade that starts copying some metadata fails loudly, not silently).
_LAYOUT_INFO: Final = frozenset(
    {
        "jfif",
        "jfif_version",
        "jfif_unit",
        "jfif_density",
        "adobe",  # APP14: how CMYK/YCCK samples are stored, needed to decode them
        "adobe_transform",
        "progressive",
        "progression",
        "compression",
        "dpi",
        "resolution",
        "transparency",
        "loop",
        "duration",
        "background",
    }
)
# TIFF tags that describe the pixels' layout; any other tag (Make, Model, Artist, Software,
# DateTime, GPS, EXIF, XMP, IPTC, ICC, ...) in the output is refused.
_TIFF_LAYOUT_TAGS: Final = frozenset(
    {
        254,  # NewSubfileType
        256,  # ImageWidth
        257,  # ImageLength
        258,  # BitsPerSample
        259,  # Compression
        262,  # PhotometricInterpretation
        273,  # StripOffsets
        274,  # Orientation (only ever 1 here: the rotation was applied)
        277,  # SamplesPerPixel
        278,  # RowsPerStrip
        279,  # StripByteCounts
        282,  # XResolution
        283,  # YResolution
        284,  # PlanarConfiguration
        296,  # ResolutionUnit
        317,  # Predictor
        320,  # ColorMap
        338,  # ExtraSamples
        339,  # SampleFormat
    }
)


class ScrubError(PublicationError):
    """A file cannot be stripped of its metadata: unknown type, wrong content, unreadable."""

    code = "R159"


def scrub_metadata(data: bytes, media_type: str) -> bytes:
    """``data`` re-written without embedded metadata (see the module docstring).

    ``media_type`` may carry parameters (``image/jpeg; q=1``); case does not matter. Raises
    ``ScrubError`` (R159) for a type not in ``SCRUBBABLE_TYPES``, content that is not of that
    type, or a file too damaged (or too large: Pillow's decompression-bomb limit) to read.
    """
    kind = media_type.split(";", 1)[0].strip().lower()
    if kind == PDF_TYPE:
        return _scrub_pdf(data)
    formats = IMAGE_TYPES.get(kind)
    if formats is None:
        raise ScrubError(
            f"cannot strip metadata from {kind or 'an untyped file'!r}; publish only "
            f"{', '.join(SCRUBBABLE_TYPES)}"
        )
    return _scrub_image(data, kind, formats)


# --- images ---------------------------------------------------------------------------


def _scrub_image(data: bytes, kind: str, formats: tuple[str, ...]) -> bytes:
    try:
        with warnings.catch_warnings():
            # Over Pillow's pixel limit it only warns; a published file has no reason to be.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(formats)) as original:
                lossless_webp = kind == "image/webp" and _is_lossless_webp(data)
                original.seek(0)
                original.load()
                pixels = _pixels_only(original)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ScrubError("the image is too large to publish (decompression-bomb limit)") from None
    except Exception as exc:
        # Pillow raises UnidentifiedImageError for content of another type, and all sorts of
        # errors (struct.error, IndexError, SyntaxError, ...) for damaged files: any of them
        # means this file is not published.
        raise ScrubError(
            f"the file is not a readable {kind} image ({type(exc).__name__})"
        ) from None
    out = io.BytesIO()
    save = _SAVERS[kind]
    try:
        save(pixels, out, lossless_webp)
    except (OSError, ValueError) as exc:
        raise ScrubError(f"the image cannot be written as {kind} ({exc})") from None
    result = out.getvalue()
    _check_clean_image(result, formats)
    return result


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding ``image``'s pixels, upright and in sRGB, and nothing else."""
    upright = ImageOps.exif_transpose(image)  # a copy, with the orientation applied
    assert upright is not None  # not in place, so a new image comes back
    icc = upright.info.get("icc_profile")
    if icc and upright.mode in ("RGB", "RGBA", "CMYK"):
        upright = _to_srgb(upright, icc)
    if upright.mode in ("P", "PA"):
        has_alpha = upright.mode == "PA" or "transparency" in upright.info
        upright = upright.convert("RGBA" if has_alpha else "RGB")
    # frombytes starts from an empty info dict: no EXIF, ICC, XMP, text or comment survives.
    return Image.frombytes(upright.mode, upright.size, upright.tobytes())


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A broken profile is dropped unconverted: colours may shift, nothing leaks.
        return image.convert(mode) if image.mode == "CMYK" else image
    assert converted is not None  # not in place, so a new image comes back
    return converted


def _is_lossless_webp(data: bytes) -> bool:
    # A lossless WebP stores its picture in a VP8L chunk; a lossy one in VP8 (RIFF layout).
    return data[12:16] == b"VP8L" or (data[12:16] == b"VP8X" and b"VP8L" in data[30:])


def _save_jpeg(image: Image.Image, out: io.BytesIO, _lossless: bool) -> None:
    if image.mode not in ("L", "RGB", "CMYK"):
        image = image.convert("RGB")
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)


def _save_png(image: Image.Image, out: io.BytesIO, _lossless: bool) -> None:
    image.save(out, format="PNG", optimize=False)


def _save_webp(image: Image.Image, out: io.BytesIO, lossless: bool) -> None:
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.mode else "RGB")
    if lossless:
        image.save(out, format="WEBP", lossless=True, quality=100, exact=True)
    else:
        image.save(out, format="WEBP", quality=WEBP_QUALITY)


def _save_tiff(image: Image.Image, out: io.BytesIO, _lossless: bool) -> None:
    image.save(out, format="TIFF", compression="tiff_deflate")


_SAVERS: Final[dict[str, Callable[[Image.Image, io.BytesIO, bool], None]]] = {
    "image/jpeg": _save_jpeg,
    "image/png": _save_png,
    "image/webp": _save_webp,
    "image/tiff": _save_tiff,
}


def _check_clean_image(data: bytes, formats: tuple[str, ...]) -> None:
    """Refuse the output if anything but pixels and their layout came back from decoding it."""
    with Image.open(io.BytesIO(data), formats=list(formats)) as image:
        unexpected = {key for key in image.info if key not in _LAYOUT_INFO}
        tags = getattr(image, "tag_v2", None)
        tag_ids: set[int] = set() if tags is None else {int(tag) for tag in tags}
        tag_ids |= set(image.getexif())
        if unexpected or tag_ids - _TIFF_LAYOUT_TAGS:
            raise ScrubError("metadata survived re-encoding; the file was not published")


# --- PDF --------------------------------------------------------------------------------


def _scrub_pdf(data: bytes) -> bytes:
    try:
        return scrub_pdf(data)
    except UnsafePdf as exc:
        raise ScrubError(str(exc)) from None
    except Exception as exc:
        # pypdf meets damaged files with many kinds of error (and deep nesting with
        # RecursionError); any of them means this file is not published.
        raise ScrubError(f"the file is not a readable PDF ({type(exc).__name__})") from None


__all__ = [
    "IMAGE_TYPES",
    "JPEG_QUALITY",
    "PDF_TYPE",
    "SCRUBBABLE_TYPES",
    "ScrubError",
    "scrub_metadata",
]
