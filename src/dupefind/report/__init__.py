"""Reports: versioned JSON/JSONL for pipelines, a Rich view for the terminal, HTML for people."""

from .json_report import (
    SCHEMA_VERSION,
    pair_dict,
    report_dict,
    report_json,
    report_jsonl,
    schema,
)

__all__ = ["SCHEMA_VERSION", "pair_dict", "report_dict", "report_json", "report_jsonl", "schema"]
