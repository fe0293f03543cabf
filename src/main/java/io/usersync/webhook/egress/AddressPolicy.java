package io.usersync.webhook.egress;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Which IP addresses a webhook may be sent to: public unicast addresses only. Refused are the IPv4 ranges
 * "this network", private (RFC 1918), carrier-grade NAT, loopback, link-local (which holds the cloud metadata
 * services at 169.254.169.254), IETF protocol assignments, documentation, benchmarking, 6to4 relay, multicast,
 * reserved and broadcast; and their IPv6 equivalents: unspecified, loopback, unique local (fc00::/7, which holds
 * the AWS metadata service's fd00:ec2::254), link-local, site-local, multicast, documentation, discard, the IETF
 * special block (Teredo, ORCHID) and local NAT64. Addresses that embed an IPv4 address (IPv4-mapped, IPv4-compatible,
 * NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the embedded address, so {@code ::ffff:127.0.0.1} is loopback.
 * Loopback alone can be allowed (tests and the demo).
 *
 * <p>A pure function of the address bytes: it is applied both when an endpoint is registered and to the address
 * a delivery's socket actually connects to.
 */
public final class AddressPolicy {

    private record Range(byte[] network, int prefix, String kind) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private static final String LOOPBACK = "loopback";

    private static final List<Range> V4 = List.of(
            range("0.0.0.0", 8, "'this network'"),
            range("10.0.0.0", 8, "private"),
            range("100.64.0.0", 10, "carrier-grade NAT"),
            range("127.0.0.0", 8, LOOPBACK),
            range("169.254.0.0", 16, "link-local (cloud metadata)"),
            range("172.16.0.0", 12, "private"),
            range("192.0.0.0", 24, "IETF protocol assignment"),
            range("192.0.2.0", 24, "documentation"),
            range("192.88.99.0", 24, "6to4 relay"),
            range("192.168.0.0", 16, "private"),
            range("198.18.0.0", 15, "benchmarking"),
            range("198.51.100.0", 24, "documentation"),
            range("203.0.113.0", 24, "documentation"),
            range("224.0.0.0", 4, "multicast"),
            range("240.0.0.0", 4, "reserved or broadcast"));

    private static final List<Range> V6 = List.of(
            range("::", 128, "unspecified"),
            range("::1", 128, LOOPBACK),
            range("64:ff9b:1::", 48, "local NAT64"),
            range("100::", 64, "discard"),
            range("2001::", 23, "IETF special-purpose (Teredo, ORCHID)"),
            range("2001:db8::", 32, "documentation"),
            range("fc00::", 7, "unique local (cloud metadata)"),
            range("fe80::", 10, "link-local"),
            range("fec0::", 10, "site-local"),
            range("ff00::", 8, "multicast"));

    private static final Range MAPPED = range("::ffff:0:0", 96, "IPv4-mapped");
    private static final Range COMPATIBLE = range("::", 96, "IPv4-compatible");
    private static final Range NAT64 = range("64:ff9b::", 96, "NAT64");
    private static final Range SIX_TO_FOUR = range("2002::", 16, "6to4");

    private AddressPolicy() {
    }

    /**
     * Why a webhook must not be sent to this address, or empty when it may.
     *
     * @param allowLoopback whether loopback addresses (127.0.0.0/8, ::1) are allowed (tests and the demo only)
     */
    public static Optional<String> refusal(InetAddress address, boolean allowLoopback) {
        return refusal(address.getAddress(), allowLoopback).map(kind -> address.getHostAddress() + " is a " + kind
                + " address");
    }

    /** The kind of refused range the address (4 or 16 bytes) is in, or empty for a public unicast address. */
    static Optional<String> refusal(byte[] address, boolean allowLoopback) {
        if (address.length == 16) {
            byte[] embedded = embeddedIpv4(address);
            if (embedded != null) {
                return refusal(embedded, allowLoopback);
            }
        }
        for (Range range : address.length == 4 ? V4 : V6) {
            if (range.contains(address)) {
                return range.kind().equals(LOOPBACK) && allowLoopback ? Optional.empty() : Optional.of(range.kind());
            }
        }
        return Optional.empty();
    }

    /** Whether the address (4 or 16 bytes, embedded IPv4 included) is a loopback address. */
    public static boolean isLoopback(InetAddress address) {
        byte[] bytes = address.getAddress();
        byte[] embedded = bytes.length == 16 ? embeddedIpv4(bytes) : null;
        byte[] judged = embedded != null ? embedded : bytes;
        return (judged.length == 4 ? V4 : V6).stream().anyMatch(r -> r.kind().equals(LOOPBACK) && r.contains(judged));
    }

    /** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), or null. */
    private static byte[] embeddedIpv4(byte[] v6) {
        if (MAPPED.contains(v6) || NAT64.contains(v6)) {
            return java.util.Arrays.copyOfRange(v6, 12, 16);
        }
        if (COMPATIBLE.contains(v6) && !isZeroOrOne(v6)) {
            return java.util.Arrays.copyOfRange(v6, 12, 16);
        }
        if (SIX_TO_FOUR.contains(v6)) {
            return java.util.Arrays.copyOfRange(v6, 2, 6);
        }
        return null;
    }

    /** {@code ::} and {@code ::1} are in ::/96 but are not IPv4-compatible addresses. */
    private static boolean isZeroOrOne(byte[] v6) {
        for (int i = 0; i < 15; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[15] == 0 || v6[15] == 1;
    }

    private static Range range(String literal, int prefix, String kind) {
        try {
            byte[] bytes = literal.contains(":") ? parseV6(literal) : InetAddress.getByName(literal).getAddress();
            return new Range(bytes, prefix, kind);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** Parses an IPv6 literal to 16 bytes without letting the JDK turn mapped addresses into IPv4. */
    private static byte[] parseV6(String literal) {
        String[] halves = literal.split("::", -1);
        int[] words = new int[8];
        String[] head = halves[0].isEmpty() ? new String[0] : halves[0].split(":");
        String[] tail = halves.length > 1 && !halves[1].isEmpty() ? halves[1].split(":") : new String[0];
        for (int i = 0; i < head.length; i++) {
            words[i] = Integer.parseInt(head[i], 16);
        }
        for (int i = 0; i < tail.length; i++) {
            words[8 - tail.length + i] = Integer.parseInt(tail[i], 16);
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (byte) (words[i] >> 8);
            bytes[2 * i + 1] = (byte) words[i];
        }
        return bytes;
    }
}
