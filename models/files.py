"""Reading users' files (YAML and CSV) into validated definitions, with errors that name the file and line."""

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from models.definitions import RegisterDefinition, ReportDefinition
from models.rules.errors import DefinitionError

M = TypeVar("M", bound=BaseModel)


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so an impossible date reaches validation (and a clear error)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line_of(node: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """The 1-based line of the YAML node that a validation error's location points at (as deep as it exists)."""
    line = None if node is None else node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if getattr(k, "value", None) == part]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


def _field(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _first_error(path: Path, error: ValidationError, node: yaml.Node | None) -> DefinitionError:
    first = error.errors()[0]
    loc = [p for p in first["loc"] if isinstance(p, int | str)]
    line = _line_of(node, loc)
    where = f"{path}" + (f" line {line}" if line else "")
    field = _field(loc)
    value = first.get("input")
    shown = f" (got {value!r})" if isinstance(value, str | int | float) and first["type"] != "missing" else ""
    message = first["msg"].removeprefix("Value error, ")
    more = len(error.errors()) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return DefinitionError(f"{where}: {field + ': ' if field else ''}{message}{shown}{tail}")


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DefinitionError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise DefinitionError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except IsADirectoryError:
        raise DefinitionError(f"{path}: is a folder, not a file") from None


MAX_YAML_BYTES = 5_000_000
"""The largest definition or register file read (the shipped register is about 60 kB)."""
MAX_YAML_NODES = 200_000
"""The most values a YAML file may stand for once its aliases are expanded: an alias bomb is refused before it is
built, because the count is taken over the composed node graph (each shared node counted once per use, memoised)."""


MAX_YAML_DEPTH = 100
"""Deeper than any definition needs: refused rather than recursed into without end."""


def _expanded_size(root: yaml.Node, *, limit: int) -> int:
    """How many nodes ``root`` stands for with every alias expanded, stopping as soon as it passes ``limit``."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if depth > MAX_YAML_DEPTH:
            return limit + 1
        total = 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                total += size(key, depth + 1) + size(value, depth + 1)
                if total > limit:
                    break
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += size(item, depth + 1)
                if total > limit:
                    break
        sizes[id(node)] = total
        return total

    return size(root, 0)


def _load_limited(path: Path, text: str) -> tuple[yaml.Node | None, Any]:
    if len(text) > MAX_YAML_BYTES:
        raise DefinitionError(
            f"{path}: too large for a definition ({len(text):,} characters; at most {MAX_YAML_BYTES:,})"
        )
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node, limit=MAX_YAML_NODES) > MAX_YAML_NODES:
            raise DefinitionError(
                f"{path}: refused: its aliases expand to more than {MAX_YAML_NODES:,} values (an alias bomb?)"
            )
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def load_yaml(path: Path, model: type[M], text: str | None = None) -> M:
    """``path`` (YAML) validated as ``model``; any problem is one DefinitionError naming the file and line.

    Safe YAML only (no Python objects), at most ``MAX_YAML_BYTES``, and at most ``MAX_YAML_NODES`` values once
    aliases are expanded: the limits are checked on the composed graph before any Python value is built.
    """
    if text is None:
        size = path.stat().st_size if path.is_file() else 0
        if size > MAX_YAML_BYTES:
            raise DefinitionError(f"{path}: too large for a definition ({size:,} bytes; at most {MAX_YAML_BYTES:,})")
        text = read_text(path)
    try:
        node, data = _load_limited(path, text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f" line {mark.line + 1}" if mark else ""
        raise DefinitionError(f"{path}{line}: malformed YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path}: malformed YAML: {exc}") from None
    except RecursionError:
        raise DefinitionError(f"{path}: refused: nested too deeply") from None
    if not isinstance(data, dict):
        raise DefinitionError(f"{path}: expected a mapping of fields at the top, found {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _first_error(path, exc, node) from None


def load_report(path: Path) -> ReportDefinition:
    return load_yaml(path, ReportDefinition)


CSV_COLUMNS = ("agency", "role", "name", "email")
CSV_OPTIONAL = ("title", "agency_name", "kind", "groups")


def load_register(path: Path) -> RegisterDefinition:
    """An agency register or contacts file: YAML (groups and agencies) or CSV (one contact per row)."""
    if path.suffix.lower() in (".yaml", ".yml"):
        return load_yaml(path, RegisterDefinition)
    if path.suffix.lower() != ".csv":
        raise DefinitionError(f"{path}: expected a .csv, .yaml or .yml file")
    return _load_register_csv(path, read_text(path))


def _load_register_csv(path: Path, text: str) -> RegisterDefinition:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise DefinitionError(
            f"{path} line 1: missing column(s) {', '.join(missing)} "
            f"(expected {', '.join(CSV_COLUMNS)}, optionally {', '.join(CSV_OPTIONAL)})"
        )
    unknown = [c for c in header if c not in CSV_COLUMNS + CSV_OPTIONAL]
    if unknown:
        raise DefinitionError(f"{path} line 1: unknown column(s) {', '.join(unknown)}")
    agencies: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            raise DefinitionError(f"{path} line {line}: more cells than columns")
        cells = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        agency_id = cells["agency"]
        entry = agencies.setdefault(agency_id, {"id": agency_id, "contacts": []})
        lines.setdefault(agency_id, line)
        if cells.get("agency_name"):
            entry["name"] = cells["agency_name"]
        if cells.get("kind"):
            entry["kind"] = cells["kind"]
        if cells.get("groups"):
            entry["groups"] = [g.strip() for g in cells["groups"].split(";") if g.strip()]
        contact = {k: cells[k] for k in ("role", "name", "email") if cells.get(k)}
        if cells.get("title"):
            contact["title"] = cells["title"]
        try:
            RegisterDefinition.model_validate({"agencies": [{**entry, "contacts": [contact]}]})
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = [p for p in first["loc"] if isinstance(p, str) and p not in ("agencies", "contacts")]
            field = loc[-1] if loc else "row"
            raise DefinitionError(
                f"{path} line {line}: {field}: {first['msg'].removeprefix('Value error, ')}"
            ) from None
        entry["contacts"].append(contact)
    if not agencies:
        raise DefinitionError(f"{path}: no rows after the header")
    return RegisterDefinition.model_validate({"agencies": list(agencies.values())})
