#!/usr/bin/env python3
"""Certificates for the MQTT TLS tests, made with the openssl command.

make_certs.py OUTDIR HEADER: in OUTDIR a test CA, a server certificate it
signs (for every name the tests use, and 127.0.0.1), an expired one, one
signed by another CA, and a client certificate with its PKCS#8 key; HEADER
is a C header with the CA, the client certificate and its key as DER arrays
for the firmware. The runner's --mqtt-tls-dir points its broker at OUTDIR.
"""
import os
import subprocess
import sys

NAMES = ["mqtt.example.com", "expired.example.com", "wrongca.example.com", "client.example.com",
         "noclient.example.com"]


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def main():
    out, header = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)
    ext = p("server.ext")
    with open(ext, "w") as f:
        f.write("subjectAltName=" + ",".join(f"DNS:{n}" for n in NAMES) + ",IP:127.0.0.1\n")
    for ca in ("ca", "other-ca"):
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p(ca + ".key"),
                "-out", p(ca + ".pem"), "-days", "3650", "-subj", f"/CN=mvemu test {ca}")
    for name, ca, days, extfile in [("server", "ca", "3650", ext), ("expired", "ca", "-1", ext),
                                    ("wrongca", "other-ca", "3650", ext),
                                    ("client", "ca", "3650", None)]:
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", p(name + ".key"), "-out",
                p(name + ".csr"), "-subj", f"/CN=mvemu {name}")
        openssl("x509", "-req", "-in", p(name + ".csr"), "-CA", p(ca + ".pem"), "-CAkey",
                p(ca + ".key"), "-CAcreateserial", "-out", p(name + ".pem"), "-days", days,
                *(["-extfile", extfile] if extfile else []))
    openssl("x509", "-in", p("ca.pem"), "-outform", "DER", "-out", p("ca.der"))
    openssl("x509", "-in", p("client.pem"), "-outform", "DER", "-out", p("client.der"))
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", p("client.key"), "-outform", "DER", "-out",
            p("client-key.der"))
    with open(header, "w") as h:
        h.write("/* Made by make_certs.py for the MQTT TLS tests. */\n#include <stdint.h>\n")
        for var, name in [("mq_ca_der", "ca.der"), ("mq_client_der", "client.der"),
                          ("mq_client_key_der", "client-key.der")]:
            data = open(p(name), "rb").read()
            h.write(f"static const uint8_t {var}[{len(data)}] = {{\n")
            for i in range(0, len(data), 16):
                h.write("    " + ", ".join(f"0x{b:02x}" for b in data[i:i + 16]) + ",\n")
            h.write("};\n")


if __name__ == "__main__":
    main()
