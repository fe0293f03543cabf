package io.usersync.webhook.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.common.error.DomainException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlPolicyTest {

    /** A DNS of fixed answers: public names, names pointing inside, a name that does not resolve. */
    static final Resolver DNS = host -> {
        String address = Map.of("hooks.example.com", "93.184.216.34", "internal.example.com", "10.1.2.3",
                "metadata.example.com", "169.254.169.254", "loop.example.com", "127.0.0.1",
                "mixed.example.com", "93.184.216.34,192.168.0.10").get(host);
        if (address == null) {
            try {
                return new InetAddress[] { InetAddress.getByName(literal(host)) };
            } catch (IllegalArgumentException e) {
                throw new UnknownHostException(host);
            }
        }
        String[] parts = address.split(",");
        InetAddress[] out = new InetAddress[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = InetAddress.getByName(parts[i]);
        }
        return out;
    };

    private static String literal(String host) {
        if (host.matches("[0-9.]+") || host.contains(":")) {
            return host;
        }
        throw new IllegalArgumentException(host);
    }

    @Test
    void publicHttpsUrlsAreAccepted() {
        assertEquals("https://hooks.example.com/usersync?x=1",
                UrlPolicy.check("url", "https://hooks.example.com/usersync?x=1", false, DNS));
        assertEquals("https://hooks.example.com:8443/h", UrlPolicy.check("url", "https://hooks.example.com:8443/h",
                false, DNS));
        assertEquals("https://93.184.216.34/", UrlPolicy.check("url", "https://93.184.216.34/", false, DNS));
    }

    @Test
    void hostileUrlsAreRefusedNamingTheField() {
        String[] hostile = { null, "", "   ", "not a url", "/relative", "ftp://hooks.example.com/",
                "javascript:alert(1)", "file:///etc/passwd", "gopher://hooks.example.com/",
                "http://hooks.example.com/", // plain http to a public host
                "https://user:secret@hooks.example.com/", "https://hooks.example.com/#frag",
                "https://internal.example.com/", "https://metadata.example.com/latest/meta-data",
                "https://mixed.example.com/", "https://loop.example.com/", "https://nowhere.invalid/",
                "https://127.0.0.1/", "https://10.0.0.1/", "https://169.254.169.254/", "https://[::1]/",
                "https://[::ffff:127.0.0.1]/", "https://[fd00:ec2::254]/", "https://0.0.0.0/",
                "https://" + "a".repeat(2001), "https:///nohost" };
        for (String url : hostile) {
            DomainException e = assertThrows(DomainException.class, () -> UrlPolicy.check("url", url, false, DNS),
                    String.valueOf(url));
            assertEquals("url", e.fields().getFirst().field(), String.valueOf(url));
        }
    }

    @Test
    void loopbackHttpOnlyWhenAllowed() {
        assertEquals("http://127.0.0.1:9000/hook", UrlPolicy.check("url", "http://127.0.0.1:9000/hook", true, DNS));
        assertEquals("http://loop.example.com/", UrlPolicy.check("url", "http://loop.example.com/", true, DNS));
        assertThrows(DomainException.class, () -> UrlPolicy.check("url", "http://127.0.0.1:9000/hook", false, DNS));
        // allowing loopback allows neither other internal ranges nor plain http elsewhere
        assertThrows(DomainException.class, () -> UrlPolicy.check("url", "https://10.0.0.1/", true, DNS));
        assertThrows(DomainException.class, () -> UrlPolicy.check("url", "http://hooks.example.com/", true, DNS));
        DomainException e = assertThrows(DomainException.class,
                () -> UrlPolicy.check("url", "https://metadata.example.com/", true, DNS));
        assertTrue(e.getMessage().contains("169.254.169.254 is a link-local (cloud metadata) address"),
                e.getMessage());
    }
}
