using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Tracing;
using Portal.TestPeers;
using Portal.Tests.Support;

namespace Portal.Tests.Hosting;

/// <summary>
/// The store's commands are timed on the portal's meter (<c>db.client.operation.duration</c>) by database and first
/// keyword, on both providers, with nothing but those two names as attributes — listened to here without any exporter,
/// on this portal's meter only (its <see cref="IMeterFactory"/>).
/// </summary>
public sealed class StoreMetricsTests
{
    [Theory]
    [InlineData("SELECT \"t\".\"Id\" FROM \"Traces\" AS \"t\" WHERE \"t\".\"Model\" = @p0", "SELECT")]
    [InlineData("  \n\tinsert into x values (1)", "INSERT")]
    [InlineData("-- a tag\n-- another\nUPDATE \"Runs\" SET x = 1", "UPDATE")]
    [InlineData("DELETE FROM \"Traces\" WHERE 'sk-secret' = 'sk-secret'", "DELETE")]
    [InlineData("PRAGMA journal_mode = 'wal';", "PRAGMA")]
    [InlineData("EXPLAIN SELECT 1", "OTHER")]
    [InlineData("sk-secret-value", "OTHER")]
    [InlineData("", "OTHER")]
    [InlineData(null, "OTHER")]
    public void OperationName_IsTheFirstKeyword_FromAFixedList(string? sql, string expected) =>
        Assert.Equal(expected, StoreMetricsInterceptor.OperationName(sql));

    [Fact]
    public async Task StoreCommands_OnSqlite_AreTimedBySystemAndOperation()
    {
        using var temp = new TempDirectory();
        await using var app = PortalHost.Build(temp);
        var (listener, measured) = Listen(app.Services);
        using var _ = listener;
        await app.StartAsync();

        await app.Services.GetRequiredService<ITraceStore>().QueryAsync(new TraceQuery { Text = "needle" }, CancellationToken.None);
        await app.StopAsync();

        Assert.Contains(measured, m => m.Tags["db.system.name"] == "sqlite" && m.Tags["db.operation.name"] == "SELECT" && m.Seconds >= 0);
        Assert.All(measured, m => Assert.Equal(["db.operation.name", "db.system.name"], m.Tags.Keys.Order(StringComparer.Ordinal)));
    }

    [PostgreSqlFact]
    public async Task StoreCommands_OnPostgreSql_AreTimedAsPostgresql()
    {
        var server = new PostgreSqlServer();
        await server.InitializeAsync();
        using var temp = new TempDirectory();
        try
        {
            await using var app = PortalHost.Build(temp,
                "--Portal:Storage:Provider=PostgreSQL", $"--Portal:Storage:ConnectionString={server.ConnectionString("portal_metrics")}", "--Portal:DataProtection:AllowUnprotectedKeys=true");
            var (listener, measured) = Listen(app.Services);
            using var _ = listener;
            await app.StartAsync();

            await app.Services.GetRequiredService<ITraceStore>().QueryAsync(new TraceQuery { Text = "needle" }, CancellationToken.None);
            await app.StopAsync();

            Assert.Contains(measured, m => m.Tags["db.system.name"] == "postgresql" && m.Tags["db.operation.name"] == "SELECT");
            Assert.DoesNotContain(measured, m => m.Tags["db.system.name"] == "sqlite");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private sealed record Measurement(double Seconds, Dictionary<string, string?> Tags);

    private static (MeterListener Listener, ConcurrentBag<Measurement> Measured) Listen(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        var measured = new ConcurrentBag<Measurement>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == StoreMetricsInterceptor.DurationName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value?.ToString();
            }

            measured.Add(new Measurement(value, copy));
        });
        listener.Start();
        return (listener, measured);
    }
}
