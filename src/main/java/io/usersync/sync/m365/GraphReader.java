package io.usersync.sync.m365;

import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.delta.DeltaGetResponse;
import io.usersync.sync.port.DirectoryConnector;
import io.usersync.sync.port.DirectoryException;
import io.usersync.sync.port.DirectoryException.Kind;
import io.usersync.sync.port.DirectoryPage;
import io.usersync.sync.port.PoolSpec;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * One read of the pool, page by page on demand: only the current page is held. All-users pools are one delta
 * round (initial, or from the stored deltaLink); group pools list each group's transitive user members in turn.
 */
final class GraphReader implements DirectoryConnector.PoolReader {

    private final GraphServiceClient graph;
    private final GraphCalls calls;
    private final M365Connector connector;
    private final boolean allUsers;
    private final Deque<String> groups;
    private final String startDeltaLink;
    private final String prefer;
    private final int pageSize;

    private boolean started;
    private boolean finished;
    private String currentGroup;
    private String nextLink;
    private String deltaLink;
    private int pageNumber;

    GraphReader(GraphServiceClient graph, GraphCalls calls, M365Connector connector, PoolSpec pool,
            String startDeltaLink, int pageSize) {
        this.graph = graph;
        this.calls = calls;
        this.connector = connector;
        this.allUsers = pool.allUsers();
        this.groups = new ArrayDeque<>(pool.groups().stream().distinct().toList());
        this.startDeltaLink = startDeltaLink;
        this.pageSize = Math.max(1, Math.min(999, pageSize));
        this.prefer = "odata.maxpagesize=" + this.pageSize;
    }

    @Override
    public DirectoryPage next() throws DirectoryException {
        if (finished) {
            return null;
        }
        return allUsers ? nextDeltaPage() : nextGroupPage();
    }

    private DirectoryPage nextDeltaPage() throws DirectoryException {
        DeltaGetResponse response;
        if (!started) {
            started = true;
            if (startDeltaLink != null) {
                if (!connector.isGraphLink(startDeltaLink)) {
                    throw new DirectoryException(Kind.DELTA_EXPIRED,
                            "the stored delta link belongs to another Graph endpoint; the whole pool is read again");
                }
                response = calls.call("reading changes since the last sync", () -> graph.users().delta()
                        .withUrl(startDeltaLink).get(request -> request.headers.add("Prefer", prefer)));
            } else {
                response = calls.call("reading users (page 1)", () -> graph.users().delta().get(request -> {
                    request.queryParameters.select = M365Connector.SELECT;
                    request.headers.add("Prefer", prefer);
                }));
            }
        } else {
            String link = nextLink;
            response = calls.call("reading users (page " + (pageNumber + 1) + ")", () -> graph.users().delta()
                    .withUrl(link).get(request -> request.headers.add("Prefer", prefer)));
        }
        if (response == null) {
            throw new DirectoryException(Kind.MALFORMED_RESPONSE, "Graph answered a delta page without a body");
        }
        nextLink = response.getOdataNextLink();
        if (nextLink != null) {
            requireGraphLink(nextLink);
        } else {
            deltaLink = response.getOdataDeltaLink();
            if (deltaLink == null) {
                throw new DirectoryException(Kind.MALFORMED_RESPONSE,
                        "Graph ended the delta round without @odata.nextLink or @odata.deltaLink");
            }
            requireGraphLink(deltaLink);
            finished = true;
        }
        return page(response.getValue());
    }

    private DirectoryPage nextGroupPage() throws DirectoryException {
        UserCollectionResponse response;
        if (currentGroup == null) {
            currentGroup = groups.poll();
            if (currentGroup == null) {
                finished = true;
                return null;
            }
            String group = currentGroup;
            response = calls.call("listing the members of group " + group, () -> graph.groups().byGroupId(group)
                    .transitiveMembers().graphUser().get(request -> {
                        request.queryParameters.top = pageSize;
                        request.queryParameters.select = M365Connector.SELECT;
                    }));
        } else {
            String group = currentGroup;
            String link = nextLink;
            response = calls.call("listing the members of group " + group + " (page " + (pageNumber + 1) + ")",
                    () -> graph.groups().byGroupId(group).transitiveMembers().graphUser().withUrl(link).get());
        }
        if (response == null) {
            throw new DirectoryException(Kind.MALFORMED_RESPONSE, "Graph answered a member page without a body");
        }
        nextLink = response.getOdataNextLink();
        if (nextLink != null) {
            requireGraphLink(nextLink);
        } else {
            currentGroup = null;
        }
        return page(response.getValue());
    }

    private DirectoryPage page(List<User> users) {
        return new DirectoryPage(++pageNumber, GraphUsers.toDirectoryUsers(users));
    }

    private void requireGraphLink(String link) throws DirectoryException {
        if (!connector.isGraphLink(link)) {
            throw new DirectoryException(Kind.MALFORMED_RESPONSE,
                    "Graph returned a paging link outside the configured Graph endpoint; refusing to follow it");
        }
    }

    @Override
    public String deltaToken() {
        return allUsers && finished ? deltaLink : null;
    }

    @Override
    public long requests() {
        return calls.requests();
    }

    @Override
    public long throttled() {
        return calls.throttled();
    }
}
