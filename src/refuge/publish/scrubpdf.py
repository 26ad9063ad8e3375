"""Stripping a PDF of what it says about its making, keeping its pages (pypdf).

The document is rebuilt from its pages alone, so nothing of the document catalogue comes
along: document information (author, creator, producer, title, dates), the XMP stream,
bookmarks, attachments, forms, document-level scripts, structure tree. Then every object the
pages use is walked, and the kinds that carry metadata keep only the keys on a whitelist:

- pages: their boxes, rotation, resources, contents, annotations, transparency group (no
  ``/Metadata``, ``/PieceInfo`` application data, thumbnails, page actions, associated files);
- image and form XObjects: what drawing them needs (no ``/Metadata``, ``/PieceInfo``, OPI
  links to the original file);
- annotations: their appearance, text and action (no ``/T`` author, dates, unique names,
  attached files or sounds).

Any other dictionary loses ``/Metadata``, ``/PieceInfo`` and ``/LastModified``. Embedded
JPEG and JPEG 2000 images lose their own metadata segments and boxes
(``refuge.publish.jpegmarkers``; pixels untouched); an image with a filter PDF does not
define is refused, since it cannot be checked. The visible content stays: a name printed on
a page is for the editor to see and redact.

Errors are ``UnsafePdf`` (a ValueError); ``refuge.publish.scrub`` reports them as R159.
"""

from __future__ import annotations

import io
from typing import Any, Final, Literal

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from refuge.publish.jpegmarkers import JpegStructureError, strip_jp2_metadata, strip_jpeg_metadata

_PAGE_KEYS: Final = frozenset(
    {
        "/Type",
        "/Parent",
        "/Resources",
        "/MediaBox",
        "/CropBox",
        "/BleedBox",
        "/TrimBox",
        "/ArtBox",
        "/Contents",
        "/Rotate",
        "/Group",
        "/Annots",
        "/UserUnit",
    }
)
_IMAGE_KEYS: Final = frozenset(
    {
        "/Type",
        "/Subtype",
        "/Width",
        "/Height",
        "/ColorSpace",
        "/BitsPerComponent",
        "/Intent",
        "/ImageMask",
        "/Mask",
        "/Decode",
        "/Interpolate",
        "/SMask",
        "/SMaskInData",
        "/Filter",
        "/DecodeParms",
        "/Length",
    }
)
_FORM_KEYS: Final = frozenset(
    {
        "/Type",
        "/Subtype",
        "/FormType",
        "/BBox",
        "/Matrix",
        "/Resources",
        "/Group",
        "/OC",
        "/Filter",
        "/DecodeParms",
        "/Length",
    }
)
_ANNOTATION_KEYS: Final = frozenset(
    {
        "/Type",
        "/Subtype",
        "/Rect",
        "/Contents",
        "/P",
        "/F",
        "/AP",
        "/AS",
        "/Border",
        "/BS",
        "/BE",
        "/C",
        "/IC",
        "/CA",
        "/OC",
        "/A",
        "/Dest",
        "/H",
        "/PA",
        "/QuadPoints",
        "/Popup",
        "/Parent",
        "/Open",
        "/Name",
        "/Subj",
        "/IRT",
        "/IT",
        "/RC",
        "/DA",
        "/Q",
        "/MK",
        "/L",
        "/LE",
        "/LL",
        "/LLE",
        "/LLO",
        "/Vertices",
        "/InkList",
        "/RD",
        "/CL",
        "/DS",
    }
)
_OTHER_DROP_KEYS: Final = ("/Metadata", "/PieceInfo", "/LastModified")
# The filters of ISO 32000 (full names and the abbreviations of inline images).
_KNOWN_FILTERS: Final = frozenset(
    {
        "/ASCIIHexDecode",
        "/ASCII85Decode",
        "/LZWDecode",
        "/FlateDecode",
        "/RunLengthDecode",
        "/CCITTFaxDecode",
        "/JBIG2Decode",
        "/DCTDecode",
        "/JPXDecode",
        "/Crypt",
        "/AHx",
        "/A85",
        "/LZW",
        "/Fl",
        "/RL",
        "/CCF",
        "/DCT",
    }
)


_JPEG_START: Final = b"\xff\xd8\xff"
_JP2_START: Final = b"\x00\x00\x00\x0cjP  "
# Marks of EXIF and XMP packets: a last check on the output, for what no rule above removed
# (only uncompressed packets can be seen; the rules are what removes the rest).
_METADATA_SIGNATURES: Final = (b"Exif\x00\x00", b"<x:xmpmeta", b"<?xpacket", b"ns.adobe.com/xap/")


# What an object is, from where it is referenced ("" when its position says nothing).
_Role = Literal["", "page", "annotation", "annotations", "xobject", "xobjects"]
_CHILD_ROLES: Final[dict[str, _Role]] = {"/Annots": "annotations", "/XObject": "xobjects"}


class UnsafePdf(ValueError):
    """The PDF cannot be cleaned with confidence: encrypted, or an image we cannot check."""


def scrub_pdf(data: bytes) -> bytes:
    """``data`` rebuilt without its metadata (see the module docstring).

    Raises ``UnsafePdf``, or whatever pypdf raises for a damaged file.
    """
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise UnsafePdf("the PDF is encrypted; publish an unencrypted copy")
    cleaned = PdfWriter()
    for page in reader.pages:
        cleaned.add_page(page)
    seen: dict[int, _Role] = {}
    for page in cleaned.pages:
        _clean(page, seen, "page")
    # Objects whose last reference was just removed (an image's XMP stream) would still be
    # written: copying the cleaned pages into a new document takes only what they use.
    writer = PdfWriter()
    for page in cleaned.pages:
        writer.add_page(page)
    writer.metadata = None  # the /Info dictionary, including pypdf's own /Producer
    writer.xmp_metadata = None  # the catalogue's XMP stream
    out = io.BytesIO()
    writer.write(out)
    check_no_metadata_left(out.getvalue())
    return out.getvalue()


def _clean(obj: Any, seen: dict[int, _Role], role: _Role = "") -> None:
    """Clean ``obj`` and what it refers to. ``role`` is what its position says it is (an entry
    of a page's /Annots is an annotation, whatever its damaged dictionary claims); without
    one, the dictionary's own /Type and /Subtype decide."""
    if isinstance(obj, IndirectObject):
        # Seen before: skip, unless its position now says more than it did then (cleaning
        # twice only removes more).
        if obj.idnum in seen and (role == "" or seen[obj.idnum] == role):
            return
        seen[obj.idnum] = role
        obj = obj.get_object()
    if isinstance(obj, ArrayObject):
        for item in obj:
            _clean(item, seen, "annotation" if role == "annotations" else "")
        return
    if not isinstance(obj, DictionaryObject):
        return
    if role == "xobjects":  # a resources' /XObject dictionary: name -> image or form
        for value in obj.values():
            _clean(value, seen, "xobject")
        return
    subtype = obj.get("/Subtype")
    if role == "page" or (role == "" and obj.get("/Type") == "/Page"):
        _keep_only(obj, _PAGE_KEYS)
    elif isinstance(obj, StreamObject) and subtype == "/Form" and role in ("", "xobject"):
        _keep_only(obj, _FORM_KEYS)
    elif isinstance(obj, StreamObject) and (role == "xobject" or subtype == "/Image"):
        _keep_only(obj, _IMAGE_KEYS)  # an XObject that is no form is drawn as an image
        _clean_image_data(obj)
    elif role == "annotation" or _is_annotation(obj):
        _keep_only(obj, _ANNOTATION_KEYS)
        if subtype != "/Popup":
            # A popup's parent is the comment it shows; a form field's parent is the field,
            # with its name and value, which is not carried over without the form.
            obj.pop("/Parent", None)
    else:
        for key in _OTHER_DROP_KEYS:
            obj.pop(key, None)
        if isinstance(obj, StreamObject):
            _clean_stray_picture(obj)
    for key, value in list(obj.items()):
        if key == "/Parent":  # up the page tree: every page is cleaned in its own turn
            continue
        _clean(value, seen, _CHILD_ROLES.get(key, ""))


def _keep_only(obj: DictionaryObject, keys: frozenset[str]) -> None:
    for key in [key for key in obj if key not in keys]:
        del obj[key]


def _is_annotation(obj: DictionaryObject) -> bool:
    # /Type is optional on annotations; every annotation has a /Subtype and a /Rect.
    return obj.get("/Type") == "/Annot" or ("/Subtype" in obj and "/Rect" in obj)


def _clean_stray_picture(stream: StreamObject) -> None:
    """A JPEG or JPEG 2000 picture in a stream not marked as an image (a damaged or odd
    dictionary) is stripped all the same: its bytes carry their metadata wherever they are."""
    data = stream._data
    if not isinstance(data, bytes):
        return
    try:
        if data.startswith(_JPEG_START):
            StreamObject.set_data(stream, strip_jpeg_metadata(data))
        elif data.startswith(_JP2_START):
            StreamObject.set_data(stream, strip_jp2_metadata(data))
    except JpegStructureError as exc:
        raise UnsafePdf(f"a picture in the PDF cannot be cleaned ({exc})") from None


def check_no_metadata_left(data: bytes) -> None:
    """Refuse a cleaned PDF in which an uncompressed metadata packet can still be seen."""
    for signature in _METADATA_SIGNATURES:
        if signature in data:
            raise UnsafePdf(
                "metadata could not be removed from the PDF; print it to a new PDF and retry"
            )


def _clean_image_data(stream: StreamObject) -> None:
    filters = stream.get("/Filter")
    if filters is None:
        names: list[str] = []
    elif isinstance(filters, ArrayObject):
        names = [str(name) for name in filters]
    else:
        names = [str(filters)]
    unknown = [name for name in names if name not in _KNOWN_FILTERS]
    if unknown:
        raise UnsafePdf(f"an image in the PDF uses an unknown filter ({unknown[0][:40]})")
    if not names or names[-1] not in ("/DCTDecode", "/DCT", "/JPXDecode"):
        return  # raw samples (perhaps compressed): pixels only, nothing to strip
    jpx = names[-1] == "/JPXDecode"
    # pypdf decodes the filters before the last and hands the JPEG / JPEG 2000 data through.
    encoded = stream.get_data() if len(names) > 1 else stream._data
    try:
        stripped = strip_jp2_metadata(encoded) if jpx else strip_jpeg_metadata(encoded)
    except JpegStructureError as exc:
        raise UnsafePdf(f"an image in the PDF cannot be cleaned ({exc})") from None
    stream[NameObject("/Filter")] = NameObject("/JPXDecode" if jpx else "/DCTDecode")
    stream.pop("/DecodeParms", None)
    StreamObject.set_data(stream, stripped)


__all__ = ["UnsafePdf", "check_no_metadata_left", "scrub_pdf"]
