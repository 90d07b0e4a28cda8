"""URL converters. ``<key:pk>`` is a database key: 1 to 18 digits, so a longer number in an address answers
404 like any key that does not exist, instead of overflowing the database's BIGINT."""

from __future__ import annotations

from django.urls import register_converter


class KeyConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(KeyConverter, "key")
