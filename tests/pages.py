"""The page checker: every page the integration tests render goes through it."""

from __future__ import annotations

from collections import Counter

import html5lib

NS = "{http://www.w3.org/1999/xhtml}"
UNLABELLED_OK = {"hidden", "submit", "button", "image", "reset"}


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def check_page(html: str) -> list[str]:
    """Return the problems found in a rendered HTML page (empty when it is fine)."""
    problems: list[str] = []
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        root = parser.parse(html)
    except html5lib.html5parser.ParseError as error:
        return [f"does not parse as HTML5: {error}"]

    if not root.get("lang"):
        problems.append("<html> has no lang attribute")
    h1s = root.findall(f".//{NS}h1")
    if len(h1s) != 1:
        problems.append(f"expected exactly one <h1>, found {len(h1s)}")
    title = root.find(f".//{NS}title")
    if title is None:
        problems.append("no <title>")
    elif h1s:
        heading = _text(h1s[0])
        title_text = _text(title)
        if not (title_text.startswith(heading) or title_text.split(" ", 1)[-1].startswith(heading)):
            problems.append(f"<title> {title_text!r} does not start with the <h1> {heading!r}")
    if root.find(f".//{NS}main") is None:
        problems.append("no <main> landmark")

    ids = Counter(el.get("id") for el in root.iter() if el.get("id"))
    problems += [f"duplicate id {i!r}" for i, n in ids.items() if n > 1]

    for element in root.iter():
        for attribute in ("aria-describedby", "aria-labelledby", "aria-controls"):
            missing = [ref for ref in (element.get(attribute) or "").split() if ref not in ids]
            if missing:
                problems.append(f"{attribute} points at no element: {' '.join(missing)!r}")

    labelled = {label.get("for") for label in root.iter(f"{NS}label")}
    for tag in ("input", "select", "textarea"):
        for control in root.iter(f"{NS}{tag}"):
            if tag == "input" and control.get("type", "text") in UNLABELLED_OK:
                continue
            if control.get("id") in labelled or control.get("aria-label"):
                continue
            problems.append(f"<{tag} name={control.get('name')!r}> has no label")

    for form in root.iter(f"{NS}form"):
        if form.get("method", "get").lower() != "post":
            continue
        names = {i.get("name") for i in form.iter(f"{NS}input")}
        if "language-switch" in (form.get("class") or ""):
            continue  # it sets only a preference cookie; see portal/public/forms.py
        if "csrf_token" not in names:
            problems.append(f"POST form to {form.get('action')!r} has no CSRF field")
    if 'style="' in html or "<script>" in html:
        problems.append("inline style or script")
    return problems
