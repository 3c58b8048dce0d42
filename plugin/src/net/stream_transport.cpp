#include "net/stream_transport.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "mv_enums.h"

namespace mvemu {

namespace {

// "host:port" or "[v6]:port" -> (host, port); validated by the profile.
std::pair<std::string, std::string> split_address(const std::string& address) {
    size_t colon = address.rfind(':');
    std::string host = address.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    return {host, address.substr(colon + 1)};
}

}  // namespace

StreamTransport::StreamTransport(EventLoop& loop, MainQueue& queue, std::string address,
                                 Events events)
    : loop_(loop), queue_(queue), address_(std::move(address)), events_(std::move(events)) {}

std::shared_ptr<StreamTransport> StreamTransport::open(EventLoop& loop, MainQueue& queue,
                                                       std::string address, Events events) {
    std::shared_ptr<StreamTransport> t(
        new StreamTransport(loop, queue, std::move(address), std::move(events)));
    loop.invoke([t] { t->connect_now(); });
    return t;
}

StreamTransport::~StreamTransport() {
    // Normally closed on the loop thread already; this covers a backend torn
    // down with work still queued.
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void StreamTransport::send(std::vector<uint8_t> bytes) {
    loop_.invoke([self = shared_from_this(), bytes = std::move(bytes)] {
        if (self->fd_ < 0) {
            return;  // closed: the channel learns that through `closed`
        }
        self->outbox_.insert(self->outbox_.end(), bytes.begin(), bytes.end());
        if (!self->connecting_ && self->out_watch_ == 0 && self->on_writable()) {
            self->watch_writable();
        }
    });
}

void StreamTransport::acknowledge(size_t bytes) {
    unacknowledged_ -= bytes;
    // Wake the loop thread only when its reading stopped (see on_readable).
    if (read_paused_) {
        loop_.invoke([self = shared_from_this()] {
            if (self->read_paused_.exchange(false) && self->fd_ >= 0) {
                self->watch_readable();
            }
        });
    }
}

size_t StreamTransport::send_now(const uint8_t* data, size_t len) {
    std::lock_guard lock(io_);
    if (fd_ < 0 || connecting_) {
        return 0;
    }
    ssize_t n = ::send(fd_, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    return n > 0 ? static_cast<size_t>(n) : 0;
}

size_t StreamTransport::receive_now(uint8_t* data, size_t len) {
    std::lock_guard lock(io_);
    if (fd_ < 0 || connecting_ || unacknowledged_ != 0 || len == 0) {
        return 0;
    }
    ssize_t n = ::recv(fd_, data, len, MSG_DONTWAIT);
    if (n > 0) {
        handoff_.polled();
        return static_cast<size_t>(n);
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        handoff_.polled();
        return 0;
    }
    // End of stream or an error: not a poll, so the loop thread watches
    // again within PollHandoff::kRecheckNs, reads it and reports it.
    return 0;
}

void StreamTransport::shutdown() {
    *alive_ = false;
    loop_.invoke([self = shared_from_this()] { self->close_socket(); });
}

void StreamTransport::deliver(std::function<void()> event) {
    queue_.post([alive = alive_, event = std::move(event)] {
        if (*alive) {
            event();
        }
    });
}

void StreamTransport::connect_now() {
    auto [host, port] = split_address(address_);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    // Name lookup may block this thread, never the vCPU.
    if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || !found) {
        fail(MV_CLOSUREREASON_CONNECTIONTERMINATED);
        return;
    }
    {
        std::lock_guard lock(io_);
        fd_ = ::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                       found->ai_protocol);
    }
    int rc = fd_ < 0 ? -1 : ::connect(fd_, found->ai_addr, found->ai_addrlen);
    freeaddrinfo(found);
    if (rc != 0 && errno != EINPROGRESS) {
        fail(MV_CLOSUREREASON_CONNECTIONTERMINATED);
        return;
    }
    watch_writable();  // completion of the connect shows as writability
}

void StreamTransport::watch(GIOCondition condition, bool (StreamTransport::*handler)(),
                            guint StreamTransport::*id) {
    this->*id = loop_.watch_fd(fd_, condition, [self = shared_from_this(), handler, id](GIOCondition) {
        bool keep = (self.get()->*handler)();
        if (!keep) {
            self.get()->*id = 0;  // GLib removes the source itself
        }
        return keep;
    });
}

void StreamTransport::watch_readable() {
    watch(GIOCondition(G_IO_IN | G_IO_HUP | G_IO_ERR), &StreamTransport::on_readable,
          &StreamTransport::in_watch_);
}

void StreamTransport::watch_writable() {
    watch(GIOCondition(G_IO_OUT | G_IO_ERR), &StreamTransport::on_writable,
          &StreamTransport::out_watch_);
}

bool StreamTransport::on_writable() {
    if (fd_ < 0) {
        return false;
    }
    if (connecting_) {
        int error = 0;
        socklen_t len = sizeof error;
        getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &len);
        if (error != 0) {
            out_watch_ = 0;  // fail() must not destroy the source running now
            // Accepted, then reset before this callback ran: the server's doing.
            fail(error == ECONNRESET ? MV_CLOSUREREASON_CHANNELRESETBYSERVER
                                     : MV_CLOSUREREASON_CONNECTIONTERMINATED);
            return false;
        }
        {
            std::lock_guard lock(io_);
            connecting_ = false;
        }
        deliver(events_.connected);
        watch_readable();
    }
    while (!outbox_.empty()) {
        ssize_t n = ::send(fd_, outbox_.data(), outbox_.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return true;
            }
            out_watch_ = 0;
            fail(errno == ECONNRESET ? MV_CLOSUREREASON_CHANNELRESETBYSERVER
                                     : MV_CLOSUREREASON_CONNECTIONTERMINATED);
            return false;
        }
        outbox_.erase(outbox_.begin(), outbox_.begin() + n);
        deliver([sent = events_.sent, n] { sent(static_cast<size_t>(n)); });
    }
    return false;
}

bool StreamTransport::on_readable() {
    if (fd_ < 0) {
        return false;
    }
    if (handoff_.polling() &&
        handoff_.resume_after_polls([this] {
            if (fd_ >= 0 && in_watch_ == 0 && !read_paused_) {
                watch_readable();
            }
        })) {
        in_watch_ = 0;  // the application reads; this thread looks again after its polls
        return false;
    }
    size_t waiting = unacknowledged_;
    if (waiting >= kReceiveWindow) {
        read_paused_ = true;  // acknowledge() resumes
        if (unacknowledged_ >= kReceiveWindow) {
            return false;
        }
        // The channel took bytes before it could see the pause: go on (a
        // resume it queued after seeing it finds none).
        read_paused_ = false;
        waiting = unacknowledged_;
    }
    std::vector<uint8_t> buffer(std::min(kReadChunk, kReceiveWindow - waiting));
    ssize_t n;
    {
        // Counted before receive_now() can look, so bytes keep their order.
        std::lock_guard lock(io_);
        n = ::recv(fd_, buffer.data(), buffer.size(), 0);
        if (n > 0) {
            unacknowledged_ += static_cast<size_t>(n);
        }
    }
    if (n > 0) {
        buffer.resize(static_cast<size_t>(n));
        deliver([received = events_.received, data = std::move(buffer)]() mutable {
            received(std::move(data));
        });
        return true;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        return true;
    }
    in_watch_ = 0;
    fail(n == 0 ? MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER
         : errno == ECONNRESET ? MV_CLOSUREREASON_CHANNELRESETBYSERVER
                               : MV_CLOSUREREASON_CONNECTIONTERMINATED);
    return false;
}

void StreamTransport::fail(uint32_t closure_reason) {
    close_socket();
    deliver([closed = events_.closed, closure_reason] { closed(closure_reason); });
}

void StreamTransport::close_socket() {
    handoff_.cancel();
    if (in_watch_ != 0) {
        loop_.unwatch(in_watch_);
        in_watch_ = 0;
    }
    if (out_watch_ != 0) {
        loop_.unwatch(out_watch_);
        out_watch_ = 0;
    }
    {
        std::lock_guard lock(io_);
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    outbox_.clear();
}

}  // namespace mvemu
