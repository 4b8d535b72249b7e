"""The prepared (parsed-once) Word template writes exactly the bytes plain docxtpl writes, document after document."""

import io
import time
from datetime import date

import pytest
from docx import Document
from docxtpl import DocxTemplate

from models.rules.returns import Person, ReturnContent, Row
from models.rules.vocabulary import ReturnKind, Status
from notifications.documents import render
from notifications.render import document_environment

AWKWARD = "A & B <c> \"q\" 'a' {{ x }} {% if %}\ttab\nsecond line\r\n\x0cform feed ’ “ ” é"


def contents() -> list[ReturnContent]:
    rows = tuple(
        Row(
            number=str(n), addressee="To chief constables", text=f"{AWKWARD} {n}", response=r, status=Status.IN_PROGRESS
        )
        for n, r in ((1, AWKWARD), (2, None), (3, "Done.\n\nAnd more."))
    )
    base = ReturnContent(
        kind=ReturnKind.PROGRESS,
        dated=date(2021, 2, 24),
        report_title="Safe to share? <2021>",
        agency_name="Wiltshire Police & Crime",
        rows=rows,
        chief_officer=AWKWARD,
        pcc="PCC line",
        liaison=Person(name="Jo O'Neil", role="Liaison"),
    )
    return [
        base,
        ReturnContent(kind=ReturnKind.COMMENTS, dated=date(2021, 3, 1), report_title="T", agency_name="PCC", rows=()),
        ReturnContent(
            kind=ReturnKind.PROGRESS, dated=date(2021, 3, 2), report_title="T", agency_name="B", rows=rows[1:]
        ),
        ReturnContent(
            kind=ReturnKind.COMMENTS,
            dated=date(2021, 3, 3),
            report_title="T",
            agency_name="C",
            rows=rows,
            body_comments="x",
        ),
        base,
    ]


def plain(blob: bytes, content: ReturnContent) -> bytes:
    template = DocxTemplate(io.BytesIO(blob))
    template.render(render.context(content), jinja_env=document_environment(), autoescape=True)
    render._stamp(template.docx, content)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


@pytest.fixture
def frozen_clock(monkeypatch):
    """Zipfile stamps each member with the time of writing: hold it still so the bytes can be compared."""
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)


def test_prepared_templates_write_the_same_bytes_as_docxtpl(frozen_clock):
    for content in contents():
        blob = render._docx_template(render.template_name(content.kind))
        assert render.render_docx(content) == plain(blob, content)


def test_headers_footers_and_properties_are_rendered_afresh_each_time(frozen_clock):
    doc = Document(io.BytesIO(render._docx_template("return.docx")))
    doc.sections[0].header.paragraphs[0].text = "Header {{ agency_name }}"
    doc.sections[0].footer.paragraphs[0].text = "Footer {{ date_text }}"
    doc.core_properties.title = "{{ heading }}"
    out = io.BytesIO()
    doc.save(out)
    blob = out.getvalue()
    prepared = render.PreparedTemplate(blob, document_environment())
    for content in contents():
        written = prepared.render_bytes(render.context(content), content)
        assert written == plain(blob, content)
        assert Document(io.BytesIO(written)).sections[0].header.paragraphs[0].text == f"Header {content.agency_name}"
