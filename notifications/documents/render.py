"""Fill the return templates: a .docx for the inspectorate and an HTML page for preview, from a ``ReturnContent``."""

import functools
import io
import re
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from models.returns import PCC_SEPARATELY, ReturnContent, ReturnKind

HERE = Path(__file__).parent
TEMPLATES = HERE.parent / "templates"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold at all (a pasted form feed would make Word refuse the whole document)."""


def _lines(text: str | None) -> list[str]:
    """One entry per line, so that paragraphs (and the blank lines between them) come back as written."""
    if not text:
        return []
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")


def context(content: ReturnContent) -> dict[str, Any]:
    """The names the templates use: the same for the .docx and the HTML."""
    return {
        "kind": content.kind.value,
        "date_text": content.date_text,
        "heading": content.heading,
        "report_title": content.report_title,
        "agency_name": content.agency_name,
        "round": content.round,
        "chief_officer_lines": _lines(content.chief_officer) or ["No comments recorded."],
        "portfolio_lead_lines": _lines(content.portfolio_lead) or ["No comments recorded."],
        "body_comments_lines": _lines(content.body_comments) or ["No comments recorded."],
        "pcc_lines": _lines(content.pcc),
        "pcc_separately": PCC_SEPARATELY,
        "rows": [
            {
                "number": r.number,
                "heading": r.heading,
                "text_lines": _lines(r.text),
                "response_lines": _lines(r.response_text),
                "has_response": r.has_response,
                "status": r.status.value,
            }
            for r in content.rows
        ],
        "liaison": (
            {"name": content.liaison.name, "role": content.liaison.role, "email": content.liaison.email}
            if content.liaison
            else None
        ),
        "missing": content.missing,
    }


@functools.cache
def _docx_template(name: str) -> bytes:
    return (HERE / name).read_bytes()


def docx_environment() -> Environment:
    return Environment(autoescape=True, undefined=StrictUndefined)


@functools.cache
def html_environment() -> Environment:
    """Templates for the HTML preview and the return emails: HTML autoescaped, text not, undefined names fail."""
    return Environment(
        loader=FileSystemLoader([str(HERE), str(TEMPLATES)]),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def template_name(kind: ReturnKind) -> str:
    return "comments.docx" if kind is ReturnKind.COMMENTS else "return.docx"


def render_docx(content: ReturnContent) -> bytes:
    """The Word document, as bytes."""
    template = DocxTemplate(io.BytesIO(_docx_template(template_name(content.kind))))
    template.render(context(content), jinja_env=docx_environment(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render_html(content: ReturnContent) -> str:
    """The HTML preview: the same parts, in the same order, as the Word document."""
    return html_environment().get_template("return.html").render(context(content))


def render_message(folder: str, values: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text, html) from ``templates/<folder>/{subject.txt, body.txt, body.html}``."""
    env = html_environment()
    subject = env.get_template(f"{folder}/subject.txt").render(values).strip()
    text = env.get_template(f"{folder}/body.txt").render(values)
    html = env.get_template(f"{folder}/body.html").render(values)
    return " ".join(subject.split()), text, html
