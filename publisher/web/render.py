"""Rendering pages: one Jinja2 environment (autoescaped), the page's language and
links that keep it, and the headers every page carries.

Every page answers with a Content-Security-Policy that lets it load scripts,
styles and images from this server only, so a page that tried to reach
another host would be stopped by the browser itself. Public pages may be
cached by anyone; console pages (`private=True`) are `private, no-store`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from publisher import __version__
from publisher.web import assets
from publisher.web.i18n import LANGS, Lang, pick, theme, translator

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
PUBLIC_CACHE = "public, max-age=60"
PRIVATE_CACHE = "private, no-store"
SECURITY = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"}

env = Environment(loader=FileSystemLoader(assets.WEB / "templates"),
                  autoescape=select_autoescape(default=True, default_for_string=True),
                  trim_blocks=True, lstrip_blocks=True)


def lang_of(request: Request) -> Lang:
    return pick(request.query_params.get("lang"))


def link(lang: Lang, path: str, **params: Any) -> str:
    """PATH with PARAMS (None and '' left out) and the language when it is not German."""
    query = [(k, str(v)) for k, v in params.items() if v is not None and v != ""]
    if lang != "de":
        query.append(("lang", lang))
    return f"{path}?{urlencode(query)}" if query else path


def page(request: Request, template: str, context: dict[str, Any], *, private: bool = False,
         status: int = 200) -> HTMLResponse:
    lang = lang_of(request)
    settings = request.app.state.settings

    def here(**params: Any) -> str:
        """This page in another language (other parameters kept)."""
        keep = {k: v for k, v in request.query_params.items() if k != "lang"}
        return link(params.get("lang", lang), request.url.path, **keep)

    html = env.get_template(template).render(
        t=translator(lang), lang=lang, langs=LANGS, link=lambda p, **q: link(lang, p, **q),
        here=here, asset=assets.url, missing_assets=assets.missing(),
        theme_name=lambda code: theme(code, lang),
        site_title=settings.catalog_title, version=__version__, private=private, **context)
    headers = {**SECURITY, "Cache-Control": PRIVATE_CACHE if private else PUBLIC_CACHE,
               "Content-Language": lang, "Vary": "Accept, Accept-Encoding"}
    return HTMLResponse(html, status_code=status, headers=headers)


def size(n: int | None) -> str:
    """A file size for people (decimal units)."""
    if n is None:
        return "—"
    value = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


env.filters["size"] = size
