package io.usersync.platform;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Lets a stopping replica drain real work without waiting for clients that stopped sending.
 *
 * <p>On SIGTERM Quarkus waits up to {@code quarkus.shutdown.timeout} for every HTTP request in flight. A request
 * whose client sent the headers and part of the body and then went quiet (a dropped connection behind a proxy, a
 * hostile or broken client) counts as in flight until the blocking read gives up ({@code quarkus.http.read-timeout},
 * 60 s), so an otherwise idle replica sat out the whole shutdown timeout and then logged {@code ERROR Timed out
 * waiting for graceful shutdown}. Nothing has happened for such a request yet: the resource has not even read its
 * body. So when shutdown begins, every request still receiving its body is watched, and one that receives nothing
 * for {@link #STALL_MILLIS} has its connection closed: the client sees a dropped connection and retries against
 * another replica, and the drain ends as soon as the requests being worked on are answered. Uploads that keep
 * arriving, and requests being processed, are left to finish within the shutdown timeout.
 */
@ApplicationScoped
public class StalledUploads {

    private static final Logger LOG = Logger.getLogger(StalledUploads.class);
    /** How long an upload may receive nothing during shutdown before its connection is closed. */
    static final long STALL_MILLIS = 1000;

    @Inject
    Vertx vertx;

    @Inject
    io.usersync.api.error.AbortedRequests aborted;

    private int closed;

    private final Set<HttpServerRequest> receiving = ConcurrentHashMap.newKeySet();
    private final Map<HttpServerRequest, Long> lastSeen = new HashMap<>();

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            if (!request.isEnded()) {
                receiving.add(request);
                ctx.addEndHandler(done -> receiving.remove(request));
            }
            ctx.next();
        });
    }

    /** Shutdown begins (before Quarkus waits for the requests in flight): watch uploads until the end. */
    void onShutdown(@Observes ShutdownDelayInitiatedEvent event) {
        if (receiving.isEmpty()) {
            return;
        }
        long abortedBefore = aborted.count();
        check();
        // give uploads that are stalled right now one window to move before Quarkus starts waiting for them, then
        // let the requests cut here be answered while the application is still up (closing the connection ends
        // them for Quarkus's drain at once, before their processing has noticed)
        try {
            Thread.sleep(STALL_MILLIS + 100);
            check();
            int cut;
            synchronized (this) {
                cut = closed;
            }
            aborted.awaitCount(abortedBefore + cut, 3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // uploads that stall later, while requests drain
        vertx.setPeriodic(STALL_MILLIS / 2, timer -> check());
    }

    private synchronized void check() {
        long now = System.currentTimeMillis();
        Map<HttpServerRequest, Long> bytes = new HashMap<>();
        for (HttpServerRequest request : receiving) {
            if (request.isEnded()) {
                receiving.remove(request);
                continue;
            }
            long read = request.bytesRead();
            Long previous = lastSeen.get(request);
            Long since = stalledSince.get(request);
            if (previous == null || previous != read) {
                stalledSince.put(request, now);
            } else if (since != null && now - since >= STALL_MILLIS) {
                LOG.infof("shutting down: closing the connection of %s %s, whose body stopped arriving after %d "
                        + "bytes (the client can retry on another replica)", request.method(), request.path(), read);
                receiving.remove(request);
                closed++;
                request.connection().close();
                continue;
            }
            bytes.put(request, read);
        }
        lastSeen.clear();
        lastSeen.putAll(bytes);
        stalledSince.keySet().retainAll(bytes.keySet());
    }

    private final Map<HttpServerRequest, Long> stalledSince = new HashMap<>();
}
