using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Connections;
using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;
using Portal.Playground.Inference;
using Portal.Web.Connections;
using Portal.Web.FineTuning;

namespace Portal.Tests.Access;

/// <summary>The matrix's training file operations (<see cref="Portal.Web.Access.PortalAction.ManageTrainingFiles"/>), against the matrix host's peer.</summary>
public static partial class PermissionMatrixCases
{
    private static readonly byte[] TrainingFile = Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Range(1, 10).Select(i =>
        $$"""{"messages": [{"role": "user", "content": "Say {{i}}"}, {"role": "assistant", "content": "{{i}}"}]}""")) + "\n");

    private static IReadOnlyList<Operation> TrainingFileOperations() =>
    [
        new("TrainingFileService.UploadNewAsync", async (host, user) =>
        {
            var connection = await SeedFineTuningConnectionAsync(host);
            return new Attempt(
                async sp => Assert.True((await sp.GetRequiredService<TrainingFileService>().UploadNewAsync("matrix.jsonl", TrainingFile, FineTuningMethod.Supervised, null, connection, null, None)).Succeeded),
                () => KeptFiles(host, user));
        }),
        new("TrainingFileService.UploadAgainAsync", async (host, user) =>
        {
            var connection = await SeedFineTuningConnectionAsync(host);
            var kept = await SeedKeptFileAsync(host, user);
            return new Attempt(
                async sp => Assert.True((await sp.GetRequiredService<TrainingFileService>().UploadAgainAsync(kept, connection, null, None)).Succeeded),
                () => KeptFiles(host, user));
        }),
        new("TrainingFileService.DeleteKeptAsync", async (host, user) =>
        {
            var kept = await SeedKeptFileAsync(host, user);
            return new Attempt(async sp => Assert.True(await sp.GetRequiredService<TrainingFileService>().DeleteKeptAsync(kept, None)), () => KeptFiles(host, user));
        }),
        new("TrainingFileService.DeleteProviderFileAsync", async (host, user) =>
        {
            var connection = await SeedFineTuningConnectionAsync(host);
            using var content = new MemoryStream(TrainingFile);
            var file = await host.Get<FineTuningClient>().UploadFileAsync(
                new InferenceTarget(connection, ConnectionKind.OpenAI, host.Peer.V1, ConnectionAuth.ApiKey, MatrixHost.PeerKey), "seeded.jsonl", content, null, None);
            return new Attempt(
                async sp => Assert.Null(await sp.GetRequiredService<TrainingFileService>().DeleteProviderFileAsync(connection, file.Id, None)),
                () => Task.FromResult(host.Peer.UploadedFiles.ContainsKey(file.Id) ? "on the peer" : "deleted"));
        }),
    ];

    /// <summary>A shared OpenAI-kind connection to the matrix peer (fine-tuning needs OpenAI or Azure OpenAI).</summary>
    private static async Task<string> SeedFineTuningConnectionAsync(MatrixHost host)
    {
        var saved = await host.Get<IConnectionStore>().SaveAsync(new StoredConnection
        {
            UserId = ConnectionService.SharedOwner,
            Name = "ft-" + Guid.NewGuid().ToString("N")[..8],
            Kind = nameof(ConnectionKind.OpenAI),
            Endpoint = host.Peer.V1.AbsoluteUri,
            Auth = nameof(ConnectionAuth.ApiKey),
            ProtectedApiKey = host.Get<IDataProtectionProvider>().CreateProtector(ConnectionService.KeyPurpose).Protect(MatrixHost.PeerKey),
            KeyHint = MatrixHost.PeerKey[^4..],
            Models = "gpt-4o-mini",
        }, None);
        return saved.Name;
    }

    private static async Task<Guid> SeedKeptFileAsync(MatrixHost host, string owner)
    {
        var row = new FineTuningFileRow
        {
            Id = Guid.NewGuid(),
            OwnerId = owner,
            Connection = "",
            FileName = "seeded.jsonl",
            Bytes = TrainingFile.Length,
            Examples = 10,
            Content = TrainingFile,
            CreatedUtc = DateTimeOffset.UtcNow,
        };
        await host.Get<IFineTuningStore>().AddFileAsync(row, None);
        return row.Id;
    }

    /// <summary>The user's kept files with where they were uploaded.</summary>
    private static async Task<string> KeptFiles(MatrixHost host, string owner) =>
        string.Join(",", (await host.Get<IFineTuningStore>().ListFilesAsync(owner, None)).Select(f => $"{f.Id}/{f.ProviderFileId}").Order(StringComparer.Ordinal));
}
