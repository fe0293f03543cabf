package io.usersync.webhook.egress;

import java.net.ConnectException;

/** A connection the SSRF policy refused before a single byte was sent. */
public class EgressRefused extends ConnectException {

    public EgressRefused(String message) {
        super(message);
    }
}
