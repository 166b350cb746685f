"""Ids in public URLs and query parameters: a number a 64-bit integer column holds, or nobody's id.

SQLite and PostgreSQL answer a larger number with an error, not an empty result, so a URL or a parameter naming one
is answered 404 or 400 before the database is asked. Path converter: `<id:page_id>`.
"""

from django.urls import register_converter

MAX_ID = 2**63 - 1


def parse_id(value: str) -> int | None:
    """The id `value` spells in ASCII digits, or None when it spells none a database row could have."""
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError("not an id")  # the URL doesn't match: 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
