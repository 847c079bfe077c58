"""Reports: versioned JSON/JSONL for pipelines, a Rich view for people in a terminal."""

from .json_report import SCHEMA_VERSION, pair_dict, report_dict, report_json, report_jsonl, schema

__all__ = ["SCHEMA_VERSION", "pair_dict", "report_dict", "report_json", "report_jsonl", "schema"]
