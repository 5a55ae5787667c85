package dev.dukequeue.web.rest;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import dev.dukequeue.web.rest.dto.Problem;
import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API's root, {@code /dukequeue/api/v1}; every path under it requires HTTP Basic credentials (web.xml). */
@ApplicationPath("api/v1")
@DeclareRoles({"admin", "viewer"})
@OpenAPIDefinition(
        info = @Info(title = "DukeQueue", version = "1",
                description = "A durable job queue for Jakarta EE. Every endpoint needs HTTP Basic credentials: the"
                        + " user admin (everything) or viewer (GET only). Every error is an RFC 9457 problem (application/problem+json) with the extension members error and field."),
        security = @SecurityRequirement(name = "basic"),
        components = @Components(
                securitySchemes = @SecurityScheme(securitySchemeName = "basic", type = SecuritySchemeType.HTTP,
                        scheme = "basic"),
                schemas = @Schema(name = "Problem", type = SchemaType.OBJECT,
                        description = "Every error answer, as RFC 9457 problem details (application/problem+json)",
                        properties = {
                            @SchemaProperty(name = "type", type = SchemaType.STRING, description = "urn:dukequeue:problem:"
                                    + "<error> for DukeQueue's problems; about:blank for plain HTTP errors"),
                            @SchemaProperty(name = "title", type = SchemaType.STRING,
                                    description = "The status's reason phrase"),
                            @SchemaProperty(name = "status", type = SchemaType.INTEGER, description = "The HTTP status"),
                            @SchemaProperty(name = "detail", type = SchemaType.STRING,
                                    description = "What went wrong: the field and the rule it broke"),
                            @SchemaProperty(name = "error", type = SchemaType.STRING,
                                    description = "Extension: the short code (the type's last segment)"),
                            @SchemaProperty(name = "field", type = SchemaType.STRING, nullable = true,
                                    description = "Extension: the field or header at fault, when one is"),
                            @SchemaProperty(name = "message", type = SchemaType.STRING, deprecated = true,
                                    description = "Extension: the same text as detail, for clients written before")},
                        requiredProperties = {"type", "title", "status", "detail", "error"},
                        example = "{\"type\":\"urn:dukequeue:problem:invalid_request\",\"title\":\"Bad Request\","
                                + "\"status\":400,\"detail\":\"priority must be between 0 (highest) and 4 (lowest)\","
                                + "\"error\":\"invalid_request\",\"field\":\"priority\",\"message\":\"priority must"
                                + " be between 0 (highest) and 4 (lowest)\"}"),
                responses = {
                    @APIResponse(name = "BadRequest", responseCode = "400",
                            description = "Invalid input: the field and the rule it broke; nothing was written",
                            content = @Content(mediaType = Problem.MEDIA_TYPE,
                                    schema = @Schema(ref = "Problem"),
                                    example = "{\"type\":\"urn:dukequeue:problem:invalid_request\",\"title\":"
                                            + "\"Bad Request\",\"status\":400,\"detail\":\"jobs[1].dependsOnKeys forms"
                                            + " a dependency cycle, which could never run: a -> b -> a\",\"error\":"
                                            + "\"invalid_request\",\"field\":\"jobs[1].dependsOnKeys\",\"message\":"
                                            + "\"...\"}")),
                    @APIResponse(name = "Unauthorized", responseCode = "401",
                            description = "No credentials, or wrong ones (WWW-Authenticate: Basic)",
                            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                    @APIResponse(name = "Forbidden", responseCode = "403", description = "The viewer may only read;"
                            + " a state change from a browser session needs its X-CSRF-Token and the same origin",
                            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                    @APIResponse(name = "NotFound", responseCode = "404", description = "No such job",
                            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                    @APIResponse(name = "Conflict", responseCode = "409",
                            description = "The action does not apply to the job's state",
                            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"),
                                    example = "{\"type\":\"urn:dukequeue:problem:illegal_state\",\"title\":"
                                            + "\"Conflict\",\"status\":409,\"detail\":\"cannot cancel job ... in state"
                                            + " COMPLETED\",\"error\":\"illegal_state\",\"field\":\"state\","
                                            + "\"message\":\"...\"}")),
                    @APIResponse(name = "BodyTooLarge", responseCode = "413",
                            description = "The request body is larger than the API accepts",
                            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                    @APIResponse(name = "UnsupportedMediaType", responseCode = "415",
                            description = "The body must be application/json (UTF-8)",
                            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                    @APIResponse(name = "Internal", responseCode = "500", description = "An unexpected failure: the"
                            + " detail quotes an error id, under which the server's log has the stack trace",
                            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                    @APIResponse(name = "Unavailable", responseCode = "503",
                            description = "The database is failing (circuit open); retry after the Retry-After header",
                            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
                }))
public class RestApplication extends Application {
}
