using System.Security.Claims;
using Archivum.Archive.Security;
using Microsoft.AspNetCore.Authorization;

namespace Archivum.Hosting.Security;

/// <summary>
/// One authorisation policy per <see cref="Privilege"/>: the user's role (its claim) must grant
/// it (<see cref="RolePrivileges"/>). Endpoints name theirs with <see cref="RequirePrivilege"/>;
/// an endpoint that names none still needs a signed-in user (the fallback policy), so nothing is
/// left open by forgetting.
/// </summary>
internal static class PrivilegePolicies
{
    public static string Name(Privilege permission) => "privilege:" + permission;

    public static void Add(AuthorizationOptions options)
    {
        foreach (var permission in Enum.GetValues<Privilege>().Where(p => p != Privilege.None))
        {
            options.AddPolicy(Name(permission), policy => policy.RequireAuthenticatedUser().RequireAssertion(context => Grants(context.User, permission)));
        }
        foreach (var anyOf in AnyOfCombinations)
        {
            options.AddPolicy(AnyName(anyOf), policy => policy.RequireAuthenticatedUser().RequireAssertion(context => GrantsAny(context.User, anyOf)));
        }
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }

    /// <summary>
    /// The privileges an endpoint may require one of: reading patient data as a clinician does, or
    /// de-identified copies as a researcher does (the data scope then narrows what either sees).
    /// </summary>
    public static readonly Privilege[] AnyOfCombinations = [Privilege.Query | Privilege.ReadDeidentified, Privilege.Retrieve | Privilege.ReadDeidentified];

    private static string AnyName(Privilege anyOf) => "privilege-any:" + anyOf;

    private static bool GrantsAny(ClaimsPrincipal user, Privilege anyOf) =>
        Enum.GetValues<Privilege>().Any(p => p != Privilege.None && anyOf.HasFlag(p) && Grants(user, p));

    /// <summary>The endpoint (or group) requires one of the privileges in <paramref name="anyOf"/> (one of <see cref="AnyOfCombinations"/>).</summary>
    public static TBuilder RequireAnyPrivilege<TBuilder>(this TBuilder builder, Privilege anyOf) where TBuilder : IEndpointConventionBuilder =>
        AnyOfCombinations.Contains(anyOf)
            ? builder.RequireAuthorization(AnyName(anyOf)).WithMetadata(new RequiredPrivilege(anyOf, AnyOf: true))
            : throw new ArgumentException($"no policy for any of {anyOf}: add it to {nameof(AnyOfCombinations)}", nameof(anyOf));

    public static bool Grants(ClaimsPrincipal user, Privilege permission) =>
        user.FindFirstValue(ClaimTypes.Role) is { } role && Enum.TryParse<Role>(role, ignoreCase: true, out var parsed) && RolePrivileges.Has(parsed, permission);

    /// <summary>The endpoint (or group) requires <paramref name="permission"/>.</summary>
    public static TBuilder RequirePrivilege<TBuilder>(this TBuilder builder, Privilege permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Name(permission)).WithMetadata(new RequiredPrivilege(permission));
}

/// <summary>Endpoint metadata naming the permission an endpoint requires (read by the authorisation matrix test's listing and the README table).</summary>
internal sealed record RequiredPrivilege(Privilege Privilege, bool AnyOf = false)
{
    /// <summary>As <c>/api/endpoints</c> shows it: <c>Query</c>, or <c>Query or ReadDeidentified</c>.</summary>
    public override string ToString() => AnyOf
        ? string.Join(" or ", Enum.GetValues<Privilege>().Where(p => p != Privilege.None && Privilege.HasFlag(p)))
        : Privilege.ToString();
}
