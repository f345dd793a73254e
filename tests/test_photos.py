"""Photo uploads: only real, complete, reasonably sized images; captions and credits from the file."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw

from articles import images
from articles.forms import PhotoForm
from articles.models import Photo
from tests.factories import make_photo

pytestmark = pytest.mark.django_db


def photo_bytes(size=(640, 480), fmt="JPEG", exif=None, xmp=None, mode="RGB"):
    image = Image.new(mode, size, (200, 120, 40) if mode == "RGB" else None)
    # Some detail, so a JPEG has real entropy-coded data to cut short.
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 16):
        draw.line([(x, 0), (size[0] - x, size[1])], fill=(x % 256, 60, 200), width=3)
    buffer = io.BytesIO()
    options = {}
    if exif is not None:
        options["exif"] = exif
    if xmp is not None:
        options["xmp"] = xmp
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def form_for(data, name="photo.jpg", **fields):
    values = {"alt_text": "A woman speaking at a lectern", "focal_x": "0.5", "focal_y": "0.5", **fields}
    return PhotoForm(data=values, files={"image": upload(data, name)})


def exif_with(**tags):
    exif = Image.Exif()
    codes = {"description": 0x010E, "artist": 0x013B, "copyright": 0x8298}
    for name, value in tags.items():
        # As most software does: UTF-8 bytes in the ASCII fields.
        exif[codes[name]] = value.encode()
    return exif


def xmp_packet(description="", credit="", creators=(), rights=""):
    creators_xml = "".join(f"<rdf:li>{name}</rdf:li>" for name in creators)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    photoshop:Credit="{credit}">
   <dc:description><rdf:Alt>
     <rdf:li xml:lang="fr">Légende en français</rdf:li>
     <rdf:li xml:lang="x-default">{description}</rdf:li>
   </rdf:Alt></dc:description>
   <dc:creator><rdf:Seq>{creators_xml}</rdf:Seq></dc:creator>
   <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{rights}</rdf:li></rdf:Alt></dc:rights>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def with_iptc(jpeg, **datasets):
    """Insert an APP13 "Photoshop 3.0" segment with IPTC records right after the JPEG's SOI marker."""
    records = b""
    for number, text in datasets.items():
        value = text.encode("utf-8")
        records += b"\x1c\x02" + bytes([int(number.lstrip("d"))]) + struct.pack(">H", len(value)) + value
    # 1:90 says the text is UTF-8.
    records = b"\x1c\x01\x5a\x00\x03\x1b%G" + records
    if len(records) % 2:
        records += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(records)) + records
    payload = b"Photoshop 3.0\x00" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + segment + jpeg[2:]


def png_claiming_size(width, height):
    """A tiny PNG whose header claims a huge size: the shape of a decompression bomb."""
    data = photo_bytes((8, 8), "PNG")
    ihdr_start = 8 + 8  # signature, then length and type of the IHDR chunk
    ihdr = struct.pack(">II", width, height) + data[ihdr_start + 8 : ihdr_start + 13]
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return data[:ihdr_start] + ihdr + crc + data[ihdr_start + 17 :]


# Verification -------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name"), [("JPEG", "photo.jpg"), ("PNG", "photo.png"), ("WEBP", "photo.webp")]
)
def test_real_images_are_accepted(fmt, name, django_capture_on_commit_callbacks):
    form = form_for(photo_bytes((640, 480), fmt), name)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        photo = form.save()
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (640, 480)
    assert photo.renditions["jpeg"], "renditions are made on upload"


def test_a_text_file_renamed_jpg_is_refused_with_a_clear_message():
    form = form_for(b"Interview notes, not a photo.\n" * 20, "notes.jpg")
    assert not form.is_valid()
    assert form.errors["image"] == [images.NOT_AN_IMAGE]
    assert Photo.objects.count() == 0


def test_a_truncated_jpeg_is_refused_with_a_clear_message():
    data = photo_bytes((800, 600))
    form = form_for(data[: len(data) * 2 // 3], "cut-short.jpg")
    assert not form.is_valid()
    assert form.errors["image"] == [images.BROKEN_IMAGE]


@pytest.mark.parametrize("where", ["header", "pixels"])
def test_a_damaged_png_is_refused_as_damaged(where):
    data = bytearray(photo_bytes((200, 100), "PNG"))
    # Flip a byte in the header chunk, or in the pixel data: either checksum then fails.
    position = 20 if where == "header" else data.index(b"IDAT") + 10
    data[position] ^= 0xFF
    form = form_for(bytes(data), "damaged.png")
    assert not form.is_valid()
    assert form.errors["image"] == [images.BROKEN_IMAGE]


def test_an_image_over_the_pixel_limit_is_refused_with_its_size(settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000
    form = form_for(photo_bytes((1250, 1000), "PNG"), "huge.png")
    assert not form.is_valid()
    [message] = form.errors["image"]
    assert "1,250 × 1,000 pixels" in message
    assert "at most 1.0 megapixels" in message
    assert "Resize it" in message


def test_a_decompression_bomb_is_refused_without_being_decoded():
    form = form_for(png_claiming_size(100_000, 100_000), "bomb.png")
    assert not form.is_valid()
    [message] = form.errors["image"]
    assert "too large" in message
    assert "Resize it" in message


def test_other_image_formats_are_refused_with_advice():
    form = form_for(photo_bytes((100, 100), "TIFF"), "scan.tif")
    assert not form.is_valid()
    assert "export" in form.errors["image"][0]


def test_editing_a_photo_without_a_new_file_keeps_the_stored_one():
    photo = make_photo(caption="Old caption")
    form = PhotoForm(
        data={"alt_text": photo.alt_text, "caption": "New caption", "focal_x": "0.5", "focal_y": "0.5"},
        instance=photo,
    )
    assert form.is_valid(), form.errors
    form.save()
    photo.refresh_from_db()
    assert photo.caption == "New caption"
    assert photo.image.name.startswith("photos/")


def test_the_file_input_only_offers_accepted_types():
    assert 'accept="image/jpeg,image/png,image/webp"' in str(PhotoForm()["image"])


# Metadata prefill --------------------------------------------------------------


def test_caption_credit_and_licence_are_prefilled_from_exif():
    exif = exif_with(
        description="Delegates arrive in Geneva", artist="Ana Lumen", copyright="© Ana Lumen 2024"
    )
    form = form_for(photo_bytes(exif=exif))
    assert form.is_valid(), form.errors
    photo = form.save()
    assert photo.caption == "Delegates arrive in Geneva"
    assert photo.credit == "Ana Lumen"
    assert photo.licence == "© Ana Lumen 2024"
    assert set(form.prefilled) == {"caption", "credit", "licence"}


def test_xmp_is_preferred_to_exif_and_credit_names_agency_and_photographer():
    exif = exif_with(description="Camera-written caption", artist="Someone Else")
    xmp = xmp_packet(
        description="Farmers at the market in Kisumu",
        credit="Fictive Photo Agency",
        creators=["Jo Marlowe"],
        rights="All rights reserved",
    )
    form = form_for(photo_bytes(exif=exif, xmp=xmp))
    assert form.is_valid(), form.errors
    photo = form.save()
    assert photo.caption == "Farmers at the market in Kisumu"
    assert photo.credit == "Fictive Photo Agency/Jo Marlowe"
    assert photo.licence == "All rights reserved"


def test_xmp_in_a_png_is_read():
    image = Image.new("RGB", (120, 80), "teal")
    buffer = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp_packet(description="Harbour at dusk").decode())
    image.save(buffer, "PNG", pnginfo=info)
    form = form_for(buffer.getvalue(), "harbour.png")
    assert form.is_valid(), form.errors
    assert form.save().caption == "Harbour at dusk"


def test_iptc_fields_are_read():
    jpeg = with_iptc(
        photo_bytes(),
        d120="Voters queue outside a school in Ruvela",
        d110="Northwind Pictures",
        d80="Sam Okafor-Lind",
        d116="© Northwind Pictures",
    )
    form = form_for(jpeg)
    assert form.is_valid(), form.errors
    photo = form.save()
    assert photo.caption == "Voters queue outside a school in Ruvela"
    assert photo.credit == "Northwind Pictures/Sam Okafor-Lind"
    assert photo.licence == "© Northwind Pictures"


def test_what_the_editor_typed_wins_over_the_file():
    exif = exif_with(description="From the file", artist="File Artist", copyright="File copyright")
    form = form_for(photo_bytes(exif=exif), caption="Typed by the editor", credit="Desk/Editor")
    assert form.is_valid(), form.errors
    photo = form.save()
    assert photo.caption == "Typed by the editor"
    assert photo.credit == "Desk/Editor"
    assert photo.licence == "File copyright"
    assert form.prefilled == ("licence",)


def test_camera_boilerplate_is_not_a_caption():
    form = form_for(photo_bytes(exif=exif_with(description="OLYMPUS DIGITAL CAMERA         ")))
    assert form.is_valid(), form.errors
    assert form.save().caption == ""


def test_xmp_with_entity_declarations_is_ignored():
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>&b;</dc:description>'
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    form = form_for(photo_bytes(xmp=hostile))
    assert form.is_valid(), form.errors
    assert form.save().caption == ""


def test_a_long_credit_is_cut_to_fit():
    form = form_for(photo_bytes(exif=exif_with(artist="Á" * 500)))
    assert form.is_valid(), form.errors
    assert len(form.save().credit) == 200


# Through the admin, as an editor uploads ------------------------------------------


_full_jpeg = photo_bytes((800, 600))
TRUNCATED_JPEG = _full_jpeg[: len(_full_jpeg) * 2 // 3]


def post_to_admin(client, data, name, **fields):
    values = {"alt_text": "A man reading a newspaper", "focal_x": "0.5", "focal_y": "0.5", **fields}
    return client.post(reverse("admin:articles_photo_add"), {**values, "image": upload(data, name)})


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "photo.jpg"), ("PNG", "photo.png")])
def test_the_admin_accepts_a_jpeg_and_a_png(admin_client, fmt, name, django_capture_on_commit_callbacks):
    exif = exif_with(description="A caption from the agency") if fmt == "JPEG" else None
    with django_capture_on_commit_callbacks(execute=True):
        response = post_to_admin(admin_client, photo_bytes((800, 600), fmt, exif=exif), name)
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (800, 600)
    assert photo.renditions["jpeg"][-1]["width"] == 800
    if exif is not None:
        assert photo.caption == "A caption from the agency"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Interview notes, not a photo.\n" * 20, "notes.jpg", images.NOT_AN_IMAGE),
        (TRUNCATED_JPEG, "cut-short.jpg", images.BROKEN_IMAGE),
        (png_claiming_size(100_000, 100_000), "bomb.png", "far too large"),
    ],
    ids=["text-renamed-jpg", "truncated-jpeg", "decompression-bomb"],
)
def test_the_admin_refuses_bad_files_with_a_clear_message(admin_client, data, name, message):
    response = post_to_admin(admin_client, data, name, caption="Typed caption is kept")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Typed caption is kept" in response.content.decode()
    assert Photo.objects.count() == 0


def test_the_admin_refuses_an_image_over_the_pixel_limit(admin_client, settings):
    settings.PHOTO_MAX_PIXELS = 400_000
    response = post_to_admin(admin_client, photo_bytes((800, 600), "PNG"), "big.png")
    assert response.status_code == 200
    assert "800 × 600 pixels" in response.content.decode()
    assert Photo.objects.count() == 0


def test_the_admin_refuses_a_file_over_the_byte_limit_and_keeps_what_was_typed(admin_client, settings):
    data = photo_bytes((800, 600), "PNG")
    settings.PHOTO_MAX_BYTES = len(data) - 1
    response = post_to_admin(admin_client, data, "heavy.png", caption="Typed caption is kept")
    assert response.status_code == 200
    page = response.content.decode()
    size = f"{len(data) / 1_000_000:.1f}".removesuffix(".0")
    assert f"This file is {size} MB; photos can be at most" in page
    assert "Typed caption is kept" in page
    assert Photo.objects.count() == 0


def test_a_file_at_the_byte_limit_is_accepted(settings):
    data = photo_bytes((320, 240))
    settings.PHOTO_MAX_BYTES = len(data)
    assert form_for(data).is_valid()


# Originals stored without their metadata (issue 8, finding 18) -------------------------


def stored_original(photo):
    with photo.image.open("rb") as file:
        data = file.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return data, image


def test_the_stored_original_keeps_pixels_and_colour_profile_but_no_location_or_camera_data(
    django_capture_on_commit_callbacks,
):
    from PIL import ExifTags, ImageCms

    exif = exif_with(description="Delegates arrive in Geneva", artist="Ana Lumen")
    exif[ExifTags.Base.Make] = "Fictive Camera Co"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (46.0, 12.0, 30.0), 3: "E", 4: (6.0, 8.0, 15.0)}
    exif[ExifTags.Base.UserComment] = b"ASCII\x00\x00\x00" + b"x" * 60_000
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = Image.open(io.BytesIO(photo_bytes((640, 480))))
    buffer = io.BytesIO()
    original.save(buffer, "JPEG", quality=90, exif=exif, icc_profile=profile, xmp=xmp_packet(credit="Agency"))
    # An HTML comment segment, as in a JPEG/HTML polyglot.
    data = buffer.getvalue()
    data = data[:2] + b"\xff\xfe\x00\x24<script>alert(document.domain)</script>" + data[2:]
    data = with_iptc(data, d120="An IPTC caption")

    form = form_for(data, "IMG_0001.JPG")
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        photo = form.save()
    assert photo.caption == "An IPTC caption", "metadata is read before it is dropped"
    assert photo.credit == "Agency"

    stored, image = stored_original(photo)
    assert b"<script>" not in stored
    assert b"Fictive Camera Co" not in stored and b"Ana Lumen" not in stored and b"xmpmeta" not in stored
    assert b"Photoshop 3.0" not in stored and b"IPTC caption" not in stored
    assert not image.getexif()
    assert "comment" not in image.info and "xmp" not in image.info
    assert len(stored) < 100_000, "the 60 KB comment is gone"
    assert image.info["icc_profile"] == profile
    assert image.size == (640, 480) == (photo.width, photo.height)
    # The same pixels, within what one more JPEG pass with the photo's own tables changes.
    uploaded = Image.open(io.BytesIO(data)).convert("RGB").tobytes()
    differences = [abs(a - b) for a, b in zip(image.tobytes(), uploaded, strict=True)]
    assert sum(differences) / len(differences) < 4, "invisible: about 1% of the range on average"
    assert photo.image.name.startswith("photos/") and photo.image.name.endswith(".jpg")


def test_the_stored_original_is_turned_upright_instead_of_keeping_its_exif():
    from PIL import ExifTags

    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    form = form_for(photo_bytes((600, 400), exif=exif))
    assert form.is_valid(), form.errors
    photo = form.save()
    _, image = stored_original(photo)
    assert image.size == (400, 600) == (photo.width, photo.height)
    assert not image.getexif()


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "scan.png"), ("WEBP", "photo.webp")])
def test_png_and_webp_originals_lose_their_text_and_exif(fmt, name):
    from PIL import PngImagePlugin

    options = {"exif": exif_with(artist="Ana Lumen")}
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "<script>alert(1)</script>")
        options["pnginfo"] = info
    image = Image.new("RGB", (300, 200), (10, 120, 200))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    form = form_for(buffer.getvalue(), name)
    assert form.is_valid(), form.errors
    stored, reopened = stored_original(form.save())
    assert b"Ana Lumen" not in stored and b"<script>" not in stored
    assert reopened.format == fmt and reopened.size == (300, 200)
    if fmt == "PNG":
        assert reopened.convert("RGB").tobytes() == image.tobytes(), "PNG stays lossless"


def test_two_uploads_with_one_name_get_two_files():
    first = form_for(photo_bytes((320, 240)), "IMG_0001.jpg")
    second = form_for(photo_bytes((320, 240)), "IMG_0001.jpg")
    assert first.is_valid() and second.is_valid()
    names = {first.save().image.name, second.save().image.name}
    assert len(names) == 2
    assert all("/img_0001_" in name for name in names)
