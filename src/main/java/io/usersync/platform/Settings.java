package io.usersync.platform;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Collects what is wrong with the settings, one sentence per problem naming the property, so start-up can refuse
 * with all of them at once. Pure: {@link StartupChecks} feeds it the configured values.
 */
final class Settings {

    private final List<String> problems = new ArrayList<>();

    List<String> problems() {
        return List.copyOf(problems);
    }

    void problem(String property, String what) {
        problems.add(property + " " + what);
    }

    /** A problem stated as a whole sentence (it names its property itself). */
    void plain(String sentence) {
        problems.add(sentence);
    }

    void positive(String property, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problem(property, "must be a positive duration (is " + value + ")");
        }
    }

    void notNegative(String property, Duration value) {
        if (value.isNegative()) {
            problem(property, "must not be negative (is " + value + ")");
        }
    }

    void atLeast(String property, Duration value, Duration minimum) {
        if (value.compareTo(minimum) < 0) {
            problem(property, "must be at least " + minimum + " (is " + value + ")");
        }
    }

    void between(String property, long value, long min, long max) {
        if (value < min || value > max) {
            problem(property, "must be from " + min + " to " + max + " (is " + value + ")");
        }
    }

    void notBlank(String property, String value) {
        if (value == null || value.isBlank()) {
            problem(property, "must not be empty");
        }
    }

    /** An absolute http(s) URL; plain http only to this machine (loopback) unless {@code allowHttp}. */
    void url(String property, String value, boolean allowHttp) {
        String why = urlProblem(value, allowHttp);
        if (why != null) {
            problem(property, why + " (is '" + value + "')");
        }
    }

    static String urlProblem(String value, boolean allowHttp) {
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException | NullPointerException e) {
            return "must be an absolute https URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return "must be an absolute https URL";
        }
        if (scheme.equals("http") && !allowHttp && !isLoopback(uri.getHost())) {
            return "must use https (plain http only to 127.0.0.1/localhost)";
        }
        return null;
    }

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: never resolved here
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** An absolute URI of any scheme (token issuers are usually https URLs, but need not be). */
    void absoluteUri(String property, String value) {
        try {
            if (!new URI(value.strip()).isAbsolute()) {
                problem(property, "must be an absolute URI (is '" + value + "')");
            }
        } catch (URISyntaxException e) {
            problem(property, "must be an absolute URI (is '" + value + "')");
        }
    }
}
