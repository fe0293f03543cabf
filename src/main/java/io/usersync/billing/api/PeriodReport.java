package io.usersync.billing.api;

import java.util.List;

/** A period's figures with the per-client breakdown (clients with billable users in the period). */
public record PeriodReport(PeriodSummary summary, List<ClientBreakdown> clients) {
}
