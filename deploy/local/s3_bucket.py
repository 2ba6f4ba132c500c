"""Probe the local S3 gateway and create the stack's bucket (used by deploy/local/up).

Runs in the stack's CKAN venv (boto3 is pinned there); settings come from S3_* variables.
Usage: s3_bucket.py list | ensure-bucket
"""

from __future__ import annotations

import os
import sys

import boto3
from botocore.config import Config


def main(action: str) -> int:
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["S3_ENDPOINT"],
        aws_access_key_id=os.environ["S3_ACCESS_KEY"],
        aws_secret_access_key=os.environ["S3_SECRET_KEY"],
        region_name=os.environ["S3_REGION"],
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                      retries={"max_attempts": 1}, connect_timeout=3, read_timeout=10),
    )
    names = [b["Name"] for b in s3.list_buckets().get("Buckets", [])]
    if action == "list":
        print("\n".join(names))
        return 0
    bucket = os.environ["S3_BUCKET"]
    if bucket not in names:
        s3.create_bucket(Bucket=bucket)
        print(f"created bucket {bucket}")
    s3.head_bucket(Bucket=bucket)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "list"))
