"""Fill the return templates: a .docx for the inspectorate and an HTML page for preview, from a ``ReturnContent``."""

import functools
import io
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, Template

from models.rules.returns import PCC_SEPARATELY, ReturnContent
from models.rules.vocabulary import ReturnKind
from notifications.render import document_environment, marking, render_page

HERE = Path(__file__).parent
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold at all (a pasted form feed would make Word refuse the whole document)."""


def lines(text: str | None) -> list[str]:
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
        "chief_officer_lines": lines(content.chief_officer) or ["No comments recorded."],
        "portfolio_lead_lines": lines(content.portfolio_lead) or ["No comments recorded."],
        "body_comments_lines": lines(content.body_comments) or ["No comments recorded."],
        "pcc_lines": lines(content.pcc),
        "pcc_separately": PCC_SEPARATELY,
        "rows": [
            {
                "number": r.number,
                "heading": r.heading,
                "text_lines": lines(r.text),
                "response_lines": lines(r.response_text),
                "has_response": r.has_response,
                "status": r.status.value,
                "inspectorate": r.inspectorate or "",
            }
            for r in content.rows
        ],
        "liaison": (
            {"name": content.liaison.name, "role": content.liaison.role, "email": content.liaison.email}
            if content.liaison
            else None
        ),
        "missing": content.missing,
        "preface": content.preface,
        "signed_off_by": content.signer.name if content.signer else None,
        "marking": marking(),
        "document_title": _document_title(content),
    }


def _document_title(content: ReturnContent) -> str:
    """The title Word and screen readers show: the heading in sentence case, and the report."""
    if content.kind is ReturnKind.COMMENTS:
        return f"Comments of the {content.agency_name} on the HMICFRS report {content.report_title}"
    return f"Response of {content.agency_name} to the HMICFRS report {content.report_title}"


def _compiled_at(content: ReturnContent) -> datetime:
    """When the document was compiled, as its properties say: the compiling day (so a recompile is byte-identical)."""
    return datetime.combine(content.dated, time(), tzinfo=UTC)


def _stamp(document: Any, content: ReturnContent) -> None:
    """The properties no template can fill: created and modified, the revision; and who it is from, its title and
    subject set as plain text (docxtpl renders the properties' tags through the HTML-escaping environment, which
    would leave "Sisters&#39;" in Word's title).
    """
    properties = document.core_properties
    properties.author, properties.title = content.agency_name, _document_title(content)
    properties.subject = content.report_title
    properties.created = properties.modified = _compiled_at(content)
    properties.revision = content.round


@functools.cache
def _docx_template(name: str) -> bytes:
    return (HERE / name).read_bytes()


def template_name(kind: ReturnKind) -> str:
    return "comments.docx" if kind is ReturnKind.COMMENTS else "return.docx"


_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
"""The core properties docxtpl 0.20's ``render_properties`` fills (the string ones it can write back)."""


class PreparedTemplate(DocxTemplate):  # type: ignore[misc]  # docxtpl has no type information
    """A docxtpl template parsed, patched and compiled once, then rendered any number of times.

    Plain docxtpl re-reads the whole .docx (styles and all), re-patches its XML and recompiles the Jinja2 source on
    every render: about 100 ms a document, nearly all of it the same work each time. Here the python-docx document is
    opened once and kept; the body, headers and footers are patched and compiled once, from the template as it was
    loaded, and the core properties' templates are kept likewise. docxtpl's own ``render`` then runs unchanged, so the
    output is the same XML it would write: each render replaces the body, every header and footer and the core
    properties wholesale, from the kept sources, so nothing of one document survives into the next. That holds for a
    context of plain values (ours: ``context``); docxtpl's RichText links, InlineImage and Subdoc add parts and
    relationships to the document they render into, and would need a fresh ``DocxTemplate`` per document.

    The kept document is mutable state: renders are serialised by a lock (the work is CPU-bound under the GIL, so a
    thread pool would gain nothing from overlapping them). Templates with footnotes are not prepared (docxtpl renders a
    footnotes part from its own, already rendered, blob): ``render_docx`` renders those the plain way.
    """

    def __init__(self, blob: bytes, jinja_env: Environment) -> None:
        super().__init__(io.BytesIO(blob))
        super().init_docx()
        assert self.docx is not None
        self._env = jinja_env
        self._lock = threading.Lock()
        if any(part.content_type == _FOOTNOTES for part in self.docx.part.package.parts):
            raise NotImplementedError("a template with footnotes is rendered the plain way")
        self._body = self._compile(self.get_xml())
        self._headers_footers: dict[str, list[tuple[str, str, Template]]] = {}
        for uri in (self.HEADER_URI, self.FOOTER_URI):
            prepared = []
            for rel_key, part in self.get_headers_footers(uri):
                xml = self.get_part_xml(part)
                prepared.append((rel_key, self.get_headers_footers_encoding(xml), self._compile(xml)))
            self._headers_footers[uri] = prepared
        properties = self.docx.core_properties
        self._properties = [(name, jinja_env.from_string(getattr(properties, name))) for name in _CORE_PROPERTIES]

    def _compile(self, xml: str) -> Template:
        """Docxtpl's ``patch_xml`` and the first step of its ``render_xml_part``, compiled: done once per part."""
        return self._env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", self.patch_xml(xml)))

    def _finish(self, template: Template, context: dict[str, Any]) -> str:
        """The rest of docxtpl's ``render_xml_part``: render, then undo the line breaks and escapes, resolve listings."""
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", template.render(context))
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return str(self.resolve_listing(xml))

    # docxtpl's hooks, overridden to use what was prepared instead of reading the (already rendered) document again

    def init_docx(self, reload: bool = True) -> None:
        """Never reload: every render replaces all that the previous one changed."""

    def build_xml(self, context: dict[str, Any], jinja_env: Environment | None = None) -> str:
        assert self.docx is not None
        self.current_rendering_part = self.docx._part
        return self._finish(self._body, context)

    def build_headers_footers_xml(
        self, context: dict[str, Any], uri: str, jinja_env: Environment | None = None
    ) -> Iterator[tuple[str, bytes]]:
        assert self.docx is not None
        for rel_key, encoding, template in self._headers_footers[uri]:
            self.current_rendering_part = self.docx._part.rels[rel_key].target_part
            yield rel_key, self._finish(template, context).encode(encoding)

    def render_properties(self, context: dict[str, Any], jinja_env: Environment | None = None) -> None:
        assert self.docx is not None
        properties = self.docx.core_properties
        for name, template in self._properties:
            setattr(properties, name, template.render(context))

    def render_footnotes(self, context: dict[str, Any], jinja_env: Environment | None = None) -> None:
        """No footnotes: such templates are never prepared."""

    def render_bytes(self, context: dict[str, Any], content: ReturnContent) -> bytes:
        """The filled document, as the bytes of a .docx (written by python-docx, as docxtpl's ``save`` does)."""
        with self._lock:
            self.render(context, jinja_env=self._env, autoescape=True)
            _stamp(self.docx, content)
            out = io.BytesIO()
            self.save(out)
            return out.getvalue()


@functools.cache
def prepared_template(name: str) -> PreparedTemplate | None:
    """The template ``name``, prepared once per process (None where it must be rendered the plain way)."""
    try:
        return PreparedTemplate(_docx_template(name), document_environment())
    except NotImplementedError:
        return None


def render_docx(content: ReturnContent) -> bytes:
    """The Word document, as bytes."""
    name = template_name(content.kind)
    prepared = prepared_template(name)
    if prepared is not None:
        return prepared.render_bytes(context(content), content)
    template = DocxTemplate(io.BytesIO(_docx_template(name)))
    template.render(context(content), jinja_env=document_environment(), autoescape=True)
    _stamp(template.docx, content)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render_html(content: ReturnContent) -> str:
    """The HTML preview: the same parts, in the same order, as the Word document."""
    return render_page("return.html", context(content))
