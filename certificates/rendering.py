"""The certificate PDF: A4 landscape, embedded DejaVu fonts, a vector QR code.

No Django: a frozen `CertificateDocument` of plain values in, PDF bytes out. The
output depends on nothing but that value: ReportLab's invariant mode removes the
random document id and the clock, the metadata dates come from the document, and
the QR code is drawn as vector rectangles. Rendering the same record twice (or on
another machine with the same fonts, which the repository carries) gives the
same bytes.
"""

from __future__ import annotations

import datetime
import io
import re
import threading
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import segno
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

FONTS_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts" / "dejavu"
FONTS = {
    "CertSerif": "DejaVuSerif.ttf",
    "CertSerif-Bold": "DejaVuSerif-Bold.ttf",
    "CertSerif-Italic": "DejaVuSerif-Italic.ttf",
    "CertSerif-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
    "CertSans": "DejaVuSans.ttf",
    "CertSans-Bold": "DejaVuSans-Bold.ttf",
}
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MAROON = HexColor("#7a1a1a")
GOLD = HexColor("#b08d3c")
INK = HexColor("#1d1d1f")
GREY = HexColor("#55565a")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_fonts_lock = threading.Lock()
_fonts_ready = False


def register_fonts(directory: Path = FONTS_DIR) -> None:
    """Register the TTFs once per process (ReportLab keeps a global registry)."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _fonts_lock:
        if _fonts_ready:
            return
        for name, filename in FONTS.items():
            pdfmetrics.registerFont(TTFont(name, str(directory / filename)))
        pdfmetrics.registerFontFamily(
            "CertSerif",
            normal="CertSerif",
            bold="CertSerif-Bold",
            italic="CertSerif-Italic",
            boldItalic="CertSerif-BoldItalic",
        )
        _fonts_ready = True


@dataclass(frozen=True)
class CertificateDocument:
    office_name: str
    title: str
    number: str
    intro: str
    holder_name: str
    nip: str
    body: str  # wording with {placeholders}; see `values`
    values: dict[str, str] = field(hash=False)
    place_and_date: str
    signatory_title: str
    signatory_name: str
    verify_url: str
    code: str  # for people: with dashes
    valid_until: str  # "" when the certificate does not expire
    created: datetime.datetime  # timezone-aware; the PDF's creation date
    logo: bytes | None = None
    signature: bytes | None = None
    background: bytes | None = None
    bold_placeholders: tuple[str, ...] = ("course",)


def fill_markup(template: str, values: dict[str, str], bold: tuple[str, ...]) -> str:
    """Replace {placeholders} with escaped values; the template is escaped too."""
    out, last = [], 0
    for match in _PLACEHOLDER.finditer(template):
        out.append(escape(template[last : match.start()], quote=False))
        name = match.group(1)
        if name in values:
            value = escape(values[name], quote=False)
            out.append(f"<b>{value}</b>" if name in bold else value)
        else:
            out.append(escape(match.group(0), quote=False))
        last = match.end()
    out.append(escape(template[last:], quote=False))
    return "".join(out)


def fill_text(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _pdf_date(moment: datetime.datetime) -> str:
    offset = moment.utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hh:02d}'{mm:02d}'"


def _fit_font_size(text: str, font: str, size: float, width: float, floor: float):
    while size > floor and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _draw_qr(c: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    """The QR code as filled rectangles, one per horizontal run of dark modules.

    Drawn in module units under a scaling matrix, so the operators carry small
    integers (fast to write, exact, and identical on every machine).
    """
    qr = segno.make(data, error="m", micro=False)
    rows = qr.matrix
    border = 2
    count = len(rows) + 2 * border
    c.setFillColor(white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(INK)
    ops = []
    for r, row in enumerate(rows):
        col, width = 0, len(row)
        while col < width:
            if row[col]:
                start = col
                while col < width and row[col]:
                    col += 1
                ops.append(
                    f"{start + border} {count - r - border - 1} {col - start} 1 re"
                )
            else:
                col += 1
    c.saveState()
    c.translate(x, y)
    c.scale(size / count, size / count)
    c.addLiteral("\n".join(ops) + "\nf")
    c.restoreState()


def _draw_image(c, data: bytes, x, y, max_w, max_h, *, anchor="center") -> None:
    image = ImageReader(io.BytesIO(data))
    iw, ih = image.getSize()
    scale = min(max_w / iw, max_h / ih)
    w, h = iw * scale, ih * scale
    left = x - w / 2 if anchor == "center" else x
    c.drawImage(image, left, y, w, h, mask="auto")


def _centred(c, text: str, y: float, font: str, size: float, color=INK, space=0.0):
    c.setFillColor(color)
    if space:
        width = pdfmetrics.stringWidth(text, font, size) + space * (len(text) - 1)
        t = c.beginText((PAGE_WIDTH - width) / 2, y)
        t.setFont(font, size)
        t.setCharSpace(space)
        t.textOut(text)
        t.setCharSpace(0)  # Tc outlives the text object: reset it
        c.drawText(t)
    else:
        c.setFont(font, size)
        c.drawCentredString(PAGE_WIDTH / 2, y, text)


def render_pdf(doc: CertificateDocument) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    c = canvas.Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        invariant=1,
        pageCompression=1,
        # Otherwise ReportLab references (unembedded) Helvetica as the start font.
        initialFontName="CertSerif",
        initialFontSize=12,
    )
    stamp = _pdf_date(doc.created)
    c.setDateFormatter(lambda *_: stamp)
    c.setTitle(f"{doc.title} {doc.number}".strip())
    c.setAuthor(doc.office_name)
    c.setSubject(doc.values.get("course", ""))
    c.setCreator("Akademi PPID")
    c.setKeywords(["sertifikat", doc.number, doc.code])

    w, h = PAGE_WIDTH, PAGE_HEIGHT
    if doc.background:
        c.drawImage(ImageReader(io.BytesIO(doc.background)), 0, 0, w, h)
    else:
        c.setFillColor(HexColor("#fdfbf6"))
        c.rect(0, 0, w, h, stroke=0, fill=1)
    # Frame: a maroon rule and a thin gold one inside it.
    c.setStrokeColor(MAROON)
    c.setLineWidth(3)
    c.rect(18, 18, w - 36, h - 36)
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.8)
    c.rect(26, 26, w - 52, h - 52)
    c.setFillColor(MAROON)
    c.rect(26, h - 34, w - 52, 8, stroke=0, fill=1)

    top = h - 48
    if doc.logo:
        _draw_image(c, doc.logo, w / 2, top - 50, 110, 50)
        top -= 54
    _centred(c, doc.office_name.upper(), top - 16, "CertSans-Bold", 13, MAROON, 1.2)
    _centred(c, doc.title, top - 62, "CertSerif-Bold", 38, INK, 6)
    if doc.number:
        _centred(c, f"Nomor: {doc.number}", top - 84, "CertSerif", 11, GREY)

    # With a logo the page is fuller: tighten the gap under the number.
    if doc.logo:
        top += 18
    _centred(c, doc.intro, top - 130, "CertSerif-Italic", 14, GREY)
    size = _fit_font_size(doc.holder_name, "CertSerif-Bold", 30, w - 160, 16)
    _centred(c, doc.holder_name, top - 170, "CertSerif-Bold", size, MAROON)
    name_width = min(
        pdfmetrics.stringWidth(doc.holder_name, "CertSerif-Bold", size), w - 160
    )
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.8)
    c.line((w - name_width) / 2 - 20, top - 181, (w + name_width) / 2 + 20, top - 181)
    body_top = top - 190
    if doc.nip:
        _centred(c, f"NIP. {doc.nip}", top - 197, "CertSerif", 11, GREY)
        body_top = top - 208

    style = ParagraphStyle(
        "body",
        fontName="CertSerif",
        fontSize=13.5,
        leading=20,
        alignment=TA_CENTER,
        textColor=INK,
    )
    body = Paragraph(fill_markup(doc.body, doc.values, doc.bold_placeholders), style)
    bw, bh = body.wrapOn(c, 640, 200)
    body.drawOn(c, (w - 640) / 2, body_top - bh)
    if doc.valid_until:
        _centred(
            c,
            f"Berlaku sampai dengan {doc.valid_until}",
            body_top - bh - 20,
            "CertSerif-Italic",
            10.5,
            GREY,
        )

    # Signature block, right.
    sx = w - 205
    small = ParagraphStyle(
        "sig", fontName="CertSerif", fontSize=12, leading=15, alignment=TA_CENTER
    )
    c.setFillColor(INK)
    c.setFont("CertSerif", 12)
    c.drawCentredString(sx, 178, doc.place_and_date)
    title = Paragraph(escape(doc.signatory_title, quote=False), small)
    tw, th = title.wrapOn(c, 280, 60)
    title.drawOn(c, sx - 140, 172 - th)
    if doc.signature:
        _draw_image(c, doc.signature, sx, 84, 170, 58)
    name = doc.signatory_name or "...................................."
    nsize = _fit_font_size(name, "CertSerif-Bold", 12, 270, 8)
    c.setFont("CertSerif-Bold", nsize)
    c.drawCentredString(sx, 66, name)
    nw = pdfmetrics.stringWidth(name, "CertSerif-Bold", nsize)
    c.setLineWidth(0.6)
    c.setStrokeColor(INK)
    c.line(sx - nw / 2, 63, sx + nw / 2, 63)

    # Verification block, left: the QR code and where it leads.
    _draw_qr(c, doc.verify_url, 48, 48, 82)
    c.setFillColor(GREY)
    c.setFont("CertSans-Bold", 8)
    c.drawString(138, 116, "Pindai kode QR untuk memeriksa keaslian sertifikat ini.")
    label = "Verifikasi: "
    c.setFont("CertSans", 7)
    c.drawString(138, 102, label)
    label_width = pdfmetrics.stringWidth(label, "CertSans", 7)
    url_size = _fit_font_size(doc.verify_url, "CertSans", 7, 360 - label_width, 4.5)
    c.setFillColor(INK)
    c.setFont("CertSans", url_size)
    c.drawString(138 + label_width, 102, doc.verify_url)
    c.setFillColor(GREY)
    c.setFont("CertSans", 7)
    c.drawString(138, 86, "Kode verifikasi:")
    c.setFillColor(INK)
    c.setFont("CertSans-Bold", 9)
    c.drawString(138, 74, doc.code)
    c.setFillColor(Color(0.45, 0.45, 0.45))
    c.setFont("CertSans", 6.5)
    c.drawString(
        138, 56, "Dokumen ini diterbitkan secara elektronik melalui Akademi PPID."
    )

    c.showPage()
    c.save()
    return buffer.getvalue()
