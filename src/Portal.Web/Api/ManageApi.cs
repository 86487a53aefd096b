using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Portal.Catalog.Sources;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Catalog;
using Portal.Web.Connections;
using Portal.Web.Hosting;

namespace Portal.Web.Api;

/// <summary>What <c>POST /api/catalog/imports</c> takes: the catalog file's text, as the Settings page would upload it.</summary>
/// <param name="Name">The import's name (1-200 characters); a name that exists gets a new version.</param>
/// <param name="FileName">The file's name, kept for the list.</param>
/// <param name="Content">The catalog file (JSON, up to 5 MB).</param>
public sealed record CatalogImportRequest(string? Name, string? FileName, string? Content);

/// <summary>A connection as the API shows it: never the key, only its last four characters.</summary>
public sealed record ConnectionDto(
    Guid? Id,
    string Name,
    string Kind,
    Uri Endpoint,
    string Auth,
    string? KeyHint,
    IReadOnlyList<string> Models,
    bool FromConfiguration,
    bool Shared);

/// <summary>What <c>POST /api/connections</c> takes. <see cref="ApiKey"/> is write-only: it is never returned.</summary>
/// <param name="Id">An existing connection to replace; none to add one.</param>
/// <param name="Name">The name the playgrounds list (1-100 characters).</param>
/// <param name="Kind">AzureOpenAI, AzureAIFoundry, OpenAI, GitHubModels or OpenAICompatible (default).</param>
/// <param name="Endpoint">The base URL, for example https://my-resource.openai.azure.com/ or http://localhost:11434/v1.</param>
/// <param name="Auth">ApiKey (default), EntraId or None.</param>
/// <param name="ApiKey">The key (write-only); empty keeps the saved one while the kind and server are unchanged.</param>
/// <param name="Models">Model or deployment names.</param>
/// <param name="Shared">For the whole team (needs the Contributor role); otherwise the caller's own (Azure AI Developer).</param>
public sealed record ConnectionRequest(
    Guid? Id,
    string? Name,
    string? Kind,
    string? Endpoint,
    string? Auth,
    string? ApiKey,
    IReadOnlyList<string>? Models,
    bool Shared = false);

/// <summary>
/// The HTTP API that changes things: catalog imports and connections. Each call is checked by the service that acts,
/// against the caller's role; a refusal is 403 problem details. With sign-in on, changes are taken only with a
/// bearer token (a personal API token or the provider's access token), never with the browser's cookie, and only as
/// <c>application/json</c>, so another site cannot make a signed-in browser call them.
/// </summary>
public static class ManageApi
{
    /// <summary>The policy of the mutating endpoints: signed in, and not by the browser's cookie.</summary>
    public const string BearerOnlyPolicy = "PortalApiBearer";

    internal const string AccessDescription =
        " The caller's portal role is checked (see the README's permission matrix): a refusal is 403 problem details whose detail says which role is needed. "
        + "With sign-in on, send Authorization: Bearer <token> (a personal API token from Settings → API tokens, or the provider's access token); "
        + "the browser's sign-in cookie is not accepted for changes.";

    public static IEndpointRouteBuilder MapManageApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Read as the authentication setup reads it (AddPortalAuth), not through the validated options: a bad sign-in
        // setting must stop the start with its own line (IStartupValidator), not throw while endpoints are mapped.
        var signInRequired = AuthOptions.Read(endpoints.ServiceProvider.GetRequiredService<IConfiguration>()).SignInRequired;

        var imports = endpoints.MapGroup("/api/catalog/imports").WithTags("Catalog imports").AddEndpointFilter(DeniedAs403);
        imports.MapGet("", async (CatalogImporter importer, CancellationToken cancellationToken) => TypedResults.Ok(await importer.ListAsync(cancellationToken)))
            .WithName("ListCatalogImports")
            .WithSummary("Every imported catalog version, newest first per name; IsActive marks the one in the catalog");
        Changes(imports.MapPost("", ImportAsync), signInRequired)
            .AddOpenApiOperationTransformer(JsonBody<CatalogImportRequest>)
            .WithName("ImportCatalog")
            .WithSummary("Import a catalog file: validated whole, applied only when entirely valid")
            .WithDescription("201 with the new import (a name that exists gets a new version); 400 problem details listing every problem in the file (errors: path → reasons), nothing changed." + AccessDescription);
        Changes(imports.MapDelete("{id:int}", RemoveAsync), signInRequired)
            .WithName("RemoveCatalogImport")
            .WithSummary("Remove one imported catalog version; the previous version of that name, if any, becomes active")
            .WithDescription("204 when removed, 404 when there is no such import." + AccessDescription);

        var connections = endpoints.MapGroup("/api/connections").WithTags("Connections").AddEndpointFilter(DeniedAs403);
        connections.MapGet("", async (ConnectionService service, CancellationToken cancellationToken) =>
                TypedResults.Ok((await service.ListAsync(cancellationToken)).Select(ToDto).ToList()))
            .WithName("ListConnections")
            .WithSummary("The connections the caller can use: declared in configuration, shared with the team, and the caller's own")
            .WithDescription("Keys are never returned: keyHint is the last four characters of a key, when it has eight or more.");
        Changes(connections.MapPost("", SaveConnectionAsync), signInRequired)
            .AddOpenApiOperationTransformer(JsonBody<ConnectionRequest>)
            .WithName("SaveConnection")
            .WithSummary("Add a connection (no id) or replace one (its id); the key is encrypted in the store and never returned")
            .WithDescription("201 with the new connection, 200 with the replaced one; 400 problem details listing the problems. "
                + "An empty apiKey keeps the saved key while the kind and the endpoint's server are unchanged (for a shared connection, its exact address). shared=true adds it for the whole team." + AccessDescription);
        Changes(connections.MapDelete("{id:guid}", DeleteConnectionAsync), signInRequired)
            .WithName("DeleteConnection")
            .WithSummary("Delete one of the caller's connections, or a shared one")
            .WithDescription("204 when deleted, 404 when the caller has no such connection." + AccessDescription);
        return endpoints;
    }

    /// <summary>With sign-in on: a bearer token only (not the cookie). Always: JSON bodies only (415 otherwise).</summary>
    internal static RouteHandlerBuilder Changes(RouteHandlerBuilder endpoint, bool signInRequired) =>
        signInRequired ? endpoint.RequireAuthorization(BearerOnlyPolicy) : endpoint;

    /// <summary>Registers <see cref="BearerOnlyPolicy"/>: a signed-in caller whose request was read from its Authorization header.</summary>
    public static IServiceCollection AddManageApi(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPolicy(BearerOnlyPolicy, policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.Resource is HttpContext http
                && AuthServiceCollectionExtensions.SelectScheme(http) != CookieAuthenticationDefaults.AuthenticationScheme));
        return services;
    }

    internal static async ValueTask<object?> DeniedAs403(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (PortalAccessDeniedException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: ex.Message);
        }
    }

    /// <summary>
    /// Describes the JSON body in OpenAPI. (Not <c>Accepts&lt;T&gt;</c> nor a typed body parameter: their content-type
    /// metadata takes part in routing, and a form post would fall through to the pages' endpoint instead of getting this
    /// API's 415.)
    /// </summary>
    internal static async Task JsonBody<T>(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    }

    /// <summary>
    /// The body as JSON, or why not: only <c>application/json</c> is read (415 otherwise), so an HTML form on another site
    /// can never post here.
    /// </summary>
    internal static async Task<(T? Body, ProblemHttpResult? Problem)> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the body as JSON, with Content-Type: application/json."));
        }

        try
        {
            return await request.ReadFromJsonAsync<T>(cancellationToken) is { } body
                ? (body, null)
                : (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No body", detail: "Send a JSON object."));
        }
        catch (System.Text.Json.JsonException ex)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON", detail: ex.Message));
        }
    }

    private static async Task<Results<Created<CatalogImportRecord>, ProblemHttpResult>> ImportAsync(HttpRequest http, CatalogImporter importer, CancellationToken cancellationToken)
    {
        var (request, unreadable) = await ReadJsonAsync<CatalogImportRequest>(http, cancellationToken);
        if (request is null)
        {
            return unreadable!;
        }

        if (request.Content is null || request.Content.Length > CatalogImporter.MaxFileBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not imported",
                detail: request.Content is null ? "Send the catalog file's text in content." : $"The file is over {CatalogImporter.MaxFileBytes / 1024 / 1024} MB.");
        }

        var outcome = await importer.ImportAsync(request.Name ?? "", request.FileName ?? "catalog.json", request.Content, cancellationToken);
        if (outcome.Import is { } import)
        {
            return TypedResults.Created($"/api/catalog/imports/{import.Id}", import);
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not imported",
            detail: $"{outcome.Errors.Count} problem(s) found; nothing was changed.",
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = outcome.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()),
            });
    }

    private static async Task<Results<NoContent, NotFound>> RemoveAsync(int id, CatalogImporter importer, CancellationToken cancellationToken) =>
        await importer.RemoveAsync(id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Created<ConnectionDto>, Ok<ConnectionDto>, ProblemHttpResult>> SaveConnectionAsync(HttpRequest http, ConnectionService service, CancellationToken cancellationToken)
    {
        var (request, unreadable) = await ReadJsonAsync<ConnectionRequest>(http, cancellationToken);
        if (request is null)
        {
            return unreadable!;
        }

        var problems = new List<string>();
        var kind = ConnectionKind.OpenAICompatible;
        if (request.Kind is { Length: > 0 } kindText && !Enum.TryParse(kindText, ignoreCase: true, out kind))
        {
            problems.Add($"Unknown kind '{kindText}': use {string.Join(", ", Enum.GetNames<ConnectionKind>())}.");
        }

        var auth = ConnectionAuth.ApiKey;
        if (request.Auth is { Length: > 0 } authText && !Enum.TryParse(authText, ignoreCase: true, out auth))
        {
            problems.Add($"Unknown auth '{authText}': use {string.Join(", ", Enum.GetNames<ConnectionAuth>())}.");
        }

        if (problems.Count == 0)
        {
            var (saved, errors) = await service.SaveAsync(
                new ConnectionInput(request.Id, request.Name ?? "", kind, request.Endpoint ?? "", auth, request.ApiKey, request.Models ?? [], request.Shared),
                cancellationToken);
            if (saved is not null)
            {
                return request.Id is null ? TypedResults.Created($"/api/connections/{saved.Id}", ToDto(saved)) : TypedResults.Ok(ToDto(saved));
            }

            problems.AddRange(errors);
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not saved", detail: string.Join(" ", problems),
            extensions: new Dictionary<string, object?> { ["errors"] = problems });
    }

    private static async Task<Results<NoContent, NotFound>> DeleteConnectionAsync(Guid id, ConnectionService service, CancellationToken cancellationToken) =>
        await service.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static ConnectionDto ToDto(ConnectionView c) =>
        new(c.Id, c.Name, c.Kind.ToString(), c.Endpoint, c.Auth.ToString(), c.KeyHint, c.Models, c.FromConfiguration, c.Shared);
}
