# Shared by the metrics live tests, after lib.sh: free loopback ports,
# Prometheus' query API, and a wait on a query's value.

# free_port: a TCP port nobody listens on now (the kernel picks it).
free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# http_get URL: the body, or nothing and status 1.
http_get() {
	/usr/bin/python3 - "$1" <<'PY'
import sys, urllib.request
try:
    sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())
except Exception as e:
    sys.exit(1)
PY
}

# prom_query BASE QUERY: the value of the first sample of an instant query
# against the Prometheus at BASE (http://127.0.0.1:PORT), or "none".
prom_query() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys, urllib.parse, urllib.request
url = sys.argv[1] + "/api/v1/query?" + urllib.parse.urlencode({"query": sys.argv[2]})
try:
    r = json.load(urllib.request.urlopen(url, timeout=5))
    print(r["data"]["result"][0]["value"][1] if r["data"]["result"] else "none")
except Exception as e:
    print("none")
PY
}

# wait_value WHAT TIMEOUT CMD...: until CMD prints a line that the awk
# condition WHAT holds for ($1 is the value), for up to TIMEOUT seconds.
# Prints the last value; status 1 after the timeout.
wait_value() {
	local what=$1 timeout=$2 v i
	shift 2
	for ((i = 0; i < timeout * 5; i++)); do
		v=$("$@")
		if awk -v v="$v" "BEGIN { \$0 = v; exit !($what) }" 2>/dev/null; then
			echo "$v"
			return 0
		fi
		sleep 0.2
	done
	echo "$v"
	return 1
}

# stop_pid PID: SIGTERM and wait (a server of ours, never a tracer: those
# get SIGINT in finish).
stop_pid() {
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# dribble HOST PORT N SRC[,SRC...]: N connections to HOST:PORT from the
# loopback addresses SRC in turn, each a request that never ends: its
# first line, then one header byte every 2 s (slowloris). Prints
# "holding N" once all are connected, and "closed SRC AGE" (seconds since
# its connect, within 0.1 s) for each one the server ends, which is opened
# again when its next byte is due, as an attacker would. Runs until killed.
dribble() {
	/usr/bin/python3 - "$@" <<'PY'
import socket, sys, time
host, port, n, srcs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(",")

def connect(src):
    s = socket.create_connection((host, port), source_address=(src, 0))
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    return [s, src, time.monotonic(), time.monotonic()]  # socket, source, connect, last byte

def ended(s):
    try:
        return s.recv(4096, socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True

conns = [connect(srcs[i % len(srcs)]) for i in range(n)]
print("holding", n, flush=True)
while True:
    time.sleep(0.1)  # an end is seen within 0.1 s
    for c in conns:
        now = time.monotonic()
        if c[0] and ended(c[0]):
            print("closed", c[1], "%.1f" % (now - c[2]), flush=True)
            c[0].close()
            c[0] = None
        if now - c[3] < 2:
            continue
        if not c[0]:
            c[:] = connect(c[1])
            continue
        c[3] = now
        try:
            c[0].sendall(b"a")
        except OSError:
            pass
PY
}
