"""Renderings of a Report for people: a self-contained HTML page (html.py)."""

from publisher.reporting.html import render_html, write_html

__all__ = ["render_html", "write_html"]
