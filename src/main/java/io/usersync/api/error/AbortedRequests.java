package io.usersync.api.error;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts requests that ended because their connection closed before the body arrived, once their processing
 * has finished (the exception mapper answered them). A stopping replica that closes stalled uploads waits for
 * this count, so their processing ends while the application is still up.
 */
@ApplicationScoped
public class AbortedRequests {

    private long finished;

    synchronized void finished() {
        finished++;
        notifyAll();
    }

    public synchronized long count() {
        return finished;
    }

    /** Waits until the count reaches the target, at most the given time; returns whether it did. */
    public synchronized boolean awaitCount(long target, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (finished < target) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}
