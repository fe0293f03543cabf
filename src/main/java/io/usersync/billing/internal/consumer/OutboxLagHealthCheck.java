package io.usersync.billing.internal.consumer;

import io.usersync.billing.internal.BillingMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the billing outbox lag in the readiness document. It stays UP whatever the lag (a lagging consumer is
 * no reason to take a replica out of load balancing; alert on the metrics instead); it reads the values the
 * consumer last measured, so it costs nothing.
 */
@Readiness
@ApplicationScoped
public class OutboxLagHealthCheck implements HealthCheck {

    @Inject
    BillingMetrics metrics;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("billing-outbox").up()
                .withData("backlog", metrics.backlog())
                .withData("oldestAgeSeconds", metrics.oldestAgeSeconds())
                .build();
    }
}
