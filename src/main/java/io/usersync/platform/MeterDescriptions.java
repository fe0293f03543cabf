package io.usersync.platform;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * HELP text for the framework meters that come without one (Netty's allocator and event loops, Vert.x's active
 * HTTP requests), so every series in {@code /q/metrics} says what it measures. The service's own meters carry
 * their description where they are registered.
 */
public class MeterDescriptions {

    static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("http.server.active.requests", "HTTP requests being served right now"),
            Map.entry("netty.allocator.memory.used", "Memory held by a Netty byte-buffer allocator"),
            Map.entry("netty.allocator.memory.pinned", "Memory of a Netty allocator pinned by buffers in use"),
            Map.entry("netty.allocator.pooled.arenas", "Arenas of a pooled Netty allocator"),
            Map.entry("netty.allocator.pooled.cache.size", "Cache size of a pooled Netty allocator"),
            Map.entry("netty.allocator.pooled.chunk.size", "Chunk size of a pooled Netty allocator"),
            Map.entry("netty.allocator.pooled.threadlocal.caches", "Thread-local caches of a pooled Netty allocator"),
            Map.entry("netty.eventexecutor.tasks.pending", "Tasks waiting in a Netty event loop"));

    @Produces
    @Singleton
    MeterFilter describeFrameworkMeters() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String help = id.getDescription() == null || id.getDescription().isBlank() ? HELP.get(id.getName())
                        : null;
                return help == null ? id
                        : new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), help,
                                id.getType());
            }
        };
    }
}
