"""Reading recommendations out of real documents: reports (text, DOCX, HTML, PDF) and forces' responses to them.

readers: file -> Document (the only I/O); reading: Document -> every item found, how and how sure, and what was
left over (the one result the definition, the responses, the corpus score and the staff's review all use); report:
Document -> report definition (the YAML ``report import`` takes); responses: Document -> recommendation | response
pairs, comments, the signatory and the sign-off line.
"""

from models.extraction.document import Block, Document, document_from_text
from models.extraction.output import definition_yaml
from models.extraction.readers import read_document
from models.extraction.reading import Item, Reading, read
from models.extraction.report import Extraction, extract_report
from models.extraction.responses import LiaisonOfficer, ResponseDocument, ResponsePair, extract_responses

__all__ = [
    "Block",
    "Document",
    "Extraction",
    "Item",
    "LiaisonOfficer",
    "Reading",
    "ResponseDocument",
    "ResponsePair",
    "definition_yaml",
    "document_from_text",
    "extract_report",
    "extract_responses",
    "read",
    "read_document",
]
