"""Reading recommendations out of real documents: reports (text, DOCX, HTML, PDF) and forces' responses to them.

readers: file -> Document (the only I/O); report: Document -> report definition (the YAML ``report import`` takes);
responses: Document -> recommendation | response pairs, comments and the liaison officer.
"""

from models.extraction.document import Block, Document, document_from_text
from models.extraction.output import definition_yaml
from models.extraction.readers import read_document
from models.extraction.report import Extraction, extract_report
from models.extraction.responses import LiaisonOfficer, ResponseDocument, ResponsePair, extract_responses

__all__ = [
    "Block",
    "Document",
    "Extraction",
    "LiaisonOfficer",
    "ResponseDocument",
    "ResponsePair",
    "definition_yaml",
    "document_from_text",
    "extract_report",
    "extract_responses",
    "read_document",
]
