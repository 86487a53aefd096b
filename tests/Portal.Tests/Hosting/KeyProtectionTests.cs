using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.TestPeers;
using Portal.Tests.Support;
using Portal.Web.Connections;
using Portal.Web.Hosting;

namespace Portal.Tests.Hosting;

/// <summary>The key ring that encrypts connection API keys: kept in the store, protected with a certificate when one is set.</summary>
public sealed class KeyProtectionTests
{
    private const string Secret = "sk-key-protection-test-9XQ4";

    [Fact]
    public async Task KeysWrittenBeforeThePackage_StayReadable_AfterTheMigration()
    {
        using var temp = new TempDirectory();
        var path = temp.File("portal.db");

        // The store as the portal left it before it used Microsoft.AspNetCore.DataProtection.EntityFrameworkCore: the
        // migrations of that time, and key ring rows written the way its own repository wrote them.
        var options = new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={path}").Options;
        await using (var old = new SqlitePortalDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync("20261122020000_ConnectionsAndPlayground");
        }

        var oldRepository = new OldStoreRepository();
        var ciphertext = OldProtector(oldRepository).Protect(Secret);
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            foreach (var (friendlyName, xml) in oldRepository.Rows)
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO data_protection_keys (FriendlyName, Xml) VALUES ($name, $xml)";
                insert.Parameters.AddWithValue("$name", friendlyName);
                insert.Parameters.AddWithValue("$xml", xml);
                await insert.ExecuteNonQueryAsync();
            }
        }

        SqliteConnection.ClearAllPools();
        await using var app = PortalHost.Build(temp);
        await app.StartAsync();

        var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ConnectionService.KeyPurpose);
        Assert.Equal(Secret, protector.Unprotect(ciphertext));
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Contains("20261122020000_ConnectionsAndPlayground", await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(oldRepository.Rows.Count, await db.DataProtectionKeys.CountAsync());
        await app.StopAsync();
    }

    [Fact]
    public async Task WithACertificate_TheKeyRingIsEncryptedAtRest_AndReadAfterARestart()
    {
        using var temp = new TempDirectory();
        var pfx = temp.File("portal-keys.pfx");
        await File.WriteAllBytesAsync(pfx, SelfSignedPfx("pfx-password"));
        string[] args = [$"--Portal:DataProtection:CertificatePath={pfx}", "--Portal:DataProtection:CertificatePassword=pfx-password"];
        var logs = new CapturingLoggerProvider();

        string ciphertext;
        await using (var first = PortalHost.Build(temp, logs, args))
        {
            await first.StartAsync();
            ciphertext = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ConnectionService.KeyPurpose).Protect(Secret);
            await using var db = await first.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var row = Assert.Single(await db.DataProtectionKeys.ToListAsync());
            var key = XElement.Parse(row.Xml!);
            Assert.NotEmpty(key.Descendants(XName.Get("EncryptedData", "http://www.w3.org/2001/04/xmlenc#")));
            Assert.Empty(key.Descendants("masterKey").Elements("value"));
            await first.StopAsync();
        }

        await using var second = PortalHost.Build(temp, logs, args);
        await second.StartAsync();
        Assert.Equal(Secret, second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ConnectionService.KeyPurpose).Unprotect(ciphertext));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("unencrypted", StringComparison.OrdinalIgnoreCase));
        await second.StopAsync();
    }

    [Fact]
    public async Task WithABase64Certificate_AsAKeyVaultReferenceGivesIt_TheKeyRingIsEncrypted_AndReadAfterARestart()
    {
        // A Key Vault certificate's secret is the PFX, base64, without a password: what App Service puts in the setting.
        using var temp = new TempDirectory();
        string[] args = [$"--Portal:DataProtection:Certificate={Convert.ToBase64String(SelfSignedPfx(null))}"];

        string ciphertext;
        await using (var first = PortalHost.Build(temp, args))
        {
            await first.StartAsync();
            ciphertext = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ConnectionService.KeyPurpose).Protect(Secret);
            await using var db = await first.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var key = XElement.Parse(Assert.Single(await db.DataProtectionKeys.ToListAsync()).Xml!);
            Assert.NotEmpty(key.Descendants(XName.Get("EncryptedData", "http://www.w3.org/2001/04/xmlenc#")));
            await first.StopAsync();
        }

        await using var second = PortalHost.Build(temp, args);
        await second.StartAsync();
        Assert.Equal(Secret, second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ConnectionService.KeyPurpose).Unprotect(ciphertext));
        await second.StopAsync();
    }

    [Theory]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv-portal.vault.azure.net/secrets/portal-data-protection)", "Key Vault reference")]
    [InlineData("not base64 at all!", "is not base64 PFX text")]
    [InlineData("bm90IGEgcGZ4", "could not be read as a PFX")]
    public async Task AnUnusableBase64Certificate_StopsTheStart_WithoutEchoingIt(string value, string expected)
    {
        using var temp = new TempDirectory();
        await using var app = PortalHost.Build(temp, $"--Portal:DataProtection:Certificate={value}");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Portal:DataProtection:Certificate", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoWaysToNameTheCertificate_StopTheStart()
    {
        using var temp = new TempDirectory();
        var pfx = temp.File("portal-keys.pfx");
        await File.WriteAllBytesAsync(pfx, SelfSignedPfx(null));
        await using var app = PortalHost.Build(temp, $"--Portal:DataProtection:CertificatePath={pfx}",
            $"--Portal:DataProtection:Certificate={Convert.ToBase64String(SelfSignedPfx(null))}");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("not several", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstStart_OnAFreshStore_ReadsNothingBeforeTheMigrations_AndWarnsOnceAboutUnprotectedKeys()
    {
        using var temp = new TempDirectory();
        var logs = new CapturingLoggerProvider();
        await using var app = PortalHost.Build(temp, logs);
        await app.StartAsync();
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ConnectionService.KeyPurpose).Protect(Secret);
        await app.StopAsync();

        Assert.DoesNotContain(logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) || line.StartsWith("Critical", StringComparison.Ordinal));
        var warning = Assert.Single(logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Contains("Portal:DataProtection:CertificatePath", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.pfx", null, "Portal:DataProtection:CertificatePath")]
    [InlineData("portal-keys.pfx", "wrong-password", "Portal:DataProtection:CertificatePath")]
    public async Task AnUnreadableCertificate_StopsTheStart_NamingTheSetting(string file, string? password, string setting)
    {
        using var temp = new TempDirectory();
        await File.WriteAllBytesAsync(temp.File("portal-keys.pfx"), SelfSignedPfx("pfx-password"));
        await using var app = PortalHost.Build(temp, $"--Portal:DataProtection:CertificatePath={temp.File(file)}", $"--Portal:DataProtection:CertificatePassword={password}");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", false, false, false)]
    [InlineData("Production", true, false, true)]
    [InlineData("Production", false, true, true)]
    [InlineData("Development", false, false, true)]
    public void PostgreSqlStore_OutsideDevelopment_NeedsProtectedKeys_OrConsent(string environment, bool allowUnprotected, bool certificate, bool valid)
    {
        using var temp = new TempDirectory();
        var options = new KeyProtectionOptions { AllowUnprotectedKeys = allowUnprotected };
        if (certificate)
        {
            File.WriteAllBytes(temp.File("k.pfx"), SelfSignedPfx(null));
            options.CertificatePath = temp.File("k.pfx");
        }

        var storage = Options.Create(new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = "Host=db" });
        var validator = new KeyProtectionOptionsValidator(storage, new HostingEnvironment { EnvironmentName = environment });

        var result = validator.Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Portal:DataProtection:AllowUnprotectedKeys", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PostgreSqlStore_InProduction_WithUnprotectedKeys_DoesNotStart()
    {
        using var temp = new TempDirectory();
        await using var app = PortalHost.Build(temp, "--environment=Production", "--Portal:Storage:Provider=PostgreSQL", "--Portal:Storage:ConnectionString=Host=127.0.0.1;Port=1");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Portal:DataProtection:CertificatePath", error.Message, StringComparison.Ordinal);
    }

    private static byte[] SelfSignedPfx(string? password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=portal-key-ring-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return certificate.Export(X509ContentType.Pfx, password);
    }

    private static IDataProtector OldProtector(IXmlRepository repository)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName(KeyProtectionServiceCollectionExtensions.ApplicationName);
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = repository);
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector(ConnectionService.KeyPurpose);
    }

    /// <summary>What the portal's own repository stored before the package: the friendly name and the unformatted element.</summary>
    private sealed class OldStoreRepository : IXmlRepository
    {
        public List<(string FriendlyName, string Xml)> Rows { get; } = [];

        public IReadOnlyCollection<XElement> GetAllElements() => [.. Rows.Select(r => XElement.Parse(r.Xml))];

        public void StoreElement(XElement element, string friendlyName) => Rows.Add((friendlyName, element.ToString(SaveOptions.DisableFormatting)));
    }
}
