"""Record matching: department data to the registry, by ID number and, when it is missing or wrong, by
probability (Splink on DuckDB or Spark). docs/verification.md, "Matching".

    from doudi.matching.linking import MatchSettings, match
    pairs = match(left_records, right_records, MatchSettings(threshold=0.9))

This package depends on doudi.core only; registry-facing glue lives in the layers above.
"""
