package io.usersync.webhook.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

    static final List<String> REFUSED = List.of("0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1",
            "100.127.255.254", "100.100.100.200", "127.0.0.1", "127.1.2.3", "169.254.169.254", "169.254.0.1",
            "172.16.0.1", "172.31.255.255", "192.0.0.192", "192.0.2.1", "192.88.99.1", "192.168.1.1",
            "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250",
            "240.0.0.1", "255.255.255.255",
            "::", "::1", "fc00::1", "fd00:ec2::254", "fe80::1", "fec0::1", "ff02::1", "2001:db8::1", "2001::1",
            "100::1", "64:ff9b:1::1",
            // IPv4 inside IPv6: judged by the embedded address
            "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a00:1",
            "64:ff9b::7f00:1", "2002:7f00:1::1", "2002:a9fe:a9fe::1", "2002:c0a8:101::");
    static final List<String> ALLOWED = List.of("1.1.1.1", "8.8.8.8", "93.184.216.34", "100.63.255.255",
            "100.128.0.0", "172.15.255.255", "172.32.0.0", "192.169.0.1", "198.17.255.255", "198.20.0.0",
            "223.255.255.255", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8",
            "64:ff9b::808:808", "2002:808:808::1");

    @Test
    void internalAddressesAreRefusedPublicOnesAllowed() throws Exception {
        for (String address : REFUSED) {
            assertTrue(AddressPolicy.refusal(bytes(address), false).isPresent(), address + " must be refused");
        }
        for (String address : ALLOWED) {
            assertEquals(Optional.empty(), AddressPolicy.refusal(bytes(address), false), address);
        }
    }

    @Test
    void loopbackAloneCanBeAllowed() throws Exception {
        for (String loopback : List.of("127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1")) {
            assertTrue(AddressPolicy.refusal(bytes(loopback), true).isEmpty(), loopback);
            assertTrue(AddressPolicy.isLoopback(InetAddress.getByAddress(bytes(loopback))), loopback);
        }
        for (String other : List.of("10.0.0.1", "169.254.169.254", "192.168.0.1", "fd00:ec2::254", "0.0.0.0",
                "::", "::ffff:10.1.1.1")) {
            assertTrue(AddressPolicy.refusal(bytes(other), true).isPresent(), other + " stays refused");
            assertFalse(AddressPolicy.isLoopback(InetAddress.getByAddress(bytes(other))), other);
        }
    }

    @Test
    void theReasonNamesTheAddressAndItsKind() throws Exception {
        assertEquals("169.254.169.254 is a link-local (cloud metadata) address",
                AddressPolicy.refusal(InetAddress.getByName("169.254.169.254"), false).orElseThrow());
    }

    /** An IPv4 address and its IPv4-mapped and NAT64 IPv6 forms always get the same verdict. */
    @Property(tries = 2000)
    void embeddedIpv4IsJudgedLikeTheAddressItself(@ForAll @Size(4) byte[] v4, @ForAll boolean allowLoopback) {
        Optional<String> plain = AddressPolicy.refusal(v4, allowLoopback);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, mapped, 12, 4);
        assertEquals(plain, AddressPolicy.refusal(mapped, allowLoopback));
        byte[] nat64 = new byte[16];
        nat64[1] = 0x64;
        nat64[2] = (byte) 0xFF;
        nat64[3] = (byte) 0x9B;
        System.arraycopy(v4, 0, nat64, 12, 4);
        assertEquals(plain, AddressPolicy.refusal(nat64, allowLoopback));
    }

    /** Allowing loopback never allows anything but loopback. */
    @Property(tries = 2000)
    void allowingLoopbackChangesTheVerdictOfLoopbackOnly(@ForAll @Size(4) byte[] v4) throws Exception {
        boolean strict = AddressPolicy.refusal(v4, false).isPresent();
        boolean lenient = AddressPolicy.refusal(v4, true).isPresent();
        if (strict != lenient) {
            assertEquals(127, v4[0] & 0xFF);
        }
    }

    private static byte[] bytes(String literal) throws Exception {
        if (!literal.contains(":")) {
            return InetAddress.getByName(literal).getAddress();
        }
        // parse without the JDK turning ::ffff:a.b.c.d into a 4-byte address
        String text = literal;
        int dot = text.indexOf('.');
        if (dot > 0) {
            int colon = text.lastIndexOf(':');
            byte[] v4 = InetAddress.getByName(text.substring(colon + 1)).getAddress();
            text = text.substring(0, colon + 1) + Integer.toHexString(((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF)) + ":"
                    + Integer.toHexString(((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF));
        }
        byte[] out = new byte[16];
        String[] halves = text.split("::", -1);
        String[] head = halves[0].isEmpty() ? new String[0] : halves[0].split(":");
        String[] tail = halves.length > 1 && !halves[1].isEmpty() ? halves[1].split(":") : new String[0];
        int[] words = new int[8];
        for (int i = 0; i < head.length; i++) {
            words[i] = Integer.parseInt(head[i], 16);
        }
        for (int i = 0; i < tail.length; i++) {
            words[8 - tail.length + i] = Integer.parseInt(tail[i], 16);
        }
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (words[i] >> 8);
            out[2 * i + 1] = (byte) words[i];
        }
        return out;
    }
}
