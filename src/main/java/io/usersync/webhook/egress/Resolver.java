package io.usersync.webhook.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Name resolution, replaceable in tests (a name that resolves to a public address today and 127.0.0.1 tomorrow). */
@FunctionalInterface
public interface Resolver {

    /** The system resolver. */
    Resolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
