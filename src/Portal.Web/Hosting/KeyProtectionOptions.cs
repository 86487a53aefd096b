using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Portal.Data;

namespace Portal.Web.Hosting;

/// <summary>
/// How the Data Protection key ring (the keys that encrypt connection API keys) is itself protected at rest. Bound from
/// <c>Portal:DataProtection</c>.
/// </summary>
public sealed class KeyProtectionOptions
{
    public const string SectionName = "Portal:DataProtection";

    /// <summary>A PFX/PKCS#12 file with a private key; the key ring is encrypted with its public key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// A PFX/PKCS#12 certificate as base64 text: what a Key Vault reference to a Key Vault certificate's secret gives on
    /// App Service (<c>@Microsoft.KeyVault(SecretUri=https://&lt;vault&gt;.vault.azure.net/secrets/&lt;certificate&gt;)</c>).
    /// </summary>
    public string? Certificate { get; set; }

    /// <summary>The thumbprint of a certificate in the machine's or the user's "My" store.</summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>Lets a shared (PostgreSQL) store outside Development keep its key ring unencrypted.</summary>
    public bool AllowUnprotectedKeys { get; set; }

    internal bool HasCertificate =>
        !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(Certificate) || !string.IsNullOrWhiteSpace(CertificateThumbprint);

    /// <summary>How many of the three ways to name a certificate are set (at most one may be).</summary>
    internal int CertificateSources =>
        new[] { CertificatePath, Certificate, CertificateThumbprint }.Count(value => !string.IsNullOrWhiteSpace(value));

    /// <summary>The configured certificate, or null when none is configured.</summary>
    /// <exception cref="InvalidOperationException">The certificate cannot be read or has no private key; the message names the setting.</exception>
    internal X509Certificate2? LoadCertificate()
    {
        if (!string.IsNullOrWhiteSpace(CertificatePath))
        {
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException(
                    $"{SectionName}:CertificatePath '{CertificatePath}' could not be read as a PFX file (check {SectionName}:CertificatePassword): {ex.Message}", ex);
            }

            return RequirePrivateKey(certificate, $"{SectionName}:CertificatePath '{CertificatePath}'");
        }

        if (!string.IsNullOrWhiteSpace(Certificate))
        {
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(Certificate.Trim()), CertificatePassword);
            }
            catch (FormatException)
            {
                // Never echo the value: it is a private key (or, on App Service, an unresolved Key Vault reference).
                var hint = Certificate.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase)
                    ? " It is a Key Vault reference App Service could not resolve: check that the certificate exists and the app's identity may read its secret."
                    : string.Empty;
                throw new InvalidOperationException($"{SectionName}:Certificate is not base64 PFX text.{hint}");
            }
            catch (CryptographicException ex)
            {
                throw new InvalidOperationException(
                    $"{SectionName}:Certificate could not be read as a PFX (check {SectionName}:CertificatePassword): {ex.Message}", ex);
            }

            return RequirePrivateKey(certificate, $"{SectionName}:Certificate");
        }

        if (!string.IsNullOrWhiteSpace(CertificateThumbprint))
        {
            foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                using var store = new X509Store(StoreName.My, location);
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                var found = store.Certificates.Find(X509FindType.FindByThumbprint, CertificateThumbprint.Trim(), validOnly: false);
                if (found.Count > 0)
                {
                    return RequirePrivateKey(found[0], $"{SectionName}:CertificateThumbprint '{CertificateThumbprint}'");
                }
            }

            throw new InvalidOperationException(
                $"{SectionName}:CertificateThumbprint '{CertificateThumbprint}' names no certificate in the user's or the machine's 'My' store.");
        }

        return null;
    }

    private static X509Certificate2 RequirePrivateKey(X509Certificate2 certificate, string what)
    {
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"{what} has no private key, so the key ring could not be read back.");
        }

        return certificate;
    }
}

/// <summary>
/// A shared store is read by every instance and often by its administrators: outside Development it must not keep the
/// key ring unencrypted unless <c>AllowUnprotectedKeys</c> says so. A configured certificate must be readable.
/// </summary>
internal sealed class KeyProtectionOptionsValidator(IOptions<StorageOptions> storage, IHostEnvironment environment)
    : IValidateOptions<KeyProtectionOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyProtectionOptions options)
    {
        if (options.CertificateSources > 1)
        {
            return ValidateOptionsResult.Fail(
                $"Set one of {KeyProtectionOptions.SectionName}:CertificatePath, :Certificate or :CertificateThumbprint, not several.");
        }

        try
        {
            using var certificate = options.LoadCertificate();
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }

        if (!options.HasCertificate && !options.AllowUnprotectedKeys
            && storage.Value.Provider == StorageProvider.PostgreSql && !environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail(
                $"The PostgreSQL store would keep the key ring that encrypts API keys unencrypted: set {KeyProtectionOptions.SectionName}:CertificatePath " +
                $"(or :Certificate, :CertificateThumbprint), or {KeyProtectionOptions.SectionName}:AllowUnprotectedKeys=true to accept that.");
        }

        return ValidateOptionsResult.Success;
    }
}
