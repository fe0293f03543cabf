package io.usersync.platform;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.spi.JobInstrumenter;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Lets scheduled jobs that are running when the replica stops finish before the application goes away.
 * Quarkus's scheduler stops triggering on shutdown but does not wait for executions in progress, so a job that
 * happened to be in a transaction (the billing consumer polls every 200 ms) failed with the container gone and
 * logged ERRORs on every normal stop. Every execution passes through here (the scheduler's job instrumentation
 * SPI, enabled by {@code quarkus.scheduler.tracing.enabled}); once shutdown begins, new executions are skipped
 * and the running ones are awaited, at most {@link #DRAIN}.
 */
@ApplicationScoped
public class ScheduledJobDrain implements JobInstrumenter {

    private static final Logger LOG = Logger.getLogger(ScheduledJobDrain.class);
    static final Duration DRAIN = Duration.ofSeconds(20);

    private int running;
    private boolean stopping;

    @Override
    public CompletionStage<Void> instrument(JobInstrumentationContext context) {
        synchronized (this) {
            if (stopping) {
                return CompletableFuture.completedFuture(null);
            }
            running++;
        }
        try {
            return context.executeJob().whenComplete((result, failure) -> done());
        } catch (RuntimeException | Error e) {
            done();
            throw e;
        }
    }

    private synchronized void done() {
        running--;
        notifyAll();
    }

    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        synchronized (this) {
            stopping = true;
            try {
                while (running > 0) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        LOG.warnf("%d scheduled jobs still running after %s; stopping anyway", running, DRAIN);
                        return;
                    }
                    wait(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
