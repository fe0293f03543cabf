package io.usersync.billing;

import static io.usersync.billing.BillingTestSupport.OPERATOR;
import static io.usersync.billing.BillingTestSupport.mspCreated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.billing.api.BillingUsage;
import io.usersync.billing.api.Notice;
import io.usersync.common.Ids;
import io.usersync.common.Jdbc;
import io.usersync.common.Page;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The notices of an MSP: every one of them, newest first, and cursor pages of them. */
@QuarkusTest
class NoticePaginationTest {

    static final int NOTICES = 150;

    @Inject
    BillingTestSupport billing;

    @Inject
    BillingUsage usage;

    @Inject
    DataSource dataSource;

    /** An MSP with {@value #NOTICES} cleared notices, one a day; returns their ids newest first. */
    UUID mspWithNotices(List<UUID> newestFirst) throws Exception {
        UUID msp = Ids.newId();
        billing.write(mspCreated(msp, "2020-01-01T00:00:00Z"));
        billing.drain();
        Instant first = Instant.parse("2020-02-01T00:00:00Z");
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO billing_notice (id, msp_id, kind, raised_at, oldest_invoice_id, outstanding_since,"
                        + " outstanding_minor, currency, cleared_at, open_marker)"
                        + " VALUES (?, ?, 'SUSPENSION_RECOMMENDED', ?, ?, ?, 200, 'EUR', ?, NULL)")) {
            for (int i = 0; i < NOTICES; i++) {
                UUID id = Ids.newId();
                Instant raised = first.plusSeconds(86_400L * i);
                s.setBytes(1, Jdbc.bytes(id));
                s.setBytes(2, Jdbc.bytes(msp));
                s.setString(3, Jdbc.timestamp(raised));
                s.setBytes(4, Jdbc.bytes(Ids.newId()));
                s.setString(5, Jdbc.timestamp(raised.minusSeconds(30 * 86_400L)));
                s.setString(6, Jdbc.timestamp(raised.plusSeconds(3_600)));
                s.addBatch();
                newestFirst.addFirst(id);
            }
            s.executeBatch();
        }
        return msp;
    }

    @Test
    void everyNoticeIsListedNewestFirst() throws Exception {
        List<UUID> expected = new ArrayList<>();
        UUID msp = mspWithNotices(expected);
        List<Notice> notices = usage.notices(OPERATOR, msp);
        assertEquals(NOTICES, notices.size(), "every notice, not the first 100");
        assertEquals(expected, notices.stream().map(Notice::id).toList());
        Api.as(Tokens.operator()).get("/api/msps/" + msp + "/billing/notices").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(NOTICES));
    }

    @Test
    void noticesComeInCursorPages() throws Exception {
        List<UUID> expected = new ArrayList<>();
        UUID msp = mspWithNotices(expected);
        List<UUID> seen = new ArrayList<>();
        UUID after = null;
        List<Integer> sizes = new ArrayList<>();
        while (true) {
            Page<Notice> page = usage.notices(OPERATOR, msp, after, 60);
            sizes.add(page.items().size());
            page.items().forEach(n -> seen.add(n.id()));
            if (page.nextCursor() == null) {
                break;
            }
            assertNotNull(io.usersync.common.Cursor.decode(page.nextCursor()));
            after = io.usersync.common.Cursor.decode(page.nextCursor());
        }
        assertEquals(List.of(60, 60, 30), sizes);
        assertEquals(expected, seen, "newest first, none twice, none left out");
        Page<Notice> exact = usage.notices(OPERATOR, msp, null, NOTICES);
        assertEquals(NOTICES, exact.items().size());
        assertNull(exact.nextCursor(), "no empty last page");
    }
}
