"""Bad input: a clear ExtractionError that names the file."""

import os
from collections.abc import Mapping
from pathlib import Path

import pytest

from models.extraction import extract_report, read_document
from models.rules.errors import ExtractionError


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n")
    with pytest.raises(ExtractionError, match=r"^empty\.txt: the file is empty$"):
        read_document(path)


def test_random_bytes_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "random.docx"
    path.write_bytes(os.urandom(512))
    with pytest.raises(ExtractionError, match=r"^random\.docx: not a Word"):
        read_document(path)


def test_a_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(ExtractionError, match=r"^archive\.docx: not a readable Word"):
        read_document(path)


def test_a_pdf_named_txt(tmp_path: Path, built: dict[str, Path]) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(built["report.pdf"].read_bytes())
    with pytest.raises(ExtractionError, match=r"^report\.txt: this is a PDF, not text"):
        read_document(path)


def test_text_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("Recommendation 1\nTo chief constables\n")
    with pytest.raises(ExtractionError, match=r"^notes\.pdf: not a PDF file$"):
        read_document(path)


def test_scanned_pdf_without_a_text_layer(built: dict[str, Path]) -> None:
    with pytest.raises(ExtractionError, match=r"scanned\.pdf: no text layer: is it a scanned image\? run OCR first"):
        read_document(built["scanned.pdf"])


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "report.odt"
    path.write_text("Recommendation 1")
    with pytest.raises(ExtractionError, match=r"^report\.odt: unsupported file type '\.odt'"):
        read_document(path)


def test_a_document_without_recommendations(tmp_path: Path, aliases: Mapping[str, str]) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("Dear colleague,\n\nThank you for the recommendation 4 update.\n")
    with pytest.raises(ExtractionError, match=r"^letter\.txt: no recommendations found"):
        extract_report(read_document(path), aliases=aliases)
