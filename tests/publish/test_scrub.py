"""Stripping metadata from published files (refuge.publish.scrub).

Every test file is built here: images with EXIF (GPS, make, model, artist, orientation),
XMP, ICC, comments and text chunks carrying canary strings, and PDFs with an author, an XMP
stream, a commented annotation and an embedded JPEG with its own EXIF. The tests prove the
canaries are gone from the bytes and from what Pillow and pypdf read, and that the pixels
and the text are still there.
"""

from __future__ import annotations

import io
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageCms, ImageOps, ImageStat, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from refuge.errors import PublicationError
from refuge.publish.jpegmarkers import (
    JpegStructureError,
    strip_jp2_metadata,
    strip_jpeg_metadata,
)
from refuge.publish.scrub import ScrubError, scrub_metadata

CANARIES = (
    b"CanaryMake",
    b"CanaryModel",
    b"CanaryArtist",
    b"CanarySerial",
    b"CanaryXmp",
    b"CanaryComment",
    b"CanaryAuthor",
)
LAT_REF = 0x0001  # GPS IFD: GPSLatitudeRef
LAT = 0x0002  # GPSLatitude
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
ORIENTATION = 0x0112
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>CanaryXmp</dc:creator>'
    b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def picture(size: tuple[int, int] = (48, 32), mode: str = "RGB") -> Image.Image:
    """A picture whose every quadrant differs, so a rotation or mirror shows."""
    image = Image.new("RGB", size, (250, 250, 250))
    w, h = size
    image.paste((200, 30, 30), (0, 0, w // 2, h // 2))
    image.paste((30, 160, 40), (w // 2, 0, w, h // 2))
    image.paste((20, 40, 210), (0, h // 2, w // 2, h))
    for x in range(w):  # a gradient, so that pixel equality means something
        image.putpixel((x, h - 1), (x * 5 % 256, 255 - x * 3 % 256, 128))
    return image.convert(mode) if mode != "RGB" else image


def exif(orientation: int = 1) -> Image.Exif:
    data = Image.Exif()
    data[0x010F] = "CanaryMake"
    data[0x0110] = "CanaryModel"
    data[0x013B] = "CanaryArtist"
    data[ORIENTATION] = orientation
    gps = data.get_ifd(GPS_IFD)
    gps[LAT_REF] = "N"
    gps[LAT] = (42.0, 57.0, 30.5)
    gps[0x0003] = "E"
    gps[0x0004] = (129.0, 50.0, 1.0)
    data.get_ifd(EXIF_IFD)[0xA431] = "CanarySerial"  # BodySerialNumber
    return data


def encode(image: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def assert_no_metadata(data: bytes) -> Image.Image:
    for canary in CANARIES:
        assert canary not in data, canary
    image = Image.open(io.BytesIO(data))
    image.load()
    found = image.getexif()
    assert GPS_IFD not in found and EXIF_IFD not in found
    assert not found.get_ifd(GPS_IFD)
    assert not {0x010F, 0x0110, 0x013B, ORIENTATION} & set(found)
    assert not {"exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"} & set(image.info)
    assert not image.text if hasattr(image, "text") else True
    return image


def psnr(a: Image.Image, b: Image.Image) -> float:
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
    mse = sum(v * v for v in ImageStat.Stat(diff).rms) / 3
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


# --- images --------------------------------------------------------------------------------

LOSSLESS = [
    ("image/png", "PNG", {"pnginfo": None}),
    ("image/webp", "WEBP", {"lossless": True, "exact": True}),
    ("image/tiff", "TIFF", {}),
]


def _with_metadata(
    fmt: str, options: dict[str, Any], image: Image.Image, orientation: int = 1
) -> bytes:
    options = dict(options)
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Author", "CanaryAuthor")
        info.add_itxt("Comment", "CanaryComment", zip=True)  # compressed: checked by parsing
        info.add_text("XML:com.adobe.xmp", XMP.decode())
        options["pnginfo"] = info
    options["exif"] = exif(orientation).tobytes()
    if fmt in ("WEBP", "JPEG", "TIFF"):
        options["xmp"] = XMP
    if fmt == "JPEG":
        options["comment"] = b"CanaryComment"
    return encode(image, fmt, **options)


@pytest.mark.parametrize(("media_type", "fmt", "options"), LOSSLESS)
def test_a_lossless_image_loses_its_metadata_and_keeps_every_pixel(
    media_type: str, fmt: str, options: dict[str, Any]
) -> None:
    original = picture()
    data = _with_metadata(fmt, options, original)
    assert b"CanaryMake" in data and b"CanaryArtist" in data  # the test is not vacuous
    clean = assert_no_metadata(scrub_metadata(data, media_type))
    assert clean.format == fmt
    assert clean.size == original.size
    assert clean.convert("RGB").tobytes() == original.tobytes()


def test_a_jpeg_loses_its_metadata_and_keeps_its_picture() -> None:
    original = picture((64, 48))
    data = _with_metadata("JPEG", {"quality": 95}, original)
    for canary in (b"CanaryMake", b"CanarySerial", b"CanaryXmp", b"CanaryComment"):
        assert canary in data
    decoded = Image.open(io.BytesIO(data))
    clean = assert_no_metadata(scrub_metadata(data, "image/jpeg"))
    assert clean.format == "JPEG" and clean.size == decoded.size
    # Re-encoded with standard tables: not bit-exact, visually the same (PSNR well above 35 dB,
    # where differences stop being visible).
    assert psnr(clean, decoded) > 35


def test_a_jpeg_no_longer_carries_the_cameras_quantisation_tables() -> None:
    camera = encode(picture(), "JPEG", qtables=[[7] * 64, [9] * 64], exif=exif().tobytes())
    clean = Image.open(io.BytesIO(scrub_metadata(camera, "image/jpeg")))
    assert isinstance(clean, Image.Image)
    tables = getattr(clean, "quantization", {})
    assert tables and list(tables[0]) != [7] * 64


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_the_orientation_is_applied_before_the_tag_goes(orientation: int) -> None:
    original = picture((40, 20))
    data = _with_metadata("PNG", {}, original, orientation=orientation)
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    clean = assert_no_metadata(scrub_metadata(data, "image/png"))
    assert clean.size == upright.size
    assert clean.size == ((40, 20) if orientation == 3 else (20, 40))
    assert clean.convert("RGB").tobytes() == upright.convert("RGB").tobytes()


def test_an_icc_profile_is_dropped_after_converting_to_srgb() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = picture()
    data = encode(original, "PNG", icc_profile=srgb)
    assert Image.open(io.BytesIO(data)).info.get("icc_profile")
    clean = assert_no_metadata(scrub_metadata(data, "image/png"))
    assert psnr(clean, original) > 40  # sRGB to sRGB: the colours stay


def test_a_palette_image_with_transparency_keeps_its_pixels() -> None:
    original = picture().convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    original.info["transparency"] = 0
    data = encode(original, "PNG", transparency=0, exif=exif().tobytes())
    clean = assert_no_metadata(scrub_metadata(data, "image/png"))
    assert clean.mode == "RGBA"
    assert clean.tobytes() == Image.open(io.BytesIO(data)).convert("RGBA").tobytes()


@pytest.mark.parametrize("mode", ["L", "LA", "RGBA", "I;16"])
def test_other_pixel_modes_survive_a_png_scrub(mode: str) -> None:
    original = picture().convert(mode)
    data = encode(original, "PNG", exif=exif().tobytes())
    clean = assert_no_metadata(scrub_metadata(data, "image/png"))
    assert clean.tobytes() == Image.open(io.BytesIO(data)).tobytes()


def test_only_the_first_frame_of_an_animation_is_kept() -> None:
    frames = [picture(), picture().transpose(Image.Transpose.ROTATE_180)]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    clean = Image.open(io.BytesIO(scrub_metadata(data, "image/webp")))
    assert getattr(clean, "n_frames", 1) == 1
    assert clean.convert("RGB").tobytes() == frames[0].tobytes()


def test_a_jpeg_with_extra_pictures_keeps_only_the_main_one() -> None:
    main, depth_map = picture(), picture().convert("L").convert("RGB")
    data = encode(main, "MPO", save_all=True, append_images=[depth_map], exif=exif().tobytes())
    assert Image.open(io.BytesIO(data)).format == "MPO"
    clean = assert_no_metadata(scrub_metadata(data, "image/jpeg"))
    assert clean.format == "JPEG" and getattr(clean, "n_frames", 1) == 1
    first = Image.open(io.BytesIO(data))  # frame 0, as decoded
    # The main picture, not the depth map (a generation of JPEG loss apart, on a tiny image).
    assert psnr(clean, first) > psnr(clean, depth_map) + 10


def test_a_cmyk_jpeg_stays_cmyk() -> None:
    original = picture().convert("CMYK")
    data = encode(original, "JPEG", quality=95, exif=exif().tobytes())
    clean = assert_no_metadata(scrub_metadata(data, "image/jpeg"))
    assert clean.mode == "CMYK"
    assert psnr(clean, Image.open(io.BytesIO(data))) > 35


def test_the_media_type_is_read_without_case_or_parameters() -> None:
    data = _with_metadata("PNG", {}, picture())
    assert_no_metadata(scrub_metadata(data, "Image/PNG; charset=binary"))


@pytest.mark.parametrize(
    "media_type", ["text/plain", "image/gif", "image/svg+xml", "application/octet-stream", ""]
)
def test_an_unknown_type_is_refused_with_a_code(media_type: str) -> None:
    with pytest.raises(ScrubError, match=r"\[R159\].*cannot strip metadata") as caught:
        scrub_metadata(b"GIF89a...", media_type)
    assert isinstance(caught.value, PublicationError)


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (encode(picture(), "PNG"), "image/jpeg"),
        (encode(picture(), "JPEG"), "image/png"),
        (b"%PDF-1.7 not really", "image/tiff"),
        (b"", "image/webp"),
        (encode(picture(), "PNG")[:60], "image/png"),
        (b"not a pdf at all", "application/pdf"),
    ],
)
def test_content_that_is_not_what_it_claims_is_refused(data: bytes, media_type: str) -> None:
    with pytest.raises(ScrubError, match=r"\[R159\]"):
        scrub_metadata(data, media_type)


def test_an_image_over_the_pixel_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = encode(picture((64, 64)), "PNG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ScrubError, match="too large"):
        scrub_metadata(data, "image/png")


# --- JPEG segments (used inside PDFs) -------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"progressive": True},
        {"restart_marker_blocks": 1},
        {"subsampling": 0, "quality": 100},
    ],
)
def test_stripping_jpeg_segments_keeps_the_pixels_bit_for_bit(options: dict[str, Any]) -> None:
    image = picture((40, 24))
    data = encode(
        image, "JPEG", exif=exif().tobytes(), comment=b"CanaryComment", xmp=XMP, **options
    )
    data += b"CanaryArtist trailing bytes after the end of the image"
    stripped = strip_jpeg_metadata(data)
    for canary in (b"CanaryMake", b"CanaryComment", b"CanaryXmp", b"CanaryArtist"):
        assert canary in data and canary not in stripped
    assert stripped.endswith(b"\xff\xd9")
    before = Image.open(io.BytesIO(data))
    after = Image.open(io.BytesIO(stripped))
    assert after.tobytes() == before.tobytes()
    assert not after.getexif() and "comment" not in after.info


def test_a_truncated_jpeg_is_not_walked() -> None:
    data = encode(picture(), "JPEG")
    for broken in (data[:1], b"\xff\xd8\xff", data[: len(data) // 2], b"\x89PNG"):
        with pytest.raises(JpegStructureError):
            strip_jpeg_metadata(broken)


# --- PDF ---------------------------------------------------------------------------------


def _name(value: str) -> NameObject:
    return NameObject(value)


def build_pdf() -> tuple[bytes, bytes]:
    """A one-page PDF full of metadata, and the JPEG drawn on its page."""
    writer = PdfWriter()
    page = writer.add_blank_page(300, 200)
    font = DictionaryObject(
        {
            _name("/Type"): _name("/Font"),
            _name("/Subtype"): _name("/Type1"),
            _name("/BaseFont"): _name("/Helvetica"),
        }
    )
    jpeg = encode(picture((16, 16)), "JPEG", exif=exif().tobytes(), comment=b"CanaryComment")
    image = StreamObject()
    image.update(
        {
            _name("/Type"): _name("/XObject"),
            _name("/Subtype"): _name("/Image"),
            _name("/Width"): NumberObject(16),
            _name("/Height"): NumberObject(16),
            _name("/ColorSpace"): _name("/DeviceRGB"),
            _name("/BitsPerComponent"): NumberObject(8),
            _name("/Filter"): _name("/DCTDecode"),
        }
    )
    StreamObject.set_data(image, jpeg)
    image_xmp = DecodedStreamObject()
    image_xmp.set_data(XMP)
    image[_name("/Metadata")] = writer._add_object(image_xmp)
    page[_name("/Resources")] = DictionaryObject(
        {
            _name("/Font"): DictionaryObject({_name("/F1"): writer._add_object(font)}),
            _name("/XObject"): DictionaryObject({_name("/Im1"): writer._add_object(image)}),
        }
    )
    content = DecodedStreamObject()
    content.set_data(
        b"BT /F1 12 Tf 20 150 Td (Sixty people returned) Tj ET q 16 0 0 16 20 20 cm /Im1 Do Q"
    )
    page[_name("/Contents")] = writer._add_object(content)
    page[_name("/PieceInfo")] = DictionaryObject(
        {
            _name("/Illustrator"): DictionaryObject(
                {_name("/Private"): TextStringObject("CanaryModel")}
            )
        }
    )
    note = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/Text"),
            _name("/Rect"): ArrayObject([FloatObject(x) for x in (10, 10, 30, 30)]),
            _name("/Contents"): TextStringObject("check the count"),
            _name("/T"): TextStringObject("CanaryArtist"),
            _name("/M"): TextStringObject("D:20240501093000+09'00'"),
        }
    )
    page[_name("/Annots")] = ArrayObject([writer._add_object(note)])
    writer.add_metadata({"/Author": "CanaryAuthor", "/Creator": "CanaryMake Writer"})
    writer.xmp_metadata = XMP
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), jpeg


def test_a_pdf_loses_its_author_xmp_and_comment_authors_and_keeps_its_page() -> None:
    data, jpeg = build_pdf()
    for canary in (*CANARIES[:2], b"CanaryArtist", b"CanaryAuthor", b"CanaryXmp"):
        assert canary in data
    clean = scrub_metadata(data, "application/pdf")
    for canary in CANARIES:
        assert canary not in clean, canary
    reader = PdfReader(io.BytesIO(clean))
    assert reader.metadata is None
    assert reader.xmp_metadata is None
    assert b"pypdf" not in clean  # not even the library's own producer line
    page = reader.pages[0]
    assert "/PieceInfo" not in page
    assert "Sixty people returned" in page.extract_text()
    annotations: Any = page["/Annots"]
    (note,) = [a.get_object() for a in annotations]
    assert note["/Contents"] == "check the count" and "/T" not in note and "/M" not in note
    resources: Any = page["/Resources"]
    embedded = resources["/XObject"]["/Im1"].get_object()
    assert "/Metadata" not in embedded
    picture_data = embedded.get_data()
    assert Image.open(io.BytesIO(picture_data)).tobytes() == Image.open(io.BytesIO(jpeg)).tobytes()
    assert not Image.open(io.BytesIO(picture_data)).getexif()


def test_a_link_keeps_what_makes_it_a_link() -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    link = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/Link"),
            _name("/Rect"): ArrayObject([FloatObject(x) for x in (0, 0, 50, 50)]),
            _name("/A"): DictionaryObject(
                {
                    _name("/S"): _name("/URI"),
                    _name("/URI"): TextStringObject("https://example.org/"),
                }
            ),
        }
    )
    page[_name("/Annots")] = ArrayObject([writer._add_object(link)])
    out = io.BytesIO()
    writer.write(out)
    clean = PdfReader(io.BytesIO(scrub_metadata(out.getvalue(), "application/pdf")))
    annotations: Any = clean.pages[0]["/Annots"]
    (kept,) = [a.get_object() for a in annotations]
    assert kept["/A"]["/URI"] == "https://example.org/"


def test_an_encrypted_pdf_is_refused() -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt(user_password="secret-user", owner_password="secret-owner")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ScrubError, match=r"\[R159\].*encrypted"):
        scrub_metadata(out.getvalue(), "application/pdf")


def _one_page_with(writer: PdfWriter, **entries: Any) -> bytes:
    page = writer.add_blank_page(100, 100)
    for key, value in entries.items():
        page[_name(f"/{key}")] = value
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _image_xobject(writer: PdfWriter, data: bytes, filter_name: str) -> Any:
    image = StreamObject()
    image.update(
        {
            _name("/Type"): _name("/XObject"),
            _name("/Subtype"): _name("/Image"),
            _name("/Width"): NumberObject(16),
            _name("/Height"): NumberObject(16),
            _name("/ColorSpace"): _name("/DeviceRGB"),
            _name("/BitsPerComponent"): NumberObject(8),
            _name("/Filter"): _name(filter_name),
        }
    )
    StreamObject.set_data(image, data)
    return writer._add_object(image)


def _jp2_with_xml_box() -> tuple[bytes, bytes]:
    jp2 = encode(picture((16, 16)), "JPEG2000", no_jp2=False, irreversible=False)
    xml = XMP
    return jp2, jp2 + (8 + len(xml)).to_bytes(4, "big") + b"xml " + xml


def test_a_jpeg_2000_image_in_a_pdf_loses_its_xml_box_and_keeps_its_pixels() -> None:
    jp2, with_xmp = _jp2_with_xml_box()
    writer = PdfWriter()
    reference = _image_xobject(writer, with_xmp, "/JPXDecode")
    data = _one_page_with(
        writer,
        Resources=DictionaryObject(
            {_name("/XObject"): DictionaryObject({_name("/Im1"): reference})}
        ),
    )
    assert b"CanaryXmp" in data
    clean = scrub_metadata(data, "application/pdf")
    assert b"CanaryXmp" not in clean
    resources: Any = PdfReader(io.BytesIO(clean)).pages[0]["/Resources"]
    kept = resources["/XObject"]["/Im1"].get_object().get_data()
    assert Image.open(io.BytesIO(kept)).tobytes() == Image.open(io.BytesIO(jp2)).tobytes()


def test_stripping_a_jp2_keeps_the_boxes_a_decoder_needs_only() -> None:
    jp2, with_xmp = _jp2_with_xml_box()
    assert strip_jp2_metadata(with_xmp) == jp2
    codestream = encode(picture((16, 16)), "JPEG2000", no_jp2=True)
    assert strip_jp2_metadata(codestream) == codestream
    with pytest.raises(JpegStructureError):
        strip_jp2_metadata(with_xmp[:-5])


def test_an_image_with_a_filter_pdf_does_not_define_is_refused() -> None:
    writer = PdfWriter()
    reference = _image_xobject(writer, b"opaque", "/MadeUpDecode")
    data = _one_page_with(
        writer,
        Resources=DictionaryObject(
            {_name("/XObject"): DictionaryObject({_name("/Im1"): reference})}
        ),
    )
    with pytest.raises(ScrubError, match=r"\[R159\].*unknown filter"):
        scrub_metadata(data, "application/pdf")


def test_page_keys_outside_the_whitelist_and_attached_files_are_dropped() -> None:
    writer = PdfWriter()
    attachment = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/FileAttachment"),
            _name("/Rect"): ArrayObject([FloatObject(x) for x in (0, 0, 10, 10)]),
            _name("/FS"): DictionaryObject(
                {
                    _name("/Type"): _name("/Filespec"),
                    _name("/F"): TextStringObject("CanarySerial.txt"),
                }
            ),
            _name("/NM"): TextStringObject("CanaryMake-annotation-id"),
        }
    )
    data = _one_page_with(
        writer,
        AF=ArrayObject([TextStringObject("CanaryComment")]),
        CanaryPrivate=TextStringObject("CanaryModel"),
        Annots=ArrayObject([writer._add_object(attachment)]),
    )
    for canary in (b"CanaryComment", b"CanaryModel", b"CanarySerial", b"CanaryMake"):
        assert canary in data
    clean = scrub_metadata(data, "application/pdf")
    for canary in CANARIES:
        assert canary not in clean, canary
    page = PdfReader(io.BytesIO(clean)).pages[0]
    assert set(page) <= {"/Type", "/Parent", "/Resources", "/MediaBox", "/Annots"}


# --- damaged input ------------------------------------------------------------------------


def _samples() -> dict[str, bytes]:
    return {
        "image/png": _with_metadata("PNG", {}, picture()),
        "image/jpeg": _with_metadata("JPEG", {}, picture()),
        "image/webp": _with_metadata("WEBP", {"lossless": True}, picture()),
        "image/tiff": _with_metadata("TIFF", {}, picture()),
        "application/pdf": build_pdf()[0],
    }


SAMPLES = _samples()


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow's notes on the damage it meets
@settings(max_examples=150, deadline=None)
@given(
    media_type=st.sampled_from(sorted(SAMPLES)),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
    cut=st.none() | st.floats(0, 1),
)
def test_a_damaged_file_is_cleaned_or_refused_never_anything_else(
    media_type: str, flips: list[tuple[float, int]], cut: float | None
) -> None:
    data = bytearray(SAMPLES[media_type])
    for where, value in flips:
        data[int(where * len(data))] = value
    if cut is not None:
        del data[int(cut * len(data)) :]
    try:
        clean = scrub_metadata(bytes(data), media_type)
    except ScrubError:
        return
    for canary in CANARIES:
        assert canary not in clean, canary
