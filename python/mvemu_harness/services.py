"""The servers a firmware test talks to, started for it on loopback: a
Mosquitto broker and an HTTPS server with its own CA (used by the pytest
plugin and by scenarios)."""
import os
import pwd
import queue
import re
import socket
import subprocess
import sys
import threading
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pump(stream, handle):
    threading.Thread(target=lambda: [handle(l.rstrip("\n")) for l in stream], daemon=True).start()


class Broker:
    """mosquitto on a free 127.0.0.1 port, anonymous, plain TCP; with
    `tls`, also a TLS listener (`tls_port`) that wants a client certificate,
    with certificates made for the run in `cert_dir` (CA `ca.pem`/`ca.der`,
    the client's `client.der` and PKCS#8 `client-key.der`, the server's
    certificate valid for mqtt.example.com and 127.0.0.1)."""
    MARK = "mvemu/harness/mark"

    def __init__(self, workdir, tls=False):
        self.port = free_port()
        self.tls_port = None
        self.cert_dir = None
        conf = os.path.join(workdir, "mosquitto.conf")
        listeners = f"listener {self.port} 127.0.0.1\nallow_anonymous true\n"
        if tls:
            self.cert_dir = os.path.join(workdir, "certs")
            subprocess.run([sys.executable, os.path.join(REPO, "tests", "firmware", "mqtt", "make_certs.py"),
                            self.cert_dir, os.path.join(self.cert_dir, "certs.h")], check=True,
                           timeout=60)
            self.tls_port = free_port()
            d = self.cert_dir
            listeners += (f"listener {self.tls_port} 127.0.0.1\nallow_anonymous true\n"
                          f"cafile {d}/ca.pem\ncertfile {d}/server.pem\nkeyfile {d}/server.key\n"
                          "require_certificate true\n")
        with open(conf, "w") as f:
            f.write(f"user {pwd.getpwuid(os.getuid()).pw_name}\nper_listener_settings true\n"
                    + listeners)
        self.log = open(os.path.join(workdir, "mosquitto.log"), "w")
        self.proc = subprocess.Popen(["/usr/sbin/mosquitto", "-c", conf], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            try:
                for port in (self.port, self.tls_port):
                    if port:
                        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("mosquitto did not start")
                time.sleep(0.02)
        self.subs = []
        self.messages = queue.Queue()
        self.seen = []

    def host_entry(self, name="mqtt.example.com", tls=False):
        """A [network.hosts] entry sending `name` to this broker (its TLS
        listener with `tls`)."""
        return {name: f"127.0.0.1:{self.tls_port if tls else self.port}"}

    def publish(self, topic, payload, qos=1, retain=False):
        cmd = ["mosquitto_pub", "-h", "127.0.0.1", "-p", str(self.port), "-q", str(qos),
               "-t", topic, "-m", payload] + (["-r"] if retain else [])
        subprocess.run(cmd, check=True, timeout=10, stdout=subprocess.DEVNULL)

    def subscribe(self, topic):
        """Receive what is published to `topic` from now on (after this returns)."""
        sub = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(self.port), "-q", "1",
                                "-v", "-t", topic, "-t", self.MARK], stdout=subprocess.PIPE,
                               text=True, errors="replace")
        self.subs.append(sub)
        ready = threading.Event()

        def handle(line):
            if line.startswith(self.MARK + " "):
                ready.set()
            else:
                t, _, p = line.partition(" ")
                self.messages.put((t, p))
        _pump(sub.stdout, handle)
        deadline = time.monotonic() + 10
        while not ready.is_set() and time.monotonic() < deadline:
            self.publish(self.MARK, "ready", qos=0)
            ready.wait(0.1)
        if not ready.is_set():
            raise RuntimeError("mosquitto_sub did not subscribe in time")

    def next_message(self, deadline):
        """The next (topic, payload) received, or None at the deadline."""
        try:
            m = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return None
        self.seen.append(m)
        return m

    def expect_message(self, topic_regex, timeout=10.0):
        """The next (topic, payload) whose topic matches, within `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            m = self.next_message(deadline)
            if m is None:
                raise AssertionError(f"no MQTT message on /{topic_regex}/ within {timeout:g} s")
            if re.search(topic_regex, m[0]):
                return m

    def stop(self):
        for p in self.subs + [self.proc]:
            if p.poll() is None:
                p.kill()
                p.wait()
        self.log.close()


class HttpsServer:
    """tests/https_server.py with a CA made for the run; every request it
    answers is queued as (method, path)."""

    def __init__(self, workdir):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(REPO, "tests", "https_server.py"), "--serve", workdir,
             "--max-seconds", "3600"], stdout=subprocess.PIPE, text=True)
        self.port = None
        for line in self.proc.stdout:
            m = re.match(r"^port (\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        if not self.port:
            raise RuntimeError("the HTTPS server did not start")
        self.ca = os.path.join(workdir, "ca.pem")
        self.requests = queue.Queue()
        self.seen = []

        def handle(line):
            m = re.match(r"^https: (\S+) (\S+) -> ", line)
            if m:
                self.requests.put((m.group(1), m.group(2)))
        _pump(self.proc.stdout, handle)

    def host_entry(self, name="api.example.com"):
        return {name: f"127.0.0.1:{self.port}"}

    def next_request(self, deadline):
        """The next (method, path) served, or None at the deadline."""
        try:
            r = self.requests.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return None
        self.seen.append(r)
        return r

    def stop(self):
        self.proc.kill()
        self.proc.wait()
