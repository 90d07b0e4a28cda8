"""Doudi (兜底): the social assistance system of a county civil affairs bureau."""

__version__ = "0.1.0"
