"""Contest definition files: YAML or JSON text read into plain data, and plain data written back as text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from exchange.definitions.schema import DefinitionInvalid

FORMATS = ("yaml", "json")


class _DefinitionLoader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text (the time zone decides their meaning) and refuses duplicate keys."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool):
                continue  # the base class reports keys that cannot be keys
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, _('duplicate key "%(key)s"') % {"key": key}, key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _DefinitionDumper(yaml.SafeDumper):
    """YAML that people read: long texts as blocks, lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text.strip():
        # The loader strips the final line break that a "|" block adds, so it is given back here.
        return dumper.represent_scalar("tag:yaml.org,2002:str", text.rstrip("\n") + "\n", style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_DefinitionDumper.add_representer(str, _represent_text)


def definition_format_of(path: str | Path) -> str | None:
    """``yaml`` or ``json`` from a file name, or ``None`` when the name does not tell."""
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    return None


def definition_read(text: str, *, source: str, fmt: str | None = None) -> Any:
    """Raw definition data from YAML or JSON text; ``fmt=None`` guesses from the content."""
    if fmt is None:
        fmt = "json" if text.lstrip().startswith(("{", "[")) else "yaml"
    if fmt == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise DefinitionInvalid(
                [
                    _("%(source)s: not valid JSON: %(problem)s (line %(line)d, column %(column)d)")
                    % {"source": source, "problem": error.msg, "line": error.lineno, "column": error.colno}
                ]
            ) from error
    try:
        return yaml.load(text, Loader=_DefinitionLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise DefinitionInvalid(
            [_("%(source)s: not valid YAML: %(problem)s") % {"source": source, "problem": f"{error.problem}{where}"}]
        ) from error
    except yaml.YAMLError as error:
        raise DefinitionInvalid(
            [_("%(source)s: not valid YAML: %(problem)s") % {"source": source, "problem": error}]
        ) from error


def definition_render(data: Mapping[str, Any], *, fmt: str = "yaml") -> str:
    """Definition data as YAML or JSON text."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(
        dict(data),
        Dumper=_DefinitionDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100_000,
        default_flow_style=False,
    )
