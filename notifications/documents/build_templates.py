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
from docx.table import _Cell

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


def _table(doc: DocumentObject, left: str, right: str) -> None:
    table = doc.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text, header[1].text = left, right
    for cell in header:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    table.rows[1].cells[0].text = "{%tr for row in rows %}"
    cells = table.rows[2].cells
    cells[0].text = "{{ row.heading }}"
    _lines(cells[0], "row.text_lines")
    cells[0].add_paragraph("{%p if row.inspectorate %}")
    cells[0].add_paragraph("Inspectorate: {{ row.inspectorate }}")
    cells[0].add_paragraph("{%p endif %}")
    cells[1].paragraphs[0].text = "{%p for line in row.response_lines %}"
    cells[1].add_paragraph("{{ line }}")
    cells[1].add_paragraph("{%p endfor %}")
    table.rows[3].cells[0].text = "{%tr endfor %}"


def _signature(doc: DocumentObject) -> None:
    doc.add_paragraph("{%p if liaison %}")
    doc.add_paragraph("{{ liaison.name }}")
    doc.add_paragraph("{{ liaison.role }},")
    doc.add_paragraph("{{ agency_name }}.")
    doc.add_paragraph("{%p endif %}")


def progress_return() -> DocumentObject:
    doc = Document()
    doc.add_paragraph("{{ date_text }}")
    doc.add_heading("{{ heading }}", level=1)
    doc.add_paragraph("{{ report_title }}", style="Title")
    _section(doc, "Chief Officer comments", "chief_officer_lines")
    _section(doc, "Portfolio lead comments", "portfolio_lead_lines")
    _table(doc, "Recommendations", "{{ agency_name }} response")
    _section(doc, "Police and Crime Commissioner's comments", "pcc_lines", otherwise="{{ pcc_separately }}")
    _signature(doc)
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
    table.rows[1].cells[0].text = "{%tr for row in rec.rows %}"
    cells = table.rows[2].cells
    cells[0].text = "{{ row.agency_name }}"
    cells[0].add_paragraph("{{ row.source }}")
    cells[1].paragraphs[0].text = "{%p for line in row.response_lines %}"
    cells[1].add_paragraph("{{ line }}")
    cells[1].add_paragraph("{%p endfor %}")
    cells[2].text = "{{ row.inspectorate }}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph("{%p endfor %}")
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
