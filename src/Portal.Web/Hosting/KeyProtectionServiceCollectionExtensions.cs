using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Portal.Data;

namespace Portal.Web.Hosting;

internal static partial class KeyProtectionServiceCollectionExtensions
{
    public const string ApplicationName = "ModelCatalogPortal";

    /// <summary>
    /// Data Protection encrypts connection API keys at rest. Its key ring lives in the store
    /// (<see cref="PortalDbContext"/> through <c>PersistKeysToDbContext</c>), so every instance shares it, and is itself
    /// encrypted with a certificate when <c>Portal:DataProtection</c> names one.
    /// </summary>
    public static IServiceCollection AddKeyProtection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KeyProtectionOptions>().Bind(configuration.GetSection(KeyProtectionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyProtectionOptions>, KeyProtectionOptionsValidator>();

        var dataProtection = services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<PortalDbContext>();

        // The certificate is read once, from configuration as it is when the app is built. A certificate that cannot be
        // read is not an exception here: the validator reports it at start, in one line that names the setting.
        var options = configuration.GetSection(KeyProtectionOptions.SectionName).Get<KeyProtectionOptions>() ?? new KeyProtectionOptions();
        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null;
        try
        {
            certificate = options.LoadCertificate();
        }
        catch (InvalidOperationException)
        {
        }

        if (certificate is not null)
        {
            dataProtection.ProtectKeysWithCertificate(certificate);
        }
        else
        {
            // The portal says it once at each start (UnprotectedKeysWarning); Data Protection's own per-key warning
            // ("No XML encryptor configured") would only repeat it.
            services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error));
            services.AddHostedService<UnprotectedKeysWarning>();
        }

        return services;
    }

    private sealed partial class UnprotectedKeysWarning(ILogger<UnprotectedKeysWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogUnprotected(logger, KeyProtectionOptions.SectionName);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message =
            "The key ring that encrypts connection API keys is kept unencrypted in the store. Set {Section}:CertificatePath (a PFX file), :Certificate (base64 PFX, e.g. a Key Vault reference) or :CertificateThumbprint to protect it.")]
        private static partial void LogUnprotected(ILogger logger, string section);
    }
}
