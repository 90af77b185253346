"""Template filters that produce markup. The only places templates get unescaped HTML."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask import Flask, has_request_context, request
from markupsafe import Markup, escape

from portal.lib import qr
from portal.models import ArticleImage

# A root-relative URL (ours: the sanitiser keeps no other) at the start of an attribute or of
# a srcset candidate.
_ROOT_RELATIVE = re.compile(r'((?:href|src)="|srcset="|, )/(?!/)')


def nl2br(text: str | None) -> Markup:
    """Citizen and official text is never HTML: escape it, then keep its line breaks."""
    if not text:
        return Markup("")
    return Markup("<br>\n").join(escape(line) for line in str(text).splitlines())


def qr_svg(text: str) -> Markup:
    """An inline SVG QR code (no script, no style attribute) for printing on a receipt.

    segno's symbol for ``text`` at a fixed mask (any of the eight is valid for every reader,
    and scoring all eight for the "best" one was most of the receipt page's time); an access
    code is drawn without segno's encoder (portal.lib.qr)."""
    # The SVG is drawn from our own text, which only sets which modules are dark: no markup
    # of anyone else's goes in.
    return Markup(qr.svg(text))  # noqa: S704  # nosec B704


def init_filters(app: Flask) -> None:
    app.add_template_filter(nl2br, "nl2br")
    app.add_template_global(qr_svg, "qr_svg")
    app.add_template_filter(vn_long_date, "vn_long_date")
    app.add_template_filter(phone, "phone")
    app.add_template_filter(reject_key, "reject_key")
    app.add_template_filter(article_html, "article_html")
    app.add_template_filter(local_link, "local_link")
    app.add_template_global(percent, "percent")
    app.add_template_global(one_decimal, "decimal")
    app.add_template_global(rooted_image_url, "image_url")
    app.add_template_global(rooted_image_srcset, "image_srcset")


def rooted_image_url(image: ArticleImage, width: int | None = None) -> str:
    """An article image's address, with the path prefix (stored without it)."""
    from portal.services.news import image_url

    return local_link(image_url(image, width))


def rooted_image_srcset(image: ArticleImage) -> str:
    from portal.services.news import image_srcset

    root = request.script_root if has_request_context() else ""
    srcset = image_srcset(image)
    return _ROOT_RELATIVE.sub(lambda m: f"{m.group(1)}{root}/", f", {srcset}")[2:]


def vn_long_date(value: object) -> str:
    """'05 tháng 3 năm 2026', the form official letters use."""
    from portal.web.security import VIETNAM

    moment = value.astimezone(VIETNAM) if isinstance(value, datetime) else value
    if not isinstance(moment, date):
        raise TypeError(f"a date or datetime, not {type(value).__name__}")
    return f"{moment.day:02d} tháng {moment.month} năm {moment.year}"


def phone(value: str | None) -> str:
    from portal.domain.contacts import format_phone_vn

    return format_phone_vn(value) if value else ""


def reject_key(values: dict[str, str], key: str) -> dict[str, str]:
    return {k: v for k, v in values.items() if k != key}


def article_html(body: str | None) -> Markup:
    """An article body, cleaned by portal.lib.sanitize when it was saved: the one stored HTML
    the templates may show unescaped. Its own links and images were stored as paths from the
    app's root; under a path prefix (docs/embedding.md) they get the prefix here."""
    html = body or ""
    root = request.script_root if has_request_context() else ""
    if root:
        html = _ROOT_RELATIVE.sub(lambda match: f"{match.group(1)}{root}/", html)
    return Markup(html)  # noqa: S704  # nosec B704


def percent(value: float | None) -> str:
    """A share in the reader's language ("85,7%" in Vietnamese); a dash when there is none."""
    if value is None:
        return "—"
    from flask_babel import format_decimal

    return format_decimal(value * 100, "#,##0.0") + "%"


def one_decimal(value: float | None) -> str:
    """An average in the reader's language ("4,2" in Vietnamese); a dash when there is none."""
    if value is None:
        return "—"
    from flask_babel import format_decimal

    return format_decimal(value, "#,##0.0")


def local_link(path: str) -> str:
    """A path from the app's root (an editor's "see also" link) with the path prefix."""
    root = request.script_root if has_request_context() else ""
    return f"{root}{path}"
