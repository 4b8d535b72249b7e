"""Test documents: the committed text and HTML ones, and the DOCX and PDF ones built from code (build_documents)."""

from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.extraction import build_documents

DOCUMENTS = Path(__file__).parent / "documents"

GROUPS = [
    {"id": "chief-constables", "aliases": ["chief constables", "chief constable"]},
    {"id": "local-policing-bodies", "aliases": ["police and crime commissioners", "pccs"]},
]
AGENCIES = [
    {"id": "home-office", "name": "Home Office", "aliases": []},
    {"id": "npcc", "name": "National Police Chiefs' Council", "aliases": ["npcc"]},
    {"id": "ministry-of-justice", "name": "Ministry of Justice", "aliases": ["moj"]},
    {"id": "college-of-policing", "name": "College of Policing", "aliases": []},
]


@pytest.fixture(scope="session")
def aliases() -> Mapping[str, str]:
    """A small alias table of our own, built by the real register code."""
    from models.rules.recipients import build_alias_table

    return build_alias_table(GROUPS, AGENCIES)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("documents")
    return {
        "report.docx": build_documents.build_report_docx(folder / "report.docx"),
        "response.docx": build_documents.build_response_docx(folder / "response.docx"),
        "report.pdf": build_documents.build_report_pdf(folder / "report.pdf"),
        "scanned.pdf": build_documents.build_scanned_pdf(folder / "scanned.pdf", folder / "scan.png"),
    }
