using Microsoft.Extensions.Options;

namespace Portal.Web.Hosting;

/// <summary>
/// Below Information, SignalR and its transport log hub invocation arguments, which include what a user types into the
/// connection form (an API key). Those categories never log below Information, whatever configuration says: every
/// filter rule (including provider-specific ones, which would otherwise win) gets the guard, and so does the fallback.
/// </summary>
internal sealed class SensitiveLogFilter : IPostConfigureOptions<LoggerFilterOptions>
{
    private static readonly string[] GuardedCategories = ["Microsoft.AspNetCore.SignalR", "Microsoft.AspNetCore.Http.Connections"];

    public void PostConfigure(string? name, LoggerFilterOptions options)
    {
        var rules = options.Rules.Select(rule => new LoggerFilterRule(rule.ProviderName, rule.CategoryName, rule.LogLevel, Guard(rule.Filter))).ToList();

        // The rule used when no other matches (the minimum level alone would apply).
        rules.Insert(0, new LoggerFilterRule(null, null, options.MinLevel, Guard(null)));
        options.Rules.Clear();
        foreach (var rule in rules)
        {
            options.Rules.Add(rule);
        }
    }

    internal static bool IsGuarded(string? category) =>
        category is not null && GuardedCategories.Any(prefix =>
            category.StartsWith(prefix, StringComparison.Ordinal)
            && (category.Length == prefix.Length || category[prefix.Length] == '.'));

    private static Func<string?, string?, LogLevel, bool> Guard(Func<string?, string?, LogLevel, bool>? inner) =>
        (provider, category, level) =>
            (level >= LogLevel.Information || !IsGuarded(category)) && (inner is null || inner(provider, category, level));
}
