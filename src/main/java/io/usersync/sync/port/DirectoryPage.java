package io.usersync.sync.port;

import java.util.List;

/**
 * One page of users as read from the provider. {@code number} counts from 1 across the whole read (all groups
 * and org units of the pool).
 */
public record DirectoryPage(int number, List<DirectoryUser> users) {

    public DirectoryPage {
        users = List.copyOf(users);
    }
}
