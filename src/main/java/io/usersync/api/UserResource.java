package io.usersync.api;

import io.usersync.api.dto.PageView;
import io.usersync.api.dto.UserDtos.ChangeRole;
import io.usersync.api.dto.UserDtos.CreateUser;
import io.usersync.api.dto.UserDtos.StatusEventView;
import io.usersync.api.dto.UserDtos.UpdateUser;
import io.usersync.api.dto.UserDtos.UserPage;
import io.usersync.api.dto.UserDtos.UserView;
import io.usersync.api.security.CurrentCaller;
import io.usersync.common.Cursor;
import io.usersync.common.Page;
import io.usersync.directory.LookalikeEmails;
import io.usersync.directory.User;
import io.usersync.directory.UserService;
import io.usersync.directory.UserSource;
import io.usersync.tenant.Caller;
import io.usersync.tenant.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Users of a client account and their billable-state history. */
@Path("/api/clients/{clientId}/users")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Role.OPERATOR_NAME, Role.MSP_ADMIN_NAME, Role.CLIENT_ADMIN_NAME })
@Tag(name = "Users")
public class UserResource {

    @Inject
    CurrentCaller caller;

    @Inject
    UserService users;

    /** Warns of look-alike addresses after a create (a separate read, after the change is committed). */
    @Inject
    LookalikeEmails lookalikes;

    @GET
    @Operation(summary = "List users, with the client account's total active users")
    public UserPage list(@PathParam("clientId") String clientId, @QueryParam("active") String active,
            @QueryParam("source") String source, @QueryParam("email") String emailPrefix,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        Caller who = caller.get();
        UUID client = Params.id("clientId", clientId);
        UserService.Filter filter = new UserService.Filter(Params.bool("active", active),
                Params.enumValue("source", source, UserSource.class), emailPrefix);
        UserService.Listing listing = users.list(who, client, filter, Cursor.decode(cursor), Cursor.limit(limit));
        Page<User> page = listing.page();
        return new UserPage(page.items().stream().map(UserView::of).toList(), page.nextCursor(),
                listing.totalActive());
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Operation(summary = "Create a user (active unless active=false); notice warns of a look-alike address")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = UserView.class)))
    public Response create(@PathParam("clientId") String clientId, @Valid CreateUser body) {
        Params.body(body);
        User user = users.create(caller.get(), Params.id("clientId", clientId), new UserService.NewUser(
                body.firstName(), body.lastName(), body.email(), body.active(), body.admin()));
        return Response.created(URI.create("/api/clients/" + user.clientId + "/users/" + user.id))
                .entity(UserView.of(user, lookalikes.notice(user))).build();
    }

    @GET
    @Path("{userId}")
    @Operation(summary = "Get a user")
    public UserView get(@PathParam("clientId") String clientId, @PathParam("userId") String userId) {
        return UserView.of(users.get(caller.get(), Params.id("clientId", clientId), Params.id("userId", userId)));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PATCH
    @Path("{userId}")
    @Operation(summary = "Change a user's names or email")
    public UserView update(@PathParam("clientId") String clientId, @PathParam("userId") String userId,
            @Valid UpdateUser body) {
        Params.body(body);
        UserService.Outcome outcome = users.update(caller.get(), Params.id("clientId", clientId),
                Params.id("userId", userId), body.firstName(), body.lastName(), body.email());
        return UserView.of(outcome.user(), outcome.notice());
    }

    @DELETE
    @Path("{userId}")
    @Operation(summary = "Delete a user: billing stops now, the deletion is recorded in the history")
    public void delete(@PathParam("clientId") String clientId, @PathParam("userId") String userId) {
        users.delete(caller.get(), Params.id("clientId", clientId), Params.id("userId", userId));
    }

    @POST
    @Path("{userId}/activate")
    @Operation(summary = "Activate a user (respects the user limit)")
    public UserView activate(@PathParam("clientId") String clientId, @PathParam("userId") String userId) {
        UserService.Outcome outcome = users.activate(caller.get(), Params.id("clientId", clientId),
                Params.id("userId", userId));
        return UserView.of(outcome.user(), outcome.notice());
    }

    @POST
    @Path("{userId}/deactivate")
    @Operation(summary = "Deactivate a user (administrators must be demoted first)")
    public UserView deactivate(@PathParam("clientId") String clientId, @PathParam("userId") String userId) {
        UserService.Outcome outcome = users.deactivate(caller.get(), Params.id("clientId", clientId),
                Params.id("userId", userId));
        return UserView.of(outcome.user(), outcome.notice());
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("{userId}/role")
    @Operation(summary = "Grant or remove the administrator role")
    public UserView changeRole(@PathParam("clientId") String clientId, @PathParam("userId") String userId,
            @Valid ChangeRole body) {
        Params.body(body);
        return UserView.of(users.setAdministrator(caller.get(), Params.id("clientId", clientId),
                Params.id("userId", userId), body.admin()));
    }

    @GET
    @Path("{userId}/history")
    @Operation(summary = "Billable-state history of one user")
    public PageView<StatusEventView> userHistory(@PathParam("clientId") String clientId,
            @PathParam("userId") String userId, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return PageView.of(users.history(caller.get(), Params.id("clientId", clientId),
                Params.id("userId", userId), Cursor.decode(cursor), Cursor.limit(limit)), StatusEventView::of);
    }

    @GET
    @Path("history")
    @Operation(summary = "Billable-state history of every user of the client account")
    public PageView<StatusEventView> clientHistory(@PathParam("clientId") String clientId,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return PageView.of(users.history(caller.get(), Params.id("clientId", clientId), null,
                Cursor.decode(cursor), Cursor.limit(limit)), StatusEventView::of);
    }
}
