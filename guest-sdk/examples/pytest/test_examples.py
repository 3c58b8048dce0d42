"""How to test firmware with mvemu and pytest, on the example firmware.

    ./mvemu pytest guest-sdk/examples/pytest/

Each test boots an ELF on an emulated device (the mvemu_device fixture) and
checks what it prints; the second one also gets an HTTPS server with its own
CA, reached through the profile's host map.
"""


def test_hello_logs_its_identity(mvemu_device, mvemu_build):
    dev = mvemu_device(mvemu_build / "guest-sdk/examples/hello.elf")
    dev.expect(r"server: hello from UV[0-9a-f]{32}")
    dev.expect_exact("notification received", source="server")
    assert dev.wait(timeout=10) == 0  # its own verdict: mvTestingComplete(0)


def test_http_json_reads_a_field(mvemu_device, mvemu_build, https_server):
    dev = mvemu_device(mvemu_build / "guest-sdk/examples/http-json.elf",
                       profile={"network.hosts": https_server.host_entry("api.example.com"),
                                "tls": {"ca_files": [https_server.ca]}})
    dev.expect(r"result 0, status 200, \d+ headers")
    dev.expect(r"greeting: ")
