"""Row properties for Word tables that python-docx does not expose."""

from docx.oxml import OxmlElement
from docx.table import _Row


def row_property(row: _Row, name: str) -> None:
    """``w:tblHeader`` (the row repeats at the top of every page) or ``w:cantSplit`` (never broken across pages)."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement(f"w:{name}"))
