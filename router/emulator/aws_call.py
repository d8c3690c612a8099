"""Makes AWS API calls against the emulator with boto3 (installed with moto), for the router's
end-to-end tests: setting up what a flow uses (tables, roles, functions) and reading back what
a call left behind. Keeping these calls here spares the Rust tests compiling an SDK crate per
service for a handful of calls.

Reads a JSON list of calls on stdin:
    [{"service": "dynamodb", "operation": "create_table", "params": {...},
      "ignore": ["ResourceInUseException"]}, ...]
and prints a JSON list of the responses (null for an ignored error). Blob parameters (e.g.
Lambda's Code.ZipFile) are given as base64 text, as the AWS CLI takes them. The endpoint is
$SWITCHBOARD_MOTO_URL. Exits 1 naming the call that failed and why.
"""

import base64
import datetime
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError


def decode_blobs(shape, value):
    """Base64-decodes the blob members of `value` following the operation's input shape."""
    if shape is None or value is None:
        return value
    if shape.type_name == "blob" and isinstance(value, str):
        return base64.b64decode(value)
    if shape.type_name == "structure" and isinstance(value, dict):
        return {k: decode_blobs(shape.members.get(k), v) for k, v in value.items()}
    if shape.type_name == "list" and isinstance(value, list):
        return [decode_blobs(shape.member, v) for v in value]
    if shape.type_name == "map" and isinstance(value, dict):
        return {k: decode_blobs(shape.value, v) for k, v in value.items()}
    return value


def plain(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if hasattr(value, "read"):
        return plain(value.read())
    raise TypeError(f"cannot show {type(value).__name__} as JSON")


def main():
    endpoint = os.environ.get("SWITCHBOARD_MOTO_URL")
    if not endpoint:
        sys.exit("aws_call.py: SWITCHBOARD_MOTO_URL is not set; run router/emulator/run-e2e.sh")
    calls = json.load(sys.stdin)
    clients = {}
    results = []
    for i, call in enumerate(calls):
        service, operation = call["service"], call["operation"]
        if service not in clients:
            clients[service] = boto3.client(
                service,
                endpoint_url=endpoint,
                region_name="us-east-1",
                aws_access_key_id="test",
                aws_secret_access_key="test",
            )
        client = clients[service]
        model = client.meta.service_model.operation_model(
            client.meta.method_to_api_mapping[operation]
        )
        params = decode_blobs(model.input_shape, call.get("params", {}))
        try:
            response = getattr(client, operation)(**params)
        except ClientError as e:
            if e.response["Error"]["Code"] in call.get("ignore", []):
                results.append(None)
                continue
            sys.exit(f"aws_call.py: call {i} ({service} {operation}) failed: {e}")
        response.pop("ResponseMetadata", None)
        results.append(response)
    json.dump(results, sys.stdout, default=plain)


if __name__ == "__main__":
    main()
