using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Playground.Inference;
using Portal.TestPeers;
using Portal.Tests.Support;
using Portal.Web.Connections;

namespace Portal.Tests.Hosting;

/// <summary>Several portal instances on one PostgreSQL store, as a team deploys them: what one saves, the others read.</summary>
public sealed class SharedStoreTests
{
    [PostgreSqlFact]
    public async Task TwoInstances_OnePostgreSqlStore_ShareConnectionsAndTheProtectedKeyRing()
    {
        var server = new PostgreSqlServer();
        await server.InitializeAsync();
        using var temp = new TempDirectory();
        try
        {
            var pfx = temp.File("keys.pfx");
            using (var rsa = RSA.Create(2048))
            {
                using var certificate = new CertificateRequest("CN=portal-shared-store-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                    .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
                await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx));
            }

            string[] settings =
            [
                "--environment=Production",
                "--Portal:Storage:Provider=PostgreSQL",
                $"--Portal:Storage:ConnectionString={server.ConnectionString("portal_shared")}",
                $"--Portal:DataProtection:CertificatePath={pfx}",
            ];
            await using var first = PortalHost.Build(temp, settings);
            await using var second = PortalHost.Build(temp, settings);
            await first.StartAsync();
            await second.StartAsync();

            await using (var scope = first.Services.CreateAsyncScope())
            {
                var (_, errors) = await scope.ServiceProvider.GetRequiredService<ConnectionService>().SaveAsync(
                    new ConnectionInput(null, "team-endpoint", ConnectionKind.OpenAICompatible, "http://127.0.0.1:9/v1/", ConnectionAuth.ApiKey, "sk-shared-store-5Z7Q", ["m"]),
                    CancellationToken.None);
                Assert.Empty(errors);
            }

            await using (var scope = second.Services.CreateAsyncScope())
            {
                var target = await scope.ServiceProvider.GetRequiredService<ConnectionService>().TargetAsync("team-endpoint", CancellationToken.None);
                Assert.NotNull(target);
                Assert.Equal("sk-shared-store-5Z7Q", target.ApiKey);
            }

            await using var db = await second.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var key = XElement.Parse(Assert.Single(await db.DataProtectionKeys.ToListAsync()).Xml!);
            Assert.NotEmpty(key.Descendants(XName.Get("EncryptedData", "http://www.w3.org/2001/04/xmlenc#")));
            await first.StopAsync();
            await second.StopAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
