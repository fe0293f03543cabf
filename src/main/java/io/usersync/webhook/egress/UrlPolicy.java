package io.usersync.webhook.egress;

import io.usersync.common.error.DomainException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks an endpoint URL when a tenant registers or changes it: an absolute {@code https} URL (plain {@code http}
 * only to loopback, and only where loopback is allowed) without credentials or fragment, whose host resolves, and
 * only to addresses {@link AddressPolicy} allows. Deliveries check again at connect time, so a name that resolves
 * differently later (DNS rebinding) is still refused.
 */
public final class UrlPolicy {

    public static final int MAX_LENGTH = 2000;

    private UrlPolicy() {
    }

    /**
     * The URL as it will be called, or a 400 refusal naming the field.
     *
     * @param field the request field the URL came from, for the error
     */
    public static String check(String field, String url, boolean allowLoopback, Resolver resolver) {
        if (url == null || url.isBlank()) {
            throw DomainException.invalidField(field, "is required");
        }
        if (url.length() > MAX_LENGTH) {
            throw DomainException.invalidField(field, "must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw DomainException.invalidField(field, "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))) {
            throw DomainException.invalidField(field, "must be an https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw DomainException.invalidField(field, "must not contain credentials");
        }
        if (uri.getRawFragment() != null) {
            throw DomainException.invalidField(field, "must not contain a fragment");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw DomainException.invalidField(field, "must name a host (international names in punycode)");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException | RuntimeException e) {
            throw DomainException.invalidField(field, "host " + host + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw DomainException.invalidField(field, "host " + host + " does not resolve");
        }
        boolean allLoopback = true;
        for (InetAddress address : addresses) {
            Optional<String> refusal = AddressPolicy.refusal(address, allowLoopback);
            if (refusal.isPresent()) {
                throw DomainException.invalidField(field, "host " + host + " resolves to " + refusal.get()
                        + "; webhooks go to public addresses only");
            }
            allLoopback &= AddressPolicy.isLoopback(address);
        }
        if (scheme.equals("http") && !(allowLoopback && allLoopback)) {
            throw DomainException.invalidField(field, "must be an https URL");
        }
        return uri.toString();
    }
}
