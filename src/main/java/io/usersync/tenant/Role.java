package io.usersync.tenant;

/** Roles carried in the {@code groups} claim of a bearer token. */
public enum Role {
    /** Runs the platform: every MSP, every client account. */
    OPERATOR("operator"),
    /** Administers one MSP and all of its client accounts. */
    MSP_ADMIN("msp-admin"),
    /** Administers one client account. */
    CLIENT_ADMIN("client-admin");

    public static final String OPERATOR_NAME = "operator";
    public static final String MSP_ADMIN_NAME = "msp-admin";
    public static final String CLIENT_ADMIN_NAME = "client-admin";

    private final String claim;

    Role(String claim) {
        this.claim = claim;
    }

    public String claim() {
        return claim;
    }

    /** The role named exactly by a {@code groups} entry (as {@code @RolesAllowed} compares), or null. */
    public static Role fromClaim(String claim) {
        for (Role role : values()) {
            if (role.claim.equals(claim)) {
                return role;
            }
        }
        return null;
    }
}
