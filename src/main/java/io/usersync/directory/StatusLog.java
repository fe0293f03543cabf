package io.usersync.directory;

import io.usersync.common.Jdbc;
import io.usersync.events.Outbox;
import io.usersync.events.OutboxEvent;
import io.usersync.events.WebhookEvent;
import io.usersync.events.WebhookEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;

/**
 * The only writer of the billable-state history. Each change becomes a {@code user_status_event} row and an
 * outbox event with the same id — both in the caller's transaction, which is mandatory, so no user changes
 * state without its event and history and outbox match one to one. (The deletion of an already inactive user
 * is recorded too; billing sees it as a {@code false → false} no-op.) Batches are written with JDBC batching
 * because sync applies thousands of changes per transaction.
 */
@ApplicationScoped
public class StatusLog {

    private static final String INSERT = """
            INSERT INTO user_status_event (id, msp_id, client_id, user_id, old_active, new_active, cause, actor,
                                           sync_run_id, occurred_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    @Inject
    DataSource dataSource;

    @Inject
    Outbox outbox;

    @Inject
    WebhookEvents webhooks;

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(StatusChange change) {
        recordAll(List.of(change));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void recordAll(Collection<StatusChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<OutboxEvent> events = new ArrayList<>(changes.size());
        List<WebhookEvent> billableChanges = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (StatusChange c : changes) {
                insert.setBytes(1, Jdbc.bytes(c.eventId()));
                insert.setBytes(2, Jdbc.bytes(c.mspId()));
                insert.setBytes(3, Jdbc.bytes(c.clientId()));
                insert.setBytes(4, Jdbc.bytes(c.userId()));
                Jdbc.setBoolean(insert, 5, c.oldActive());
                insert.setBoolean(6, c.newActive());
                insert.setString(7, c.cause().name());
                insert.setString(8, c.actor());
                insert.setBytes(9, Jdbc.bytes(c.syncRunId()));
                insert.setObject(10, Jdbc.timestamp(c.occurredAt()));
                insert.addBatch();
                events.add(OutboxEvent.userActive(c.eventId(), c.mspId(), c.clientId(), c.userId(),
                        c.occurredAt(), c.oldActive() != null && c.oldActive(), c.newActive()));
                if ((c.oldActive() != null && c.oldActive()) != c.newActive()) {
                    billableChanges.add(WebhookEvent.userBillableChanged(c.eventId(), c.mspId(), c.clientId(),
                            c.userId(), c.newActive(), c.cause().name(), c.actor(), c.syncRunId(), c.occurredAt()));
                }
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the user status history", e);
        }
        outbox.appendAll(events);
        webhooks.publishAll(billableChanges); // tenants' user.billable.changed webhooks, same transaction
    }
}
