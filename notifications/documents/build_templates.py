"""Build the Word templates for returns, once: ``python -m notifications.documents.build_templates``.

The .docx files this writes are the templates: staff may open them in Word and restyle them (fonts, headings, logo,
column widths) as long as the Jinja tags stay in their paragraphs. Rebuilding overwrites such changes, so run this only
to start again from the plain shape. Each tag is written as one run, so Word never splits it.

The shape follows a real force's return: the date; "RESPONSE OF <AGENCY> TO THE HMICFRS REPORT"; the report's title;
Chief Officer comments; Portfolio lead comments; a two-column table (recommendation | response); the PCC's comments
(or a note that they follow separately); the liaison officer's name, role and agency.
"""

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm
from docx.table import _Cell

from notifications.documents.word_rows import row_property

HERE = Path(__file__).parent


def _lines(container: DocumentObject | _Cell, name: str) -> None:
    """One paragraph per line of ``name`` (a list of strings), so paragraphs and blank lines survive the round trip."""
    container.add_paragraph(f"{{%p for line in {name} %}}")
    container.add_paragraph("{{ line }}")
    container.add_paragraph("{%p endfor %}")


def _section(doc: DocumentObject, heading: str, name: str, *, otherwise: str | None = None) -> None:
    doc.add_heading(heading, level=2)
    if otherwise is None:
        _lines(doc, name)
        return
    doc.add_paragraph(f"{{%p if {name} %}}")
    _lines(doc, name)
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph(otherwise)
    doc.add_paragraph("{%p endif %}")


LANGUAGE = "en-GB"


def _page(doc: DocumentObject, *, author: str = "{{ agency_name }}") -> None:
    """A4 with 2.54 cm margins (a force's documents), British English throughout, the marking top and bottom, the
    properties saying who it is from (``author``, a tag the context fills; title and subject likewise), and no preview
    image (python-docx's own template carries a picture of an unrelated page).
    """
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.54))
        for part in (section.header, section.footer):
            paragraph = part.paragraphs[0]
            paragraph.text = "{{ marking }}"
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.runs[0].bold = True
    r_pr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")
    r_pr.append(lang)
    properties = doc.core_properties
    properties.author = author
    properties.last_modified_by = ""
    properties.title = "{{ document_title }}"
    properties.subject = "{{ report_title }}"
    properties.language = LANGUAGE
    properties.comments = ""
    properties.keywords = ""
    package = doc.part.package
    for rel in list(package.rels.values()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            package.rels.pop(rel.rId)


def _table(doc: DocumentObject, left: str, right: str) -> None:
    table = doc.add_table(rows=5, cols=2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text, header[1].text = left, right
    for cell in header:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    row_property(table.rows[0], "tblHeader")
    row_property(table.rows[0], "cantSplit")
    preface = table.rows[1].cells
    preface[0].text = "{{ preface }}"
    preface[1].text = "Progress on each recommendation is given beside it, in the report's order."
    row_property(table.rows[1], "cantSplit")
    table.rows[2].cells[0].text = "{%tr for row in rows %}"
    row_property(table.rows[3], "cantSplit")
    cells = table.rows[3].cells
    cells[0].text = "{{ row.heading }}"
    _lines(cells[0], "row.text_lines")
    cells[0].add_paragraph("{%p if row.inspectorate %}")
    cells[0].add_paragraph("Inspectorate: {{ row.inspectorate }}")
    cells[0].add_paragraph("{%p endif %}")
    cells[1].paragraphs[0].text = "{%p for line in row.response_lines %}"
    cells[1].add_paragraph("{{ line }}")
    cells[1].add_paragraph("{%p endfor %}")
    table.rows[4].cells[0].text = "{%tr endfor %}"


def _signature(doc: DocumentObject) -> None:
    doc.add_paragraph("{%p if liaison %}")
    for line in ("{{ liaison.name }}", "{{ liaison.role }},"):  # the signature stays together on one page
        doc.add_paragraph(line).paragraph_format.keep_with_next = True
    doc.add_paragraph("{{ agency_name }}.")
    doc.add_paragraph("{%p endif %}")


def progress_return() -> DocumentObject:
    doc = Document()
    doc.add_paragraph("{{ date_text }}")
    doc.add_heading("{{ heading }}", level=1)
    doc.add_paragraph("{{ report_title }}", style="Title")
    _section(doc, "Chief Officer comments", "chief_officer_lines")
    _section(doc, "Portfolio lead comments", "portfolio_lead_lines")
    _table(
        doc,
        "Recommendations",
        "{{ agency_name }} response.{% if signed_off_by %} Agreed and signed off by {{ signed_off_by }}, portfolio lead."
        "{% endif %}",
    )
    _section(doc, "Police and Crime Commissioner's comments", "pcc_lines", otherwise="{{ pcc_separately }}")
    _signature(doc)
    _page(doc)
    return doc


def statutory_comments() -> DocumentObject:
    doc = Document()
    doc.add_paragraph("{{ date_text }}")
    doc.add_heading("{{ heading }}", level=1)
    doc.add_paragraph("{{ report_title }}", style="Title")
    doc.add_paragraph("Comments under section 55 of the Police Act 1996.")
    _section(doc, "Comments of the local policing body", "body_comments_lines")
    _section(doc, "Chief Officer comments", "chief_officer_lines")
    _table(doc, "Recommendations", "Response, or why there is none")
    _signature(doc)
    _page(doc)
    return doc


def national_return() -> DocumentObject:
    """The collated national return: per recommendation, a table of every addressed agency's response."""
    doc = Document()
    doc.add_paragraph("{{ date_text }}")
    doc.add_heading("NATIONAL RETURN: EVERY AGENCY'S RESPONSE", level=1)
    doc.add_paragraph("{{ report_title }}", style="Title")
    doc.add_paragraph("{{ summary }}")
    doc.add_paragraph("{%p for rec in recommendations %}")
    doc.add_heading("{{ rec.heading }}", level=2)
    _lines(doc, "rec.text_lines")
    doc.add_paragraph("{{ rec.summary }}")
    table = doc.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Agency", "Response", "Inspectorate"), strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    row_property(table.rows[0], "tblHeader")  # the header row on every page of a long table
    row_property(table.rows[0], "cantSplit")
    table.rows[1].cells[0].text = "{%tr for row in rec.rows %}"
    row_property(table.rows[2], "cantSplit")  # an agency's row never breaks across pages where it fits on one
    cells = table.rows[2].cells
    cells[0].text = "{{ row.agency_name }}"
    cells[0].add_paragraph("{{ row.source }}")
    cells[1].paragraphs[0].text = "{%p for line in row.response_lines %}"
    cells[1].add_paragraph("{{ line }}")
    cells[1].add_paragraph("{%p endfor %}")
    cells[2].text = "{{ row.inspectorate }}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    table.autofit = False
    for column, width in zip(table.columns, (Cm(3.8), Cm(8.6), Cm(3.6)), strict=True):
        column.width = width
    for row in table.rows:  # the response gets the room: agency and decision narrow
        for cell, width in zip(row.cells, (Cm(3.8), Cm(8.6), Cm(3.6)), strict=True):
            cell.width = width
    doc.add_paragraph("{%p endfor %}")
    _page(doc, author="{{ author }}")
    return doc


def main() -> None:
    for name, build in (
        ("return.docx", progress_return),
        ("comments.docx", statutory_comments),
        ("national.docx", national_return),
    ):
        path = HERE / name
        build().save(str(path))
        print(f"wrote {path.name}")


if __name__ == "__main__":
    main()
