// TLS for MQTT channels (docs/mqtt.md "TLS"): the application's DER
// certificates and PKCS#8 key, checked with Mbed TLS when it asks to
// connect, and the OpenSSL context libmosquitto connects with, built from
// them in memory (nothing is written to disk).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

typedef struct ssl_ctx_st SSL_CTX;

namespace mvemu {

struct MqttTlsMaterial {
    std::vector<std::vector<uint8_t>> ca;     // the application's CA chain (may be empty)
    std::vector<std::vector<uint8_t>> chain;  // its own certificate chain, leaf first
    std::vector<uint8_t> key;                 // PKCS#8 DER, secret
    MqttTlsMaterial() = default;
    MqttTlsMaterial(const MqttTlsMaterial&) = default;
    MqttTlsMaterial(MqttTlsMaterial&&) = default;
    MqttTlsMaterial& operator=(const MqttTlsMaterial&) = default;
    MqttTlsMaterial& operator=(MqttTlsMaterial&&) = default;
    ~MqttTlsMaterial();  // wipes the key
};

// What is wrong with the material (which certificate, Mbed TLS's reason),
// or empty when every certificate parses, the key parses and matches the
// leaf certificate. Never mentions the key's bytes.
std::string check_tls_material(const MqttTlsMaterial& material);

// Whether `pem_or_der` holds at least one certificate (profile CA files).
bool parse_ca_file(const std::string& pem_or_der, std::string& problem);

// A client context: trusts the application's CAs or, without them, the
// host's store plus `extra_cas` (file contents, PEM or DER); verifies the
// server's certificate for `host`; presents the application's chain and key.
// The first verification error is stored in `*verify_error` (an OpenSSL
// X509_V_ERR_* code). Null on failure.
SSL_CTX* make_client_context(const MqttTlsMaterial& material,
                             const std::vector<std::string>& extra_cas, const std::string& host,
                             int* verify_error);

// How a failed TLS connect is reported, from the verification error.
enum class TlsFailure { other, unknown_ca, expired };
TlsFailure classify_verify_error(int verify_error);

}  // namespace mvemu
