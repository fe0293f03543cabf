package io.usersync.webhook.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Optional;
import javax.net.SocketFactory;

/**
 * Creates the plain sockets under every webhook connection (TLS is layered on top of them) and checks, in
 * {@link Socket#connect}, the address the socket is about to connect to. This is the authoritative SSRF check: it
 * sees the address actually used, whatever the name resolved to before (DNS rebinding), and also IP-literal hosts,
 * which the HTTP client does not resolve through {@link GuardedDns}.
 */
final class GuardedSocketFactory extends SocketFactory {

    private final boolean allowLoopback;

    GuardedSocketFactory(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    @Override
    public Socket createSocket() {
        return new GuardedSocket(allowLoopback);
    }

    // The HTTP client only uses createSocket() and then connect(); the connecting variants are refused so that
    // nothing can bypass the check.
    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw new IOException("unconnected sockets only");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw new IOException("unconnected sockets only");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        throw new IOException("unconnected sockets only");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        throw new IOException("unconnected sockets only");
    }

    private static final class GuardedSocket extends Socket {
        private final boolean allowLoopback;

        GuardedSocket(boolean allowLoopback) {
            this.allowLoopback = allowLoopback;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (!(endpoint instanceof InetSocketAddress target) || target.isUnresolved()) {
                throw new EgressRefused("refused to connect to an unresolved address " + endpoint);
            }
            Optional<String> refusal = AddressPolicy.refusal(target.getAddress(), allowLoopback);
            if (refusal.isPresent()) {
                throw new EgressRefused("refused to connect: " + refusal.get() + "; webhooks go to public addresses"
                        + " only");
            }
            super.connect(endpoint, timeout);
        }
    }
}
