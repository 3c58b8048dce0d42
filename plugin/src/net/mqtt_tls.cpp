#include "net/mqtt_tls.h"

#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <memory>

namespace mvemu {

namespace {

// OpenSSL would free its global state from an atexit handler, which runs
// before QEMU's exit notifiers destroy the backend: a connect worker or the
// event loop still using TLS would then crash. Initialise it first, without
// that handler (the process is ending anyway). Runs when the backend loads.
const bool openssl_initialised = OPENSSL_init_ssl(
    OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_LOAD_SSL_STRINGS | OPENSSL_INIT_LOAD_CRYPTO_STRINGS,
    nullptr) == 1;

std::string mbedtls_reason(int rc) {
    char text[160];
    mbedtls_strerror(rc, text, sizeof text);
    return text;
}

// The index of our verification-error slot in an SSL_CTX's ex data.
int error_slot_index() {
    static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

int record_verify_error(int ok, X509_STORE_CTX* store) {
    if (!ok) {
        auto* ssl = static_cast<SSL*>(
            X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
        auto* slot = ssl ? static_cast<int*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl),
                                                                 error_slot_index()))
                         : nullptr;
        if (slot && *slot == 0) {
            *slot = X509_STORE_CTX_get_error(store);
        }
    }
    return ok;
}

X509* der_certificate(const std::vector<uint8_t>& der) {
    const unsigned char* p = der.data();
    return d2i_X509(nullptr, &p, static_cast<long>(der.size()));
}

// Every certificate in a PEM text, or the one DER certificate.
std::vector<X509*> file_certificates(const std::string& text) {
    std::vector<X509*> out;
    BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
    while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
        out.push_back(cert);
    }
    BIO_free(bio);
    ERR_clear_error();  // the end of the PEM text reads as an error
    if (out.empty()) {
        std::vector<uint8_t> der(text.begin(), text.end());
        if (X509* cert = der_certificate(der)) {
            out.push_back(cert);
        }
    }
    return out;
}

}  // namespace

MqttTlsMaterial::~MqttTlsMaterial() {
    volatile uint8_t* p = key.data();
    for (size_t i = 0; i < key.size(); i++) {
        p[i] = 0;
    }
}

std::string check_tls_material(const MqttTlsMaterial& m) {
    auto check_chain = [](const std::vector<std::vector<uint8_t>>& certs, const char* what,
                          mbedtls_x509_crt* keep) -> std::string {
        for (size_t i = 0; i < certs.size(); i++) {
            mbedtls_x509_crt crt;
            mbedtls_x509_crt_init(&crt);
            int rc = mbedtls_x509_crt_parse_der(keep ? keep : &crt, certs[i].data(),
                                                certs[i].size());
            mbedtls_x509_crt_free(&crt);
            if (rc != 0) {
                return std::string(what) + " " + std::to_string(i + 1) + " of " +
                       std::to_string(certs.size()) + " is not a DER X.509 certificate (" +
                       mbedtls_reason(rc) + ")";
            }
        }
        return {};
    };
    if (std::string problem = check_chain(m.ca, "CA certificate", nullptr); !problem.empty()) {
        return problem;
    }
    mbedtls_x509_crt leaf;
    mbedtls_x509_crt_init(&leaf);
    std::unique_ptr<mbedtls_x509_crt, void (*)(mbedtls_x509_crt*)> leaf_guard(
        &leaf, mbedtls_x509_crt_free);
    if (std::string problem = check_chain(m.chain, "client certificate", &leaf);
        !problem.empty()) {
        return problem;
    }
    if (m.chain.empty()) {
        return {};
    }
    mbedtls_pk_context key;
    mbedtls_pk_init(&key);
    int rc = mbedtls_pk_parse_key(&key, m.key.data(), m.key.size(), nullptr, 0);
    std::string problem;
    if (rc != 0) {
        problem = "the private key is not a PKCS#8 DER key (" + mbedtls_reason(rc) + ")";
    } else if (mbedtls_pk_check_pair(&leaf.pk, &key) != 0) {
        problem = "the private key does not belong to the client certificate";
    }
    mbedtls_pk_free(&key);
    return problem;
}

bool parse_ca_file(const std::string& text, std::string& problem) {
    std::vector<X509*> certs = file_certificates(text);
    for (X509* c : certs) {
        X509_free(c);
    }
    if (certs.empty()) {
        problem = "holds no PEM or DER certificate";
        return false;
    }
    return true;
}

SSL_CTX* make_client_context(const MqttTlsMaterial& m, const std::vector<std::string>& extra_cas,
                             const std::string& host, int* verify_error) {
    if (!openssl_initialised) {
        return nullptr;
    }
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        return nullptr;
    }
    bool ok = SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1;
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    if (!m.ca.empty()) {
        for (const auto& der : m.ca) {
            X509* cert = der_certificate(der);
            ok = ok && cert && X509_STORE_add_cert(store, cert) == 1;
            X509_free(cert);
        }
    } else {
        // The device trusts well-known roots: here the host's store, plus
        // what the profile adds for test brokers.
        ok = ok && SSL_CTX_set_default_verify_paths(ctx) == 1;
        for (const std::string& text : extra_cas) {
            for (X509* cert : file_certificates(text)) {
                X509_STORE_add_cert(store, cert);
                X509_free(cert);
            }
        }
    }
    if (!m.chain.empty()) {
        X509* leaf = der_certificate(m.chain[0]);
        ok = ok && leaf && SSL_CTX_use_certificate(ctx, leaf) == 1;
        X509_free(leaf);
        for (size_t i = 1; i < m.chain.size(); i++) {
            X509* cert = der_certificate(m.chain[i]);
            ok = ok && cert && SSL_CTX_add1_chain_cert(ctx, cert) == 1;
            X509_free(cert);
        }
        const unsigned char* p = m.key.data();
        EVP_PKEY* key = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(m.key.size()));
        ok = ok && key && SSL_CTX_use_PrivateKey(ctx, key) == 1 && SSL_CTX_check_private_key(ctx) == 1;
        EVP_PKEY_free(key);
    }
    // The name the application asked for, also when the profile's host map
    // sends the connection elsewhere.
    X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    ok = ok && X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) == 1;
    *verify_error = 0;
    ok = ok && SSL_CTX_set_ex_data(ctx, error_slot_index(), verify_error) == 1;
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, record_verify_error);
    ERR_clear_error();
    if (!ok) {
        SSL_CTX_free(ctx);
        return nullptr;
    }
    return ctx;
}

TlsFailure classify_verify_error(int e) {
    switch (e) {
    case 0:
        return TlsFailure::other;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return TlsFailure::expired;
    default:
        return TlsFailure::unknown_ca;  // untrusted chain, wrong name, ...
    }
}

}  // namespace mvemu
