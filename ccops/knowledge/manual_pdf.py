"""The service manual as a PDF, with Chinese text: fpdf2 (LGPL-3.0, pure Python) embeds a
subset of a CJK font, so the PDF shows the same on any reader without fonts of its own.

The font is Noto Sans CJK SC (SIL Open Font License 1.1), which Debian's
``fonts-noto-cjk`` package installs (``.ci/run`` installs it; ``apt-get install
fonts-noto-cjk`` on a server); ``CCOPS_CJK_FONT`` may name another TrueType/OpenType font
or collection with Chinese glyphs. Nothing is fetched at run time.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF

from ccops.core import formats

#: Where the font is looked for, in order: (regular, bold, index in the collection).
FONT_CANDIDATES = [
    (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        2,  # Noto Sans CJK SC inside the collection
    ),
    (
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        None,
        0,
    ),
]


class FontMissing(RuntimeError):
    """No CJK font was found (see the module docstring)."""


def find_font() -> tuple[str, str | None, int]:
    configured = os.environ.get("CCOPS_CJK_FONT")
    if configured:
        if not Path(configured).is_file():
            raise FontMissing(
                _("%(setting)s names no file: %(path)s")
                % {"setting": "CCOPS_CJK_FONT", "path": configured}
            )
        return configured, None, int(os.environ.get("CCOPS_CJK_FONT_INDEX", "0"))
    for regular, bold, index in FONT_CANDIDATES:
        if Path(regular).is_file():
            return regular, (bold if bold and Path(bold).is_file() else None), index
    raise FontMissing(
        _(
            "No font with Chinese characters is installed on the server: an administrator "
            "installs the Debian package %(package)s or sets %(setting)s to a font file."
        )
        % {"package": "fonts-noto-cjk", "setting": "CCOPS_CJK_FONT"}
    )


def render_edition(edition, chapters) -> bytes:
    """The PDF of an edition: a title page, the contents, then chapter by chapter."""
    regular, bold, index = find_font()
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 20, 20)
    pdf.add_font("cjk", "", regular, collection_font_number=index)
    pdf.add_font("cjk", "B", bold or regular, collection_font_number=index)
    pdf.set_title(str(edition))
    pdf.set_creator("ccops")
    published = (
        formats.format_date(edition.signed_at, edition.site) if edition.signed_at else _("draft")
    )
    footer_text = f"{edition.title} · {edition.version}"

    def footer():
        pdf.set_y(-12)
        pdf.set_font("cjk", "", 8)
        pdf.set_text_color(110, 120, 130)
        pdf.cell(0, 6, f"{footer_text} · {pdf.page_no()}", align="C")
        pdf.set_text_color(0, 0, 0)

    pdf.footer = footer

    def para(height, text, **kwargs):
        """A paragraph, then back to the left margin on the next line."""
        kwargs.setdefault("new_x", "LMARGIN")
        kwargs.setdefault("new_y", "NEXT")
        pdf.multi_cell(0, height, text, **kwargs)

    # Title page.
    pdf.add_page()
    pdf.set_y(80)
    pdf.set_font("cjk", "B", 24)
    para(12, edition.title, align="C")
    pdf.ln(4)
    pdf.set_font("cjk", "", 13)
    para(
        8,
        _("Version %(version)s · %(date)s") % {"version": edition.version, "date": published},
        align="C",
    )
    para(8, edition.site.name, align="C")
    if edition.foreword:
        pdf.ln(12)
        pdf.set_font("cjk", "", 11)
        para(7, edition.foreword)

    # Contents.
    pdf.add_page()
    pdf.set_font("cjk", "B", 16)
    pdf.cell(0, 10, _("Contents"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for chapter in chapters:
        pdf.set_font("cjk", "B", 11)
        para(7, f"{chapter['number']}  {chapter['title']}")
        pdf.set_font("cjk", "", 10)
        for entry in chapter["entries"]:
            pdf.set_x(28)
            pdf.multi_cell(
                0, 6, f"{entry.chapter}.{entry.order}  {entry.title}", new_x="LMARGIN", new_y="NEXT"
            )

    # Chapters.
    for chapter in chapters:
        pdf.add_page()
        pdf.set_font("cjk", "B", 18)
        heading = _("Chapter %(n)s") % {"n": chapter["number"]}
        para(11, f"{heading}  {chapter['title']}")
        pdf.ln(3)
        for entry in chapter["entries"]:
            pdf.set_font("cjk", "B", 13)
            para(8, f"{entry.chapter}.{entry.order}  {entry.title}")
            pdf.set_font("cjk", "", 10.5)
            for paragraph in entry.body.splitlines():
                if paragraph.strip():
                    para(6, paragraph.strip())
                else:
                    pdf.ln(2)
            pdf.ln(4)
    return bytes(pdf.output())
