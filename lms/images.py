"""The Wagtail image form (WAGTAILIMAGES_IMAGE_FORM_BASE): Wagtail's own, guarded
against two holes in its checks, with clear messages where Wagtail's Indonesian
catalogue has none.

Wagtail's image field does most of the checking, driven by settings in
lms/settings/base.py: the extension must be a raster format
(WAGTAILIMAGES_EXTENSIONS: no SVG, which can carry script), the bytes must be
the format the extension claims (a web page renamed .png is refused), and the
file must fit WAGTAILIMAGES_MAX_UPLOAD_SIZE. But it counts pixels only after
decoding the whole image, so a small PNG of a huge canvas would be decoded (up
to Pillow's own limit of about 179 million pixels, several hundred MB of
memory) before WAGTAILIMAGES_MAX_IMAGE_PIXELS refused it; and a truncated image
makes the decoder raise an error the field does not catch (a server error).
This form reads the canvas size from the header first and turns decoder errors
into a message. Every image upload in the admin — the image library, multiple
upload and the chooser in page and snippet editors — builds its form on this.
"""

import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.images.forms import BaseImageForm

ERROR_MESSAGES = {
    "file_too_many_pixels": _(
        "This image is too large in pixels (%(num_pixels)s); at most "
        "%(max_pixels_count)s pixels are accepted. Make it smaller and upload it "
        "again."
    ),
    "invalid_image_known_format": _(
        "This is not a real .%(extension)s image: its content is %(image_format)s. "
        "Save it in the format its name claims and upload it again."
    ),
    "damaged": _("The image file is damaged or incomplete."),
}


def header_pixels(upload) -> int | None:
    """Width × height from the image header, without decoding; None when Pillow
    does not recognise the file (the field then says so). Raises Pillow's
    DecompressionBombError for a canvas beyond Pillow's own limit."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(upload) as image:
                width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(0)
    return width * height


def _refuse_large_canvas(upload, field) -> None:
    limit = field.max_image_pixels
    try:
        pixels = header_pixels(upload)
    except PILImage.DecompressionBombError:
        shown = _("more than %(count)s") % {"count": PILImage.MAX_IMAGE_PIXELS * 2}
    else:
        if pixels is None or pixels <= limit:
            return
        shown = pixels
    raise ValidationError(
        field.error_messages["file_too_many_pixels"]
        % {"num_pixels": shown, "max_pixels_count": limit},
        code="file_too_many_pixels",
    )


def _guarded(field):
    """`field.to_python` with the header checked first and decoder errors caught."""
    to_python = field.to_python

    def checked(data):
        if data is not None and hasattr(data, "read") and field.max_image_pixels:
            _refuse_large_canvas(data, field)
        try:
            return to_python(data)
        except (OSError, SyntaxError) as exc:  # e.g. "image file is truncated"
            raise ValidationError(
                field.error_messages["damaged"], code="damaged"
            ) from exc

    return checked


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None:
            field.error_messages.update(ERROR_MESSAGES)
            field.to_python = _guarded(field)
