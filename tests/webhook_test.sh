#!/usr/bin/env bash
# ia_webhook_post against a local HTTP server started here (python3's
# http.server on 127.0.0.1, port chosen by the system): the body, the
# Content-Type and the User-Agent arrive; a 500, a redirect, a refused
# connection, an ftp:// URL and a receiver slower than the timeout are each
# reported as an error that names the URL's host (never its path or query,
# where webhooks keep their secret) and what happened.
#   webhook_test.sh WEBHOOK_POST_PROGRAM
set -uo pipefail
post=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/shell_test_lib.sh"
# A proxy from the environment would send our local requests elsewhere.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*' NO_PROXY='*'

# The receiver: one JSON line per request (path, headers, body) in
# $tmp/requests.jsonl; /fail answers 500, /slow answers after 5 s,
# /redirect answers 302 to /moved, anything else 200.
python3 - "$tmp" <<'PY' &
import http.server, json, os, sys, time
out = sys.argv[1]
class Receiver(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(os.path.join(out, "requests.jsonl"), "a") as f:
            f.write(json.dumps({"path": self.path, "headers": dict(self.headers),
                                "body": body.decode("utf-8")}) + "\n")
        if self.path == "/slow":
            time.sleep(5)
        if self.path == "/fail":
            self.send_response(500)
            reply = b"boom: the receiver broke\n"
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/moved")
            reply = b""
        else:
            self.send_response(200)
            reply = b"ok"
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
with open(os.path.join(out, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
server.serve_forever()
PY
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [[ -s $tmp/port ]] && break; sleep 0.1; done
[[ -s $tmp/port ]] || { echo "FAIL the test server did not start"; exit 1; }
port=$(cat "$tmp/port")
base="http://127.0.0.1:$port"

printf '{"regressions": [{"model": "bert", "change_pct": 10.5}]}' >"$tmp/body.json"

# Python json keeps the received headers' names as sent.
received() { # received INDEX FIELD: the FIELD of the INDEXth request (0-based)
  python3 -c 'import json, sys
req = [json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2])]
f = sys.argv[3]
print(req[f] if f in ("path", "body") else {k.lower(): v for k, v in req["headers"].items()}.get(f, ""))' \
    "$tmp/requests.jsonl" "$1" "$2"
}

check "a 200 is success" 0 -- "$post" "$base/hook" "$tmp/body.json"
expect "the body arrives unchanged" [ "$(received 0 body)" == "$(cat "$tmp/body.json")" ]
expect "the path is the URL's" [ "$(received 0 path)" == "/hook" ]
expect "Content-Type is JSON" [ "$(received 0 content-type)" == "application/json" ]
expect "the User-Agent names us" grep -q '^ipfs-accelerate/[0-9]' <<<"$(received 0 user-agent)"

check "a 500 is an error" 1 -- "$post" "$base/fail" "$tmp/body.json"
expect "the 500 error names the host (not the secret path) and the status" \
  grep -q "webhook $base/...: the receiver answered HTTP 500: boom: the receiver broke" "$tmp/err"
expect "the secret path is not printed" bash -c "! grep -q /fail '$tmp/err'"

check "a redirect is an error" 1 -- "$post" "$base/redirect" "$tmp/body.json"
expect "the redirect error names the status" grep -q "webhook $base/...: .*HTTP 302" "$tmp/err"
expect "the redirect is not followed" [ "$(grep -c '"/moved"' "$tmp/requests.jsonl")" == 0 ]

# A port nobody listens on: bound, then released before the post.
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
check "a refused connection is an error" 1 -- "$post" "http://127.0.0.1:$closed/hook" "$tmp/body.json"
expect "the refusal names the host and the cause" \
  grep -Eq "webhook http://127.0.0.1:$closed/\.\.\.: .*(refused|Couldn't connect)" "$tmp/err"

count_before=$(wc -l <"$tmp/requests.jsonl")
check "ftp:// is refused" 1 -- "$post" "ftp://127.0.0.1:$port/hook" "$tmp/body.json"
expect "the ftp refusal says which schemes work" \
  grep -q "webhook ftp://127.0.0.1:$port/...: only http:// and https:// URLs are supported" "$tmp/err"
check "file:// is refused" 1 -- "$post" "file:///etc/passwd" "$tmp/body.json"
expect "refused schemes sent nothing" [ "$(wc -l <"$tmp/requests.jsonl")" == "$count_before" ]

start=$(date +%s%N)
check "a receiver slower than the timeout is an error" 1 -- "$post" "$base/slow" "$tmp/body.json" 500
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "the timeout error names the URL and says it timed out" \
  grep -Eiq "webhook $base/\.\.\.: .*timed out" "$tmp/err"
expect "the timeout is honoured (${elapsed_ms} ms for a 500 ms limit)" [ "$elapsed_ms" -lt 3000 ]

shell_test_finish
