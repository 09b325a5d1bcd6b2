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
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }

    public static bool Grants(ClaimsPrincipal user, Privilege permission) =>
        user.FindFirstValue(ClaimTypes.Role) is { } role && Enum.TryParse<Role>(role, ignoreCase: true, out var parsed) && RolePrivileges.Has(parsed, permission);

    /// <summary>The endpoint (or group) requires <paramref name="permission"/>.</summary>
    public static TBuilder RequirePrivilege<TBuilder>(this TBuilder builder, Privilege permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Name(permission)).WithMetadata(new RequiredPrivilege(permission));
}

/// <summary>Endpoint metadata naming the permission an endpoint requires (read by the authorisation matrix test's listing and the README table).</summary>
internal sealed record RequiredPrivilege(Privilege Privilege);
