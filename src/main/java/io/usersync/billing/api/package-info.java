/**
 * The billing core's public surface: what other modules (the REST API, jobs, benchmarks) may call. Everything
 * else lives in {@code io.usersync.billing.internal} and is reached only through these interfaces. Billing
 * learns about MSPs, client accounts and users only from outbox events; it never reads their tables.
 */
package io.usersync.billing.api;
