package io.usersync.webhook;

import io.usersync.common.error.DomainException;
import io.usersync.events.WebhookEventType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Event type lists of endpoints: validation of what a tenant asks for, and the stored form (wire names, commas). */
public final class EventTypes {

    private EventTypes() {
    }

    /** The types a request names, checked: known, at least one, and MSP-wide types only on an MSP's endpoint. */
    public static Set<WebhookEventType> validate(String field, List<String> names, boolean clientEndpoint) {
        if (names == null || names.isEmpty()) {
            throw DomainException.invalidField(field, "must name at least one event type of "
                    + Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wireName).toList());
        }
        Set<WebhookEventType> types = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            WebhookEventType type = name == null ? null : WebhookEventType.fromWireName(name).orElse(null);
            if (type == null) {
                throw DomainException.invalidField(field + "[" + i + "]", "is not an event type; use one of "
                        + Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wireName).toList());
            }
            if (type.mspOnly() && clientEndpoint) {
                throw DomainException.invalidField(field + "[" + i + "]", name + " is about the MSP: subscribe"
                        + " to it with an endpoint of the MSP");
            }
            types.add(type);
        }
        return types;
    }

    public static String format(Set<WebhookEventType> types) {
        return types.stream().map(WebhookEventType::wireName).collect(Collectors.joining(","));
    }

    /** The stored list; names no longer known are ignored. */
    public static Set<WebhookEventType> parse(String stored) {
        Set<WebhookEventType> types = EnumSet.noneOf(WebhookEventType.class);
        for (String name : stored.split(",")) {
            WebhookEventType.fromWireName(name.strip()).ifPresent(types::add);
        }
        return types;
    }
}
