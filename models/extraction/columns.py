"""Tables with a header row and three or more columns: number, recommendation, sub-recommendation, owner, response,
update, status, deadline (forces' action plans, trackers, committee appendices).

Each column's role comes from its header; a cell is read only for its column's role. A cell that is only a number
or a reference is never a response. Tables without such a header are left to recommendations.parse_table_rows.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from models.extraction.document import Block
from models.extraction.markers import leading_id, only_a_reference, status_of
from models.extraction.markup import TextBuilder, collapse, paragraphs_of
from models.extraction.recommendations import Found, Parsed, Unplaced

if TYPE_CHECKING:
    from models.extraction.headings import Kind

_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"^(?:no\.?|number|ref(?:erence)?\.?|id|#|rec(?:ommendation)?\s+(?:no\.?|number|ref))$")),
    ("sub", re.compile(r"^(?:sub[- ]?recommendations?|commitments?|.*\bcommitments?|sub[- ]?rec(?:ommendation)?s?)$")),
    ("actions", re.compile(r"^(?:action items?|sub[- ]?actions?|actions?|tasks?|milestones?)$")),
    (
        "owner",
        re.compile(r"^(?:owner|action owner|lead|lead officer|directed at|responsible|addressee|accountable|for)$"),
    ),
    (
        "response",
        re.compile(
            r"^(?:.*\bresponse|follow[- ]?up\s*/\s*update|update|updates|progress update|action taken|actions taken|"
            r"comments?|current position|evidence)$"
        ),
    ),
    ("status", re.compile(r"^(?:status|progress|rag|rag status|state)$")),
    ("date", re.compile(r"^(?:deadline|deadline date|target date|due date|date|completion date|timescales?|due)$")),
    ("percent", re.compile(r"^(?:overall\s*%|%|percent(?:age)? complete|% complete)$")),
    (
        "text",
        re.compile(
            r"^(?:recommendations?|summary|areas? for improvement|afis?|causes? of concern|.*observations?|findings?|"
            r"description|hmicfrs recommendations?|recommendation text|issue)$"
        ),
    ),
]


@dataclass
class _Table:
    header: Block
    roles: list[str | None]
    rows: list[Block] = field(default_factory=list)


def _role(cell: str) -> str | None:
    text = collapse(re.sub(r"<[^>]+>", " ", cell)).lower().rstrip(":").replace("’", "'")
    if not text or len(text.split()) > 6:
        return None
    for role, pattern in _ROLES:
        if pattern.match(text):
            return role
    return None


def _header_roles(block: Block) -> list[str | None] | None:
    """The roles of a header row, when it is one: three or more cells, each short, one of them the recommendation's."""
    if len(block.cells) < 3:
        return None
    roles = [_role(cell) for cell in block.cells]
    if "text" not in roles or sum(r is not None for r in roles) < 3:
        return None
    return roles


def find_tables(blocks: Sequence[Block]) -> list[_Table]:
    tables: list[_Table] = []
    current: _Table | None = None
    for block in blocks:
        if block.kind in ("blank", "page_break"):
            continue
        if block.kind != "row":
            current = None
            continue
        roles = _header_roles(block)
        if roles is not None:
            current = _Table(block, roles)
            tables.append(current)
        elif current is not None:
            current.rows.append(block)
    return tables


def _cell_text(cell: str) -> str:
    return "\n\n".join(p.render() for p in paragraphs_of(cell))


def parse_column_tables(blocks: Sequence[Block]) -> tuple[Parsed, set[str]]:
    """Items from tables with a recognised header, and the locations of the rows read (the other parsers skip
    them).
    """
    parsed = Parsed()
    used: set[str] = set()
    order = {block.location: index for index, block in enumerate(blocks)}
    for table in find_tables(blocks):
        used.add(table.header.location)
        headers = [collapse(re.sub(r"<[^>]+>", " ", c)) for c in table.header.cells]
        for row in table.rows:
            used.add(row.location)
            parsed.found.extend(_row_items(row, table.roles, headers, order.get(row.location, 0), parsed))
    return parsed, used


def _row_items(row: Block, roles: list[str | None], headers: list[str], order: int, parsed: Parsed) -> list[Found]:
    """The item a row holds (and its sub-recommendation, from a sub column); a row with neither text nor number is
    unplaced.
    """
    cells, extra = _cells_by_role(row, roles, headers)
    text = cells.get("text", "")
    number_cell = cells.get("number")
    if not text and not number_cell:
        if any(cells.values()) or extra:
            joined = " | ".join([*cells.values(), *extra.values()])
            parsed.unplaced.append(Unplaced(row.location, joined))
        return []
    ident, rest = _identity(number_cell, text)
    kind: Kind = "recommendation"
    number = ""
    if ident is not None:
        kind, number = ident[0], ident[1]  # type: ignore[assignment]
    method = f"a table row, columns by header ({', '.join(h for h in headers if h)})"
    found = Found(kind, number, row.location, order=order, method=method)
    if not number:
        found.doubts.append("no number: matched by its text")
    found.text.add_paragraph(rest)
    found.extra = extra
    found.may_be_cut = sum(bool(c.strip()) for c in row.cells) < len(headers)
    items = [found]
    sub = cells.get("sub")
    if sub:
        items.append(_sub_item(found, sub))
    _fill(items[-1], cells, roles, headers)
    return items


def _cells_by_role(row: Block, roles: list[str | None], headers: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """A row's non-empty cells by their column's role, and the others by header: a column with no role, a count
    of actions or a percentage, or a second column of a role already taken.
    """
    cells: dict[str, str] = {}
    extra: dict[str, str] = {}
    for index, raw in enumerate(row.cells):
        value = _cell_text(raw).strip()
        if not value:
            continue
        role = roles[index] if index < len(roles) else None
        header = headers[index] if index < len(headers) else f"column {index + 1}"
        if role is None or role in ("actions", "percent") or role in cells:
            extra[header] = value
        else:
            cells[role] = value
    return cells, extra


def _identity(number_cell: str | None, text: str) -> tuple[tuple[str, str, str] | None, str]:
    """The item's id (kind, number, what follows it) from the number column, else from the start of its text; and
    its text (what followed the id in the number column comes first).
    """
    ident = leading_id(number_cell) if number_cell else None
    if ident is None and text:
        ident = leading_id(text)
        return ident, ident[2] if ident is not None else text
    if ident is not None and ident[2]:
        return ident, f"{ident[2]} {text}".strip()
    return ident, text


def _sub_item(found: Found, sub: str) -> Found:
    """The sub-recommendation in the row's sub column: it takes the row's other columns from its parent."""
    sub_id = leading_id(sub)
    child = Found(
        found.kind, sub_id[1] if sub_id else "", found.location, order=found.order, method=found.method + ", sub-column"
    )
    child.text.add_paragraph(sub_id[2] if sub_id else sub)
    if sub_id is None:
        child.doubts.append("no number: matched by its text")
    child.extra = found.extra
    child.may_be_cut = found.may_be_cut
    found.extra = {}
    return child


def _fill(target: Found, cells: dict[str, str], roles: list[str | None], headers: list[str]) -> None:
    """The owner, status, deadline and response columns, each read only for its role."""
    owner = cells.get("owner")
    if owner:
        target.addressee = collapse(owner)
        target.addressee_from = f"the {headers[roles.index('owner')]!r} column"
    state = cells.get("status")
    if state:
        target.status = status_of(state) or collapse(state)
    if cells.get("date"):
        target.due_cell = collapse(cells["date"])
    response = cells.get("response")
    if not response:
        return
    header = headers[roles.index("response")]
    if only_a_reference(response):
        target.doubts.append(f"the {header!r} cell holds only {response!r}: not taken as a response")
    else:
        target.response = TextBuilder()
        target.response.add_paragraph(response)
        target.response_from = f"the {header!r} column"
