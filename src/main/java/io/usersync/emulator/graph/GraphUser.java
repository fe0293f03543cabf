package io.usersync.emulator.graph;

import java.util.List;

/**
 * The attributes of an emulated Entra ID user, as a test or the demo writes them. The object id is assigned by
 * the emulator.
 *
 * @param userType       {@code Member} or {@code Guest}
 * @param proxyAddresses as Exchange stores them: {@code SMTP:primary@x}, {@code smtp:alias@x}, {@code X500:...}
 */
public record GraphUser(String userPrincipalName, String mail, String givenName, String surname,
        boolean accountEnabled, String userType, List<String> proxyAddresses, List<String> otherMails) {

    public GraphUser {
        proxyAddresses = proxyAddresses == null ? List.of() : List.copyOf(proxyAddresses);
        otherMails = otherMails == null ? List.of() : List.copyOf(otherMails);
        userType = userType == null ? "Member" : userType;
    }

    /** An enabled member whose mail and UPN are {@code email}. */
    public static GraphUser member(String email, String givenName, String surname) {
        return new GraphUser(email, email, givenName, surname, true, "Member", List.of(), List.of());
    }

    /**
     * An invited guest as Entra ID creates one: UPN {@code local_domain#EXT#@tenantDomain}, mail the external
     * address, {@code userType=Guest}.
     */
    public static GraphUser guest(String externalEmail, String tenantDomain, String givenName, String surname) {
        String upn = externalEmail.replace('@', '_') + "#EXT#@" + tenantDomain;
        return new GraphUser(upn, externalEmail, givenName, surname, true, "Guest", List.of(), List.of());
    }

    public GraphUser withUserPrincipalName(String upn) {
        return new GraphUser(upn, mail, givenName, surname, accountEnabled, userType, proxyAddresses, otherMails);
    }

    public GraphUser withMail(String value) {
        return new GraphUser(userPrincipalName, value, givenName, surname, accountEnabled, userType, proxyAddresses,
                otherMails);
    }

    public GraphUser withNames(String given, String sur) {
        return new GraphUser(userPrincipalName, mail, given, sur, accountEnabled, userType, proxyAddresses,
                otherMails);
    }

    public GraphUser withAccountEnabled(boolean enabled) {
        return new GraphUser(userPrincipalName, mail, givenName, surname, enabled, userType, proxyAddresses,
                otherMails);
    }

    public GraphUser withUserType(String type) {
        return new GraphUser(userPrincipalName, mail, givenName, surname, accountEnabled, type, proxyAddresses,
                otherMails);
    }

    public GraphUser withProxyAddresses(String... addresses) {
        return new GraphUser(userPrincipalName, mail, givenName, surname, accountEnabled, userType,
                List.of(addresses), otherMails);
    }

    public GraphUser withOtherMails(String... addresses) {
        return new GraphUser(userPrincipalName, mail, givenName, surname, accountEnabled, userType, proxyAddresses,
                List.of(addresses));
    }
}
