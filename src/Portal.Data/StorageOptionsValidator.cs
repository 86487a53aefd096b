using Microsoft.Extensions.Options;

namespace Portal.Data;

/// <summary>Collects every storage setting problem so a bad configuration fails at start with all of them.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();

        if (!Enum.IsDefined(options.Provider))
        {
            failures.Add($"{StorageOptions.SectionName}:Provider must be 'Sqlite' or 'PostgreSQL'.");
        }

        if (options.Provider == StorageProvider.PostgreSql && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{StorageOptions.SectionName}:ConnectionString is required when {StorageOptions.SectionName}:Provider is 'PostgreSQL'.");
        }

        if (options.Provider == StorageProvider.Sqlite)
        {
            try
            {
                var path = options.ResolveSqlitePath();
                if (Directory.Exists(path))
                {
                    failures.Add($"{StorageOptions.SectionName}:SqlitePath '{path}' is a folder; give a file path such as '{Path.Combine(path, "portal.db")}'.");
                }
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                failures.Add($"{StorageOptions.SectionName}:SqlitePath '{options.SqlitePath}' is not a valid path: {ex.Message}");
            }
        }

        if (options.QuickTimeout < TimeSpan.FromSeconds(1) || options.QuickTimeout > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{StorageOptions.SectionName}:QuickTimeout must be between 00:00:01 and 00:00:30 (it is {options.QuickTimeout}).");
        }

        if (options.QuickRetryAfter < TimeSpan.Zero || options.QuickRetryAfter > TimeSpan.FromHours(1))
        {
            failures.Add($"{StorageOptions.SectionName}:QuickRetryAfter must be between 00:00:00 and 01:00:00 (it is {options.QuickRetryAfter}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
