"""``python -m dupefind.spark`` / ``spark-submit``: a scan on Spark written to a folder.

    spark-submit --master yarn -m dupefind.spark s3a://bucket/articles/*.parquet --out s3a://bucket/dupes
    python -m dupefind.spark corpus.jsonl --out /tmp/dupes --format jsonl --master 'local[2]'

Writes ``documents``, ``pairs`` (with passages), ``clusters``, ``skipped`` and ``capped`` under
``--out``, each as a Parquet or JSON Lines folder (a report of a hundred million articles is not
one JSON document). Nothing but the count of each is brought to the driver.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..config import Config
from ..errors import DupefindError
from .session import BUCKET_CAP, running_session

DEFAULT = Config()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, scan, write the outputs; 0 when done, 2 on a usage or input error."""
    parser = argparse.ArgumentParser(prog="python -m dupefind.spark", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+", help="Parquet or JSONL paths or globs Spark reads (or local folders)")
    parser.add_argument("--out", required=True, help="folder to write the outputs to (must not exist)")
    parser.add_argument("--format", choices=["parquet", "jsonl"], default="parquet")
    parser.add_argument("--master", default=None, help="Spark master (default: spark-submit's, or local[*])")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="a spark.* setting")
    parser.add_argument("--id-field", default="id")
    parser.add_argument("--text-field", default="text")
    parser.add_argument("--threshold", type=float, default=DEFAULT.threshold)
    parser.add_argument("--lsh-threshold", type=float, default=DEFAULT.lsh_threshold)
    parser.add_argument("--boilerplate-min-docs", type=int, default=DEFAULT.boilerplate_min_docs)
    parser.add_argument("--bucket-cap", type=int, default=BUCKET_CAP)
    args = parser.parse_args(argv)
    conf = dict(item.partition("=")[::2] for item in args.conf)
    try:
        config = Config(threshold=args.threshold, lsh_threshold=args.lsh_threshold, id_field=args.id_field,
                        text_field=args.text_field, boilerplate_min_docs=args.boilerplate_min_docs)
        with running_session(master=args.master or "local[*]", conf=conf) as spark:
            from .engine import scan_inputs

            found = scan_inputs(spark, args.inputs, config, bucket_cap=args.bucket_cap)
            for name in ("documents", "pairs", "clusters", "skipped", "capped"):
                frame = getattr(found, name)
                writer = frame.write.mode("errorifexists")
                (writer.parquet if args.format == "parquet" else writer.json)(f"{args.out.rstrip('/')}/{name}")
                print(f"{name}: {frame.count():,} rows in {args.out.rstrip('/')}/{name}", file=sys.stderr)
    except DupefindError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
