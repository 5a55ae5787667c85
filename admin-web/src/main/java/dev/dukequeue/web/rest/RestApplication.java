package dev.dukequeue.web.rest;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API's root, {@code /dukequeue/api/v1}; every path under it requires HTTP Basic credentials (web.xml). */
@ApplicationPath("api/v1")
@DeclareRoles({"admin", "viewer"})
@OpenAPIDefinition(
        info = @Info(title = "DukeQueue", version = "1",
                description = "A durable job queue for Jakarta EE. Every endpoint needs HTTP Basic credentials: the"
                        + " user admin (everything) or viewer (GET only). Errors are JSON {error, field, message}."),
        security = @SecurityRequirement(name = "basic"),
        components = @Components(
                securitySchemes = @SecurityScheme(securitySchemeName = "basic", type = SecuritySchemeType.HTTP,
                        scheme = "basic"),
                schemas = @Schema(name = "Error", type = SchemaType.OBJECT,
                        description = "Every error answer: a machine-readable error, the field at fault, a message",
                        example = "{\"error\":\"invalid_request\",\"field\":\"priority\","
                                + "\"message\":\"priority must be between 0 (highest) and 4 (lowest)\"}"),
                responses = {
                    @APIResponse(name = "BadRequest", responseCode = "400",
                            description = "Invalid input: the field and the rule it broke; nothing was written",
                            content = @Content(mediaType = "application/json",
                                    schema = @Schema(ref = "Error"),
                                    example = "{\"error\":\"invalid_request\",\"field\":\"jobs[1].dependsOnKeys\","
                                            + "\"message\":\"jobs[1].dependsOnKeys forms a dependency cycle, which"
                                            + " could never run: a -> b -> a\"}")),
                    @APIResponse(name = "NotFound", responseCode = "404", description = "No such job",
                            content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error"))),
                    @APIResponse(name = "Conflict", responseCode = "409",
                            description = "The action does not apply to the job's state",
                            content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error"),
                                    example = "{\"error\":\"illegal_state\",\"field\":\"state\",\"message\":"
                                            + "\"cannot cancel job ... in state COMPLETED\"}")),
                    @APIResponse(name = "Unavailable", responseCode = "503",
                            description = "The database is failing (circuit open); retry after the Retry-After header",
                            content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error")))
                }))
public class RestApplication extends Application {
}
