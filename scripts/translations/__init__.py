"""English translations by topic: each module here defines ``EN = {Chinese: English}``.

scripts/translations_en.py merges them after its own table, so work on different pages adds its own file
instead of editing one long table.
"""
