from django import template

from mentoring import pdf

register = template.Library()


@register.simple_tag
def pdf_asset(name: str) -> str:
    """The URL under which the PDF renderer serves one of its allowed assets."""
    return pdf.asset_url(name)
