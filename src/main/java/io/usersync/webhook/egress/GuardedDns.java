package io.usersync.webhook.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import okhttp3.Dns;

/**
 * Resolves webhook hosts and refuses the whole name when any of its addresses is refused by {@link AddressPolicy},
 * so a name cannot mix a public and an internal address. The HTTP client connects only to the addresses returned
 * here (no second lookup), and {@link GuardedSocketFactory} checks the address again at connect time.
 */
final class GuardedDns implements Dns {

    private final Resolver resolver;
    private final boolean allowLoopback;

    GuardedDns(Resolver resolver, boolean allowLoopback) {
        this.resolver = resolver;
        this.allowLoopback = allowLoopback;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        InetAddress[] addresses = resolver.resolve(hostname);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(hostname + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = AddressPolicy.refusal(address, allowLoopback);
            if (refusal.isPresent()) {
                throw new RefusedHost(hostname + " resolves to " + refusal.get() + "; webhooks go to public addresses"
                        + " only");
            }
        }
        return List.of(addresses);
    }

    /** A name refused by the policy (distinguished from a name that does not resolve). */
    static final class RefusedHost extends UnknownHostException {
        RefusedHost(String message) {
            super(message);
        }
    }
}
