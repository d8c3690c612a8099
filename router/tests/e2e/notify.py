"""The notify function voicemail, front-desk and transfer invoke after filing a message
(`notify_function` in workflows/switchboard.toml). In production it would text the owner; here
it records what it was told in the table $NOTIFICATIONS_TABLE, so a test can see that Step
Functions invoked it and with which payload."""

import json
import os

import boto3


def handler(event, context):
    boto3.client("dynamodb").put_item(
        TableName=os.environ["NOTIFICATIONS_TABLE"],
        Item={
            "from": {"S": event["from"]},
            "mailbox": {"S": event["mailbox"]},
            "key": {"S": event["key"]},
            "payload": {"S": json.dumps(event)},
            "function": {"S": context.function_name},
        },
    )
    return {"notified": True}
