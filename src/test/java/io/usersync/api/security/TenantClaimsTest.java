package io.usersync.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.usersync.platform.DevTokens;
import io.usersync.tenant.Caller;
import io.usersync.tenant.Role;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/** How a verified token becomes a caller: claim mapping, role prefix and lifetime. */
class TenantClaimsTest {

    static final UUID MSP = UUID.fromString("01a25300-0000-7000-8000-000000000001");
    static final UUID CLIENT = UUID.fromString("01a25300-0000-7000-8000-000000000002");
    static final long NOW = 1_800_000_000L;

    static JsonWebToken token(String json) throws Exception {
        return new DefaultJWTCallerPrincipal(JwtClaims.parse(json));
    }

    static String times(long lifetimeSeconds) {
        return "\"iat\":" + NOW + ",\"exp\":" + (NOW + lifetimeSeconds);
    }

    @Test
    void readsTheDefaultLayout() throws Exception {
        Caller caller = TenantClaims.caller(token("{\"sub\":\"ada\",\"groups\":[\"reader\",\"client-admin\"],"
                + "\"msp_id\":\"" + MSP + "\",\"client_id\":\"" + CLIENT + "\"," + times(3600) + "}"),
                TenantClaims.Rules.DEFAULT);
        assertEquals(new Caller("ada", Role.CLIENT_ADMIN, MSP, CLIENT), caller);
    }

    @Test
    void readsAKeycloakLayoutWithNestedClaimsAndARolePrefix() throws Exception {
        TenantClaims.Rules keycloak = new TenantClaims.Rules("realm_access/roles", "usersync-", "tenant/msp",
                "tenant/client", Duration.ofHours(24));
        String claims = "{\"sub\":\"f3c1\",\"realm_access\":{\"roles\":[\"offline_access\",\"usersync-msp-admin\","
                + "\"msp-admin-elsewhere\"]},\"tenant\":{\"msp\":\"" + MSP + "\"}," + times(300) + "}";
        assertEquals(new Caller("f3c1", Role.MSP_ADMIN, MSP, null), TenantClaims.caller(token(claims), keycloak));
        // the role without the prefix is no usersync role: the token authenticates but has no usersync role
        assertNull(TenantClaims.caller(token("{\"sub\":\"x\",\"realm_access\":{\"roles\":[\"operator\"]},"
                + times(300) + "}"), keycloak));
    }

    @Test
    void readsRolesGivenAsOneStringAndTakesTheStrongest() throws Exception {
        TenantClaims.Rules entra = new TenantClaims.Rules("scp", "usersync.", "extn_msp", "extn_client",
                Duration.ofHours(24));
        Caller caller = TenantClaims.caller(token("{\"sub\":\"svc\",\"scp\":\"usersync.msp-admin usersync.operator\","
                + times(60) + "}"), entra);
        assertEquals(Role.OPERATOR, caller.role());
    }

    @Test
    void refusesTenantRolesWithoutOrWithBrokenTenantIds() throws Exception {
        assertThrows(AuthenticationFailedException.class, () -> TenantClaims.caller(token(
                "{\"sub\":\"m\",\"groups\":[\"msp-admin\"]," + times(60) + "}"), TenantClaims.Rules.DEFAULT));
        assertThrows(AuthenticationFailedException.class, () -> TenantClaims.caller(token(
                "{\"sub\":\"m\",\"groups\":[\"msp-admin\"],\"msp_id\":[\"" + MSP + "\"]," + times(60) + "}"),
                TenantClaims.Rules.DEFAULT));
        assertThrows(AuthenticationFailedException.class, () -> TenantClaims.caller(token(
                "{\"sub\":\"m\",\"groups\":[\"client-admin\"],\"msp_id\":\"" + MSP + "\"," + times(60) + "}"),
                TenantClaims.Rules.DEFAULT));
    }

    @Property(tries = 200)
    void aLifetimeIsAcceptedUpToTheMaximumAndRefusedBeyond(@ForAll @LongRange(min = -86_400, max = 400_000)
            long lifetime) throws Exception {
        JsonWebToken token = token("{\"sub\":\"o\",\"groups\":[\"operator\"]," + times(lifetime) + "}");
        if (lifetime <= 86_400) {
            assertEquals(Role.OPERATOR, TenantClaims.caller(token, TenantClaims.Rules.DEFAULT).role());
        } else {
            assertThrows(AuthenticationFailedException.class,
                    () -> TenantClaims.caller(token, TenantClaims.Rules.DEFAULT));
        }
    }

    @Test
    void refusesTokensWithoutIatOrExp() throws Exception {
        for (String claims : List.of("{\"sub\":\"o\",\"groups\":[\"operator\"],\"exp\":" + NOW + "}",
                "{\"sub\":\"o\",\"groups\":[\"operator\"],\"iat\":" + NOW + "}")) {
            assertThrows(AuthenticationFailedException.class,
                    () -> TenantClaims.caller(token(claims), TenantClaims.Rules.DEFAULT), claims);
        }
    }

    @Test
    void mintTokenRefusesLifetimesBeyondTheMaximum() {
        assertEquals(2, DevTokens.cli(new String[] { "mint-token", "--hours", "25" }));
        assertEquals(2, DevTokens.cli(new String[] { "mint-token", "--hours", "0" }));
        assertEquals(0, DevTokens.cli(new String[] { "mint-token", "--hours", "24" }));
    }
}
