package io.usersync.sync.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the sync engine and its background workers. */
@ConfigMapping(prefix = "usersync.sync")
public interface SyncConfig {

    Worker worker();

    Schedule schedule();

    Run run();

    Guard guard();

    /** Background workers. */
    interface Worker {
        /**
         * Whether this replica runs sync runs at all: when false it neither claims due connections nor executes
         * runs inside API requests (deny-list changes, approvals); those runs stay queued for an enabled replica.
         */
        @WithDefault("true")
        boolean enabled();

        /** How often a replica looks for due connections. */
        @WithDefault("5s")
        Duration pollInterval();

        /** Runs executed at once by one replica (bounded global concurrency is this times the replicas). */
        @WithDefault("4")
        int maxConcurrentRuns();

        /**
         * How long a connection's lease lasts without renewal. A replica that dies holds its connections at
         * most this long. Renewals happen every {@code lease-renewal} (a separate key, which does not follow
         * this one: change both together).
         */
        @WithDefault("60s")
        Duration leaseDuration();

        /** How often running connections' leases are renewed; keep it well below the lease duration. */
        @WithDefault("20s")
        Duration leaseRenewal();

        /** On shutdown, how long a run that is already applying may take to finish. */
        @WithDefault("20s")
        Duration shutdownDrain();

        /** This replica's name in leases and runs; defaults to the host name plus a random suffix. */
        Optional<String> instanceId();
    }

    /** Scheduling of connections. */
    interface Schedule {
        /** Interval of a new connection. */
        @WithDefault("60")
        int defaultMinutes();

        /** Smallest interval a tenant may choose. */
        @WithDefault("5")
        int minimumMinutes();

        /** Random spread added to each next run, as a percentage of the interval, so tenants do not align. */
        @WithDefault("10")
        int jitterPercent();

        /**
         * Retry after a failed run ({@code usersync.sync.schedule.failure-retry}): instead of waiting a whole
         * interval, the next run of a connection whose run FAILED (provider outage, throttling beyond the time
         * budget, network, lost lease, ...) comes this long after the failure. The delay doubles with each
         * consecutive failed run of the connection (5m, 10m, 20m, ... with the default) and never exceeds the
         * connection's interval; the jitter above is added. Dry runs and deny-list runs do not count and do not
         * bring the schedule forward; a successful run ends the streak. {@code 0s} turns the faster retry off.
         */
        @WithDefault("5m")
        Duration failureRetry();

        /** A full reconcile happens at least this often even when incremental (delta) reads are available. */
        @WithDefault("24h")
        Duration fullReconcileInterval();
    }

    /** Execution of one run. */
    interface Run {
        /** Time budget of a run's read, retries and throttling waits included. */
        @WithDefault("30m")
        Duration timeBudget();

        /** Planned changes applied per database transaction. */
        @WithDefault("500")
        int applyChunkSize();

        /** Pages fetched ahead of processing (bounded buffer between the provider and the database). */
        @WithDefault("2")
        int prefetchPages();
    }

    /** Defaults of the mass-deactivation guard for new connections. */
    interface Guard {
        @WithDefault("20")
        int massDeactivationPercent();

        @WithDefault("10")
        int massDeactivationMinimum();
    }
}
