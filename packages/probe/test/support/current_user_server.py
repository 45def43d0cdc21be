"""A Python server whose handler keeps the signed-in user somewhere, then answers with it.

    python3 current_user_server.py global|local PARTIES PASS_FIRST

`global` keeps the user in a module-level variable: the bug, as a Flask or
Django app that stores "the current user" in a global has it. `local` keeps
it in a variable of the request: the fix. Between setting the user and
reading it back, where a real app would query a database (or, in the issue
that asked for this test, sleep), each request waits at a barrier until
PARTIES requests have set theirs: the worst interleaving, forced, so the
leak never depends on timing. The first PASS_FIRST requests do not wait:
the probe sends its sample requests one at a time before the load.

Prints the port it listens on (127.0.0.1, chosen by the system), then
serves until it is killed.
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = sys.argv[1]
ROUND = threading.Barrier(int(sys.argv[2]), timeout=30)
PASS_FIRST = int(sys.argv[3])

current_user = None
arrivals = 0
arrivals_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    # Keep-alive, as the probe's connections expect; headers and body leave at
    # once, not 40 ms apart behind Nagle's algorithm and a delayed ACK.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):
        global current_user, arrivals
        user = self.headers.get("x-user")
        if MODE == "global":
            current_user = user
        with arrivals_lock:
            arrivals += 1
            held = arrivals > PASS_FIRST
        if held:
            ROUND.wait()
        answer = current_user if MODE == "global" else user
        body = json.dumps({"user": answer}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
