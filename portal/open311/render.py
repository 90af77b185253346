"""GeoReport v2 responses in JSON and XML, and its error bodies.

The specification defines XML and maps it to JSON by the "Spark convention": an XML list
element (<services>) is a JSON array of its items (<service>), a leaf is a value, an empty
element is null. Here the data is built once as plain Python and written either way.
XML is written (never read) with xml.etree.ElementTree.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

# Only ever used to write XML, never to parse what a client sends.
from xml.etree.ElementTree import Element, tostring

from flask import Response

FORMATS: Final = ("json", "xml")
MIMETYPES: Final = {"json": "application/json", "xml": "text/xml"}
# The element name of one item of each list element.
ITEM_TAGS: Final = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
XML_DECLARATION: Final = '<?xml version="1.0" encoding="utf-8"?>\n'
# Characters XML 1.0 cannot carry at all (control characters a citizen may paste).
_NOT_XML_RE: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _element(tag: str, value: Any) -> Element:
    node = Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            node.append(_element(key, child))
    elif isinstance(value, list):
        for child in value:
            node.append(_element(ITEM_TAGS[tag], child))
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = _NOT_XML_RE.sub("", str(value))
    return node


def to_xml(root: str, data: Any) -> str:
    return XML_DECLARATION + tostring(_element(root, data), encoding="unicode")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def respond(fmt: str, root: str, data: Any, status: int = 200) -> Response:
    """`data` as JSON, or as XML under the element `root`; UTF-8 either way."""
    body = to_xml(root, data) if fmt == "xml" else to_json(data)
    return Response(body, status=status, content_type=f"{MIMETYPES[fmt]}; charset=utf-8")


def error_body(errors: list[tuple[int | str, str]]) -> list[dict[str, Any]]:
    return [{"code": code, "description": description} for code, description in errors]


def respond_error(
    fmt: str,
    status: int,
    errors: list[tuple[int | str, str]],
    headers: dict[str, str] | None = None,
) -> Response:
    """The GeoReport error list: [{"code": ..., "description": ...}] or <errors><error>."""
    response = respond(fmt, "errors", error_body(errors), status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
