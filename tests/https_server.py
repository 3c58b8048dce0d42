#!/usr/bin/env python3
"""A local HTTPS server for the HTTP channel tests and the HTTP example.

Certificates are made with the openssl command into a directory:
  ca.pem                 the test CA (the profile's [tls] ca_files names it)
  server.pem/key         api.example.com, localhost, 127.0.0.1, signed by the CA
  expired.pem/key        expired.example.com, signed by the CA, expired in 2020
  wrongca.pem/key        wrongca.example.com, signed by another CA
The server picks the certificate by the name the client asks for (SNI).

Routes (every method):
  /status/NNN            status NNN, body "status NNN\\n"
  /headers/N             N extra headers X-Mvemu-<i>: value-<i>
  /bytes/N               N binary bytes, byte i = (i * 37 + 11) & 0xff
  /chunked/N/C           the same N bytes, chunked, C bytes a chunk
  /slow/MS               answers after MS milliseconds
  /reset                 resets the connection after reading the request
  /echo                  the request body back; X-Echo-Method, X-Echo-Body-Length,
                         X-Echo-Custom (the request's X-Custom header)
  /redirect              302 to /status/200
  /json                  a small JSON document (the example firmware's)

Run alone (./mvemu example-http does): python3 tests/https_server.py --serve DIR
prints "port N" and serves until killed.
"""
import argparse
import json
import os
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAMES = ("api.example.com", "expired.example.com", "wrongca.example.com")
JSON_DOC = {"device": "mvemu", "temperature_c": 21.5, "greeting": "hello from a local server"}


def pattern(n):
    return bytes((i * 37 + 11) & 0xFF for i in range(n))


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, timeout=30)


def make_certs(d):
    """The CAs and the three server certificates in directory d."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for ca, cn in (("ca", "mvemu test CA"), ("otherca", "mvemu other CA")):
        openssl("req", "-x509", *ec, "-keyout", f"{ca}.key", "-out", f"{ca}.pem", "-subj", f"/CN={cn}",
                "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)
    with open(os.path.join(d, "ca.cnf"), "w") as f:
        f.write("[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\n"
                "default_md = sha256\npolicy = p\nunique_subject = no\n[p]\ncommonName = supplied\n")
    open(os.path.join(d, "index.txt"), "w").close()
    with open(os.path.join(d, "serial"), "w") as f:
        f.write("1000\n")
    for name, ca, sans, dates in (
            ("server", "ca", "DNS:api.example.com,DNS:localhost,IP:127.0.0.1", None),
            ("expired", "ca", "DNS:expired.example.com", ("20200101000000Z", "20200201000000Z")),
            ("wrongca", "otherca", "DNS:wrongca.example.com", None)):
        cn = sans.split(",")[0][4:]
        with open(os.path.join(d, f"{name}.ext"), "w") as f:
            f.write(f"subjectAltName = {sans}\nbasicConstraints = CA:FALSE\n"
                    "extendedKeyUsage = serverAuth\n")
        openssl("req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={cn}", cwd=d)
        start, end = dates or (time.strftime("%Y%m%d000000Z", time.gmtime(time.time() - 86400)),
                               time.strftime("%Y%m%d000000Z", time.gmtime(time.time() + 30 * 86400)))
        openssl("ca", "-batch", "-config", "ca.cnf", "-cert", f"{ca}.pem", "-keyfile", f"{ca}.key",
                "-in", f"{name}.csr", "-out", f"{name}.pem", "-notext", "-startdate", start,
                "-enddate", end, "-extfile", f"{name}.ext", cwd=d)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return "mvemu-test"

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        no_body = self.command == "HEAD" or status in (204, 304) or 100 <= status < 200
        if status not in (204, 304) and not 100 <= status < 200:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not no_body:
            self.wfile.write(body)
        self.server.record(f"{self.command} {self.path} -> {status}")

    def route(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = self.path.split("?")[0].strip("/").split("/")
        what, args = parts[0], parts[1:]
        try:
            if what == "status":
                code = int(args[0])
                self.send(code, f"status {code}\n".encode())
            elif what == "headers":
                n = int(args[0])
                self.send(200, b"ok", [(f"X-Mvemu-{i}", f"value-{i}") for i in range(n)])
            elif what == "bytes":
                self.send(200, pattern(int(args[0])), [("Content-Type", "application/octet-stream")])
            elif what == "chunked":
                data, size = pattern(int(args[0])), max(1, int(args[1]))
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                if self.command != "HEAD":
                    for i in range(0, len(data), size):
                        chunk = data[i:i + size]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")
                self.server.record(f"{self.command} {self.path} -> 200 chunked")
            elif what == "slow":
                time.sleep(int(args[0]) / 1000)
                self.send(200, b"slow ok")
            elif what == "reset":
                self.server.record(f"{self.command} {self.path} -> reset")
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
            elif what == "echo":
                self.send(200, body, [("X-Echo-Method", self.command),
                                      ("X-Echo-Body-Length", str(len(body))),
                                      ("X-Echo-Custom", self.headers.get("X-Custom", "-"))])
            elif what == "redirect":
                self.send(302, b"moved\n", [("Location", "/status/200")])
            elif what == "json":
                self.send(200, json.dumps(JSON_DOC).encode(), [("Content-Type", "application/json")])
            else:
                self.send(404, b"no such route\n")
        except (IndexError, ValueError):
            self.send(400, b"bad route arguments\n")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = route


class HttpsServer(ThreadingHTTPServer):
    """HTTPS on 127.0.0.1 at a kernel-chosen port, certificates by SNI, a thread per
    connection (handshakes included, so one stalled client stalls nobody)."""
    daemon_threads = True

    def __init__(self, cert_dir, connection_timeout=15.0):
        super().__init__(("127.0.0.1", 0), Handler)
        self.port = self.server_address[1]
        self.ca_path = os.path.join(cert_dir, "ca.pem")
        self.connection_timeout = connection_timeout
        self.log = []
        self.log_lock = threading.Lock()
        self.echo = False  # --serve: each request on standard output too
        contexts = {}
        for name, files in zip(NAMES, ("server", "expired", "wrongca")):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(os.path.join(cert_dir, f"{files}.pem"), os.path.join(cert_dir, f"{files}.key"))
            ctx.set_alpn_protocols(["http/1.1"])
            contexts[name] = ctx
        self.context = contexts["api.example.com"]

        def pick(sock, name, _ctx):
            if name in contexts:
                sock.context = contexts[name]
        self.context.sni_callback = pick
        self.thread = None

    def record(self, text):
        with self.log_lock:
            self.log.append(text)
            if self.echo:
                print(f"https: {text}", flush=True)

    def finish_request(self, request, client_address):
        request.settimeout(self.connection_timeout)
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as e:
            self.record(f"handshake failed: {getattr(e, 'reason', None) or e}")
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        except (OSError, ValueError):
            pass  # the client went away (or /reset did)
        finally:
            tls.close()

    def handle_error(self, request, client_address):
        pass

    def start(self):
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        """Bounded; safe to call twice."""
        if self.thread and self.thread.is_alive():
            self.shutdown()
            self.thread.join(5)
        self.server_close()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--serve", metavar="DIR", required=True, help="make certificates in DIR and serve")
    p.add_argument("--max-seconds", type=float, default=600, help="stop after this long")
    a = p.parse_args()
    os.makedirs(a.serve, exist_ok=True)
    make_certs(a.serve)
    server = HttpsServer(a.serve)
    server.echo = True
    server.start()
    print(f"port {server.port}", flush=True)
    try:
        time.sleep(a.max_seconds)
    except KeyboardInterrupt:
        pass
    server.stop()


if __name__ == "__main__":
    sys.exit(main())
