"""Runs moto 5.2.5's server on 127.0.0.1 with Step Functions execution switched on and three gaps
filled, for the router's end-to-end tests:

1. the interpreter's JSONata hook is unset (every JSONata expression and `$var` reference fails
   with "'NoneType' object is not callable"): plug in the pure-Python jsonata-python;
2. SendTaskFailure drops `cause`: pass it through;
3. StartExecution without a name gives the ARN suffix "None" and collides: name it with a UUID.

Usage: python launcher.py PORT
"""

import json
import os
import sys
import uuid

import jsonata
from moto.core.config import default_user_config
from moto.server import ThreadedMotoServer
from moto.stepfunctions import responses as sfn_responses
from moto.stepfunctions.parser import models as parser_models
from moto.stepfunctions.parser.asl.jsonata import jsonata as moto_jsonata


def eval_jsonata(expression):
    result = jsonata.Jsonata(expression).evaluate(None)
    # jsonata-python returns its own sequence types; hand the interpreter plain JSON values.
    return None if result is None else json.loads(json.dumps(result))


def send_task_failure_with_cause(self):
    self.stepfunction_backend.send_task_failure(
        self._get_param("taskToken"),
        error=self._get_param("error"),
        cause=self._get_param("cause"),
    )
    return sfn_responses.EmptyResult()


_start_execution = parser_models.StepFunctionsParserBackend.start_execution


def start_execution_named(self, state_machine_arn, name=None, execution_input=None, trace_header=None):
    return _start_execution(self, state_machine_arn, name or str(uuid.uuid4()), execution_input, trace_header)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    # The interpreter's service integrations call back into this server at localhost:MOTO_PORT.
    os.environ["MOTO_PORT"] = str(port)
    default_user_config["stepfunctions"] = {"execute_state_machine": True}
    moto_jsonata._eval_jsonata = eval_jsonata
    sfn_responses.StepFunctionResponse.send_task_failure = send_task_failure_with_cause
    parser_models.StepFunctionsParserBackend.start_execution = start_execution_named
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    print(f"moto ready on http://127.0.0.1:{port}", flush=True)
    try:
        server._thread.join()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
