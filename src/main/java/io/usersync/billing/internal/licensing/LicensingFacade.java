package io.usersync.billing.internal.licensing;

import io.usersync.billing.api.LicenceUsage;
import io.usersync.billing.api.Licensing;
import io.usersync.tenant.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The implementation of {@link Licensing}: delegates to the module's internal services. */
@ApplicationScoped
public class LicensingFacade implements Licensing {

    @Inject
    LicencePlanService plans;

    @Inject
    LoginIngestService logins;

    @Inject
    UsageService usage;

    @Override
    public Plan createPlan(Caller caller, UUID clientId, NewPlan plan) {
        return plans.create(caller, clientId, plan);
    }

    @Override
    public List<Plan> listPlans(Caller caller, UUID clientId, PlanStatus status) {
        return plans.list(caller, clientId, status);
    }

    @Override
    public Plan getPlan(Caller caller, UUID clientId, UUID planId) {
        return plans.get(caller, clientId, planId);
    }

    @Override
    public void deletePlan(Caller caller, UUID clientId, UUID planId) {
        plans.delete(caller, clientId, planId);
    }

    @Override
    public IngestReport ingestLogins(Caller caller, UUID clientId, List<LoginLine> lines) {
        return logins.ingest(caller, clientId, lines);
    }

    @Override
    public LicenceUsage usage(Caller caller, UUID clientId, UUID planId, Instant at) {
        return usage.usage(caller, clientId, planId, at);
    }

    @Override
    public CsvReport consumptionReport(Caller caller, UUID clientId, UUID planId, Instant at) {
        return usage.consumptionReport(caller, clientId, planId, at);
    }

    @Override
    public CsvReport usersReport(Caller caller, UUID clientId, UUID planId, Instant at) {
        return usage.usersReport(caller, clientId, planId, at);
    }
}
