#include "net/http_client.h"

#include <curl/curl.h>
#include <glib.h>

#include <algorithm>
#include <cctype>

#include <fstream>
#include <future>
#include <iterator>
#include <mutex>

namespace mvemu {

namespace {

// What a failed transfer's code means, in the console's words.
std::string describe_failure(CURLcode code, const char* detail, uint32_t timeout_ms) {
    std::string kind;
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
        kind = "DNS: the host name does not resolve";
        break;
    case CURLE_COULDNT_CONNECT:
        kind = "connect: refused or unreachable";
        break;
    case CURLE_OPERATION_TIMEDOUT:
        kind = "timeout: no complete response within " + std::to_string(timeout_ms) + " ms";
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
        kind = "TLS: the server's certificate was not accepted (expired, unknown CA or another name)";
        break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
        kind = "TLS: the handshake failed";
        break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        kind = "connection: reset or closed by the server before the response was complete";
        break;
    case CURLE_URL_MALFORMAT:
        kind = "URL: malformed";
        break;
    case CURLE_WEIRD_SERVER_REPLY:
        kind = "HTTP: the server's reply is not HTTP";
        break;
    default:
        kind = "request failed";
        break;
    }
    std::string text = kind + " (curl: " + curl_easy_strerror(code);
    if (detail && *detail) {
        text += std::string(": ") + detail;
    }
    return text + ")";
}

std::string read_text_file(const char* path) {
    if (!path) {
        return {};
    }
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

struct HttpClient::Engine {
    struct Transfer {
        uint64_t id = 0;
        CURL* easy = nullptr;
        curl_slist* headers = nullptr;
        curl_slist* connect_to = nullptr;
        HttpTransferRequest request;
        HttpTransferOutcome outcome;
        uint64_t header_bytes = 0;
        bool too_large = false;
        char error[CURL_ERROR_SIZE] = {};
        std::function<void(HttpTransferOutcome)> deliver;

        // The header and body bytes so far still fit the receive buffer;
        // once they do not, the transfer is marked and ends.
        bool fits() {
            if (header_bytes + outcome.body.size() > request.max_response) {
                too_large = true;
                return false;
            }
            return true;
        }
    };

    EventLoop& loop;
    MainQueue& queue;
    HttpClientSettings settings;
    std::string ca_bundle;  // the host's store and the profile's CAs, when there are any
    CURLM* multi = nullptr;
    std::map<curl_socket_t, guint> watches;
    guint timer = 0;
    std::map<uint64_t, std::unique_ptr<Transfer>> transfers;

    Engine(EventLoop& l, MainQueue& q, HttpClientSettings s)
        : loop(l), queue(q), settings(std::move(s)) {
        if (!settings.ca_pem.empty()) {
            const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
            ca_bundle = read_text_file(info->cainfo);
            for (const auto& pem : settings.ca_pem) {
                ca_bundle += "\n" + pem + "\n";
            }
        }
    }

    // ---- loop thread only below ----

    bool ensure_multi() {
        if (multi) {
            return true;
        }
        multi = curl_multi_init();
        if (!multi) {
            return false;
        }
        curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Engine::on_socket);
        curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Engine::on_timer);
        curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
        return true;
    }

    static size_t on_header(char* data, size_t size, size_t count, void* user) {
        auto* t = static_cast<Transfer*>(user);
        size_t n = size * count;
        std::string line(data, n);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
            line.pop_back();
        }
        if (line.rfind("HTTP/", 0) == 0) {
            // A new response (after a 100 Continue, say): its headers only.
            t->outcome.headers.clear();
            t->header_bytes = 0;
            return n;
        }
        if (line.empty()) {
            return n;
        }
        t->header_bytes += line.size();
        t->outcome.headers.push_back(std::move(line));
        return t->fits() ? n : 0;  // 0 ends the transfer
    }

    static size_t on_body(char* data, size_t size, size_t count, void* user) {
        auto* t = static_cast<Transfer*>(user);
        size_t n = size * count;
        t->outcome.body.insert(t->outcome.body.end(), data, data + n);
        return t->fits() ? n : 0;
    }

    static int on_socket(CURL*, curl_socket_t fd, int what, void* user, void*) {
        auto* e = static_cast<Engine*>(user);
        e->unwatch_socket(fd);
        if (what == CURL_POLL_REMOVE) {
            return 0;
        }
        int condition = 0;
        if (what & CURL_POLL_IN) condition |= G_IO_IN | G_IO_HUP | G_IO_ERR;
        if (what & CURL_POLL_OUT) condition |= G_IO_OUT | G_IO_ERR;
        e->watches[fd] = e->loop.watch_fd(fd, GIOCondition(condition), [e, fd](GIOCondition c) {
            int mask = 0;
            if (c & (G_IO_IN | G_IO_HUP)) mask |= CURL_CSELECT_IN;
            if (c & G_IO_OUT) mask |= CURL_CSELECT_OUT;
            if (c & G_IO_ERR) mask |= CURL_CSELECT_ERR;
            e->act(fd, mask);
            // A watch libcurl no longer wants was destroyed by unwatch_socket.
            return true;
        });
        return 0;
    }

    static int on_timer(CURLM*, long timeout_ms, void* user) {
        auto* e = static_cast<Engine*>(user);
        e->stop_timer();
        if (timeout_ms < 0) {
            return 0;
        }
        GSource* source = g_timeout_source_new(static_cast<guint>(timeout_ms));
        g_source_set_callback(
            source,
            [](gpointer data) -> gboolean {
                auto* engine = static_cast<Engine*>(data);
                engine->timer = 0;
                engine->act(CURL_SOCKET_TIMEOUT, 0);
                return G_SOURCE_REMOVE;
            },
            e, nullptr);
        e->timer = g_source_attach(source, e->loop.context());
        g_source_unref(source);
        return 0;
    }

    void unwatch_socket(curl_socket_t fd) {
        auto it = watches.find(fd);
        if (it != watches.end()) {
            loop.unwatch(it->second);
            watches.erase(it);
        }
    }

    void stop_timer() {
        if (timer != 0) {
            if (GSource* s = g_main_context_find_source_by_id(loop.context(), timer)) {
                g_source_destroy(s);
            }
            timer = 0;
        }
    }

    void act(curl_socket_t fd, int mask) {
        int running = 0;
        curl_multi_socket_action(multi, fd, mask, &running);
        CURLMsg* msg;
        int left = 0;
        while ((msg = curl_multi_info_read(multi, &left))) {
            if (msg->msg != CURLMSG_DONE) {
                continue;
            }
            Transfer* t = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
            finish(*t, msg->data.result);
        }
    }

    void finish(Transfer& t, CURLcode code) {
        HttpTransferOutcome& o = t.outcome;
        long status = 0;
        curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
        o.status_code = static_cast<uint32_t>(status);
        if (t.too_large) {
            o.kind = HttpTransferOutcome::Kind::too_large;
        } else if (code == CURLE_OK) {
            o.kind = HttpTransferOutcome::Kind::ok;
        } else {
            o.kind = HttpTransferOutcome::Kind::failed;
            o.error = describe_failure(code, t.error, t.request.timeout_ms);
        }
        if (o.kind != HttpTransferOutcome::Kind::ok) {
            o.headers.clear();
            o.body.clear();
        }
        queue.post([deliver = std::move(t.deliver), outcome = std::move(o)]() mutable {
            deliver(std::move(outcome));
        });
        remove(t.id);
    }

    void add(uint64_t id, HttpTransferRequest request, std::function<void(HttpTransferOutcome)> deliver) {
        auto owned = std::make_unique<Transfer>();
        Transfer& t = *owned;
        t.id = id;
        t.request = std::move(request);
        t.deliver = std::move(deliver);
        t.easy = ensure_multi() ? curl_easy_init() : nullptr;
        if (!t.easy) {
            t.outcome.error = "request failed (libcurl could not start a transfer)";
            queue.post([deliver = std::move(t.deliver), outcome = std::move(t.outcome)]() mutable {
                deliver(std::move(outcome));
            });
            return;
        }
        if (!may_connect(t.request.url)) {
            t.outcome.error = describe_failure(CURLE_COULDNT_RESOLVE_HOST,
                                               "not in [network.hosts] and [network] dns = \"hosts-only\"",
                                               t.request.timeout_ms);
            queue.post([deliver = std::move(t.deliver), outcome = std::move(t.outcome)]() mutable {
                deliver(std::move(outcome));
            });
            curl_easy_cleanup(t.easy);
            return;
        }
        configure(t);
        transfers[id] = std::move(owned);
        curl_multi_add_handle(multi, t.easy);  // the timer callback starts it
    }

    // `[network] dns = "hosts-only"`: the URL's host is a listed name or an
    // IP address (libcurl parses the URL; a URL it cannot parse is left to
    // the transfer, which reports it malformed).
    bool may_connect(const std::string& url) const {
        if (!settings.listed_names_only) {
            return true;
        }
        CURLU* u = curl_url();
        char* host = nullptr;
        bool allowed = true;
        if (u && curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
            std::string name(host);
            if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
                name = name.substr(1, name.size() - 2);  // an IPv6 literal
            }
            for (char& ch : name) {
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            }
            allowed = g_hostname_is_ip_address(name.c_str()) ||
                      std::find(settings.listed_names.begin(), settings.listed_names.end(),
                                name) != settings.listed_names.end();
        }
        curl_free(host);
        curl_url_cleanup(u);
        return allowed;
    }

    void configure(Transfer& t) {
        CURL* c = t.easy;
        const HttpTransferRequest& r = t.request;
        curl_easy_setopt(c, CURLOPT_PRIVATE, &t);
        curl_easy_setopt(c, CURLOPT_URL, r.url.c_str());
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, t.error);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // the application sees 3xx itself
        curl_easy_setopt(c, CURLOPT_HTTP_VERSION, long{CURL_HTTP_VERSION_2TLS});
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long{r.timeout_ms});
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &Engine::on_header);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Engine::on_body);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
        if (r.method == "HEAD") {
            curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
        } else if (!r.body.empty() || r.method == "POST" || r.method == "PUT" ||
                   r.method == "PATCH") {
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, long(r.body.size()));
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body.empty() ? "" : reinterpret_cast<const char*>(r.body.data()));
        }
        if (r.method != "GET" && r.method != "HEAD" && r.method != "POST") {
            curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str());
        } else if (r.method == "GET" && !r.body.empty()) {
            curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "GET");
        }
        for (const auto& h : r.headers) {
            t.headers = curl_slist_append(t.headers, h.c_str());
        }
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, t.headers);
        for (const auto& entry : settings.connect_to) {
            t.connect_to = curl_slist_append(t.connect_to, entry.c_str());
        }
        curl_easy_setopt(c, CURLOPT_CONNECT_TO, t.connect_to);
        if (!ca_bundle.empty()) {
            curl_blob blob{ca_bundle.data(), ca_bundle.size(), CURL_BLOB_NOCOPY};
            curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
        }
    }

    void remove(uint64_t id) {
        auto it = transfers.find(id);
        if (it == transfers.end()) {
            return;
        }
        Transfer& t = *it->second;
        curl_multi_remove_handle(multi, t.easy);
        curl_easy_cleanup(t.easy);
        curl_slist_free_all(t.headers);
        curl_slist_free_all(t.connect_to);
        transfers.erase(it);
    }

    void shutdown() {
        while (!transfers.empty()) {
            remove(transfers.begin()->first);
        }
        stop_timer();
        while (!watches.empty()) {
            unwatch_socket(watches.begin()->first);
        }
        if (multi) {
            curl_multi_cleanup(multi);
            multi = nullptr;
        }
    }
};

HttpClient::HttpClient(EventLoop& loop, MainQueue& queue, HttpClientSettings settings)
    : loop_(loop), queue_(queue) {
    static std::once_flag global;
    std::call_once(global, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    engine_ = std::make_shared<Engine>(loop, queue, std::move(settings));
}

HttpClient::~HttpClient() {
    for (auto& [id, alive] : live_) {
        *alive = false;
    }
    std::promise<void> done;
    auto finished = done.get_future();
    loop_.invoke([engine = engine_, &done] {
        engine->shutdown();
        done.set_value();
    });
    finished.wait();
}

uint64_t HttpClient::start(HttpTransferRequest request, Done done) {
    uint64_t id = next_id_++;
    auto alive = std::make_shared<bool>(true);
    live_[id] = alive;
    // Runs on the main loop (MainQueue) unless cancelled meanwhile.
    auto deliver = [this, id, alive, done = std::move(done)](HttpTransferOutcome outcome) {
        if (*alive) {
            live_.erase(id);
            done(std::move(outcome));
        }
    };
    loop_.invoke([engine = engine_, id, request = std::move(request),
                  deliver = std::move(deliver)]() mutable {
        engine->add(id, std::move(request), std::move(deliver));
    });
    return id;
}

void HttpClient::cancel(uint64_t id) {
    auto it = live_.find(id);
    if (it == live_.end()) {
        return;
    }
    *it->second = false;
    live_.erase(it);
    loop_.invoke([engine = engine_, id] { engine->remove(id); });
}

std::string HttpClient::connect_to_entry(const std::string& name, const std::string& host,
                                         uint16_t port) {
    std::string address = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    // "NAME::ADDRESS:PORT": any port of NAME; an empty PORT keeps the URL's.
    return name + "::" + address + ":" + (port ? std::to_string(port) : std::string());
}

}  // namespace mvemu
