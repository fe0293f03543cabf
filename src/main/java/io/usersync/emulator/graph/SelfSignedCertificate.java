package io.usersync.emulator.graph;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * A freshly generated RSA key and self-signed X.509 v3 certificate, built with the JDK alone (a small DER
 * encoder; no BouncyCastle, no {@code sun.security} internals). The emulator serves its Azure AD token endpoint
 * over HTTPS with one, because MSAL refuses non-https authorities; tests also use one as the certificate of an
 * app registration (client assertion credentials).
 *
 * @param certificate the certificate (subject = issuer)
 * @param keyPair     its key pair
 */
public record SelfSignedCertificate(X509Certificate certificate, KeyPair keyPair) {

    private static final byte[] SHA256_WITH_RSA = { 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
            0x01, 0x0b };
    private static final byte[] COMMON_NAME = { 0x55, 0x04, 0x03 };
    private static final byte[] SUBJECT_ALT_NAME = { 0x55, 0x1d, 0x11 };
    private static final byte[] BASIC_CONSTRAINTS = { 0x55, 0x1d, 0x13 };
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * Generates a certificate for {@code commonName}, valid from an hour ago for {@code validity}, with
     * {@code localhost} and {@code 127.0.0.1} as subject alternative names so TLS clients accept it for loopback.
     */
    public static SelfSignedCertificate generate(String commonName, Duration validity) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Instant from = Instant.now().minus(Duration.ofHours(1));
            byte[] name = sequence(set(sequence(oid(COMMON_NAME), utf8(commonName))));
            byte[] algorithm = sequence(oid(SHA256_WITH_RSA), new byte[] { 0x05, 0x00 });
            byte[] altNames = sequence(tagged(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)),
                    tagged(0x87, new byte[] { 127, 0, 0, 1 }));
            byte[] extensions = tagged(0xa3, sequence(
                    sequence(oid(SUBJECT_ALT_NAME), tagged(0x04, altNames)),
                    sequence(oid(BASIC_CONSTRAINTS), tagged(0x04, sequence()))));
            byte[] tbs = sequence(
                    tagged(0xa0, integer(BigInteger.TWO)),
                    integer(new BigInteger(63, new SecureRandom()).add(BigInteger.ONE)),
                    algorithm,
                    name,
                    sequence(time(from), time(from.plus(validity))),
                    name,
                    keys.getPublic().getEncoded(),
                    extensions);
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(keys.getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] bitString = new byte[signature.length + 1];
            System.arraycopy(signature, 0, bitString, 1, signature.length);
            byte[] der = sequence(tbs, algorithm, tagged(0x03, bitString));
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            certificate.verify(keys.getPublic());
            return new SelfSignedCertificate(certificate, keys);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not generate a self-signed certificate", e);
        }
    }

    /** The certificate as PEM ({@code -----BEGIN CERTIFICATE-----}). */
    public String certificatePem() {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public String privateKeyPem() {
        return pem("PRIVATE KEY", keyPair.getPrivate().getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    // ---------------------------------------------------------------- DER

    private static byte[] sequence(byte[]... parts) {
        return tagged(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tagged(0x31, concat(parts));
    }

    private static byte[] oid(byte[] encoded) {
        return tagged(0x06, encoded);
    }

    private static byte[] utf8(String text) {
        return tagged(0x0c, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] integer(BigInteger value) {
        return tagged(0x02, value.toByteArray());
    }

    private static byte[] time(Instant instant) {
        return tagged(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
