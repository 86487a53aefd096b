using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Playground.Inference;
using Portal.Tests.Support;
using Portal.Web.Code;
using Xunit.Abstractions;

namespace Portal.Tests.Code;

/// <summary>
/// Every value in a sample that came from a user or a server is quoted for its language: pasting a sample never runs
/// anything but the call, and the values arrive exactly. The shell, Python and Node themselves read the samples back.
/// </summary>
public sealed class CodeSampleQuotingTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Hostile =
    [
        "$(touch /tmp/portal-pwned)", "`id`", "it's", "say \"hi\"", "back\\slash\\", "two\nlines\r\n", "${HOME}", "#{x}", "*/ end",
        "</script><script>alert(1)</script>", "line\u2028sep\u2029para", "tab\there", "emoji 🦊", "%s %n", "\\u0041",
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Marker => _temp.File("pwned");

    private CodeRequest Request(CodeApi api = CodeApi.Chat) => new(
        ConnectionKind.OpenAICompatible,
        new Uri($"http://127.0.0.1:8080/$(touch$IFS{Marker})/v1/"),
        ConnectionAuth.ApiKey,
        $"model-$(touch {Marker})-'\"`",
        api,
        [new(ChatRole.System, string.Join("|", Hostile)), .. Hostile.Select(h => new ChatTurn(ChatRole.User, h))],
        string.Join("|", Hostile),
        new GenerationParameters { Temperature = 0.5, Stop = [.. Hostile.Take(4)] });

    private static string Sample(CodeRequest request, string label) => CodeSamples.For(request).Single(s => s.Label == label).Code;

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, string arguments, string? stdin = null)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.Environment["OPENAI_API_KEY"] = "k";
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        start.StandardOutputEncoding = Encoding.UTF8;
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static bool Exists(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, program)));

    private void AssertMessagesArriveExactly(JsonNode? body, CodeRequest request)
    {
        Assert.NotNull(body);
        Assert.Equal(request.Model, body["model"]!.GetValue<string>());
        Assert.Equal(request.Messages.Select(m => m.Content), body["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()));
        Assert.Equal(request.Parameters.Stop, body["stop"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.False(File.Exists(Marker), "a value in the sample ran a command");
    }

    [Fact]
    public async Task Curl_HostileValues_BashReadsEveryArgumentExactly_AndRunsNothing()
    {
        var request = Request();
        var curl = Sample(request, "curl");

        // curl is a function that prints its arguments, one per NUL-terminated record: bash parses the sample, nothing else runs.
        var (exit, stdout, error) = await RunAsync("bash", "-s", "curl() { printf '%s\\0' \"$@\"; }\n" + curl + "\n");
        output.WriteLine(curl);

        Assert.True(exit == 0, error);
        var args = stdout.Split('\0')[..^1];
        Assert.Equal(new Uri(request.Endpoint!, "chat/completions").AbsoluteUri, args[0]);
        Assert.Equal(["-H", "Authorization: Bearer k", "-H", "Content-Type: application/json", "-d"], args[1..6]);
        Assert.Equal(7, args.Length);
        AssertMessagesArriveExactly(JsonNode.Parse(args[6]), request);
    }

    [Fact]
    public async Task Python_HostileValues_ParseBackToTheSameValues()
    {
        if (!Exists("python3"))
        {
            Assert.Fail("python3 is not on PATH: the Python sample could not be checked."); // loud, never a silent pass
        }

        var request = Request();
        var python = Sample(request, "Python");
        output.WriteLine(python);
        const string reader = """
            import ast, json, sys
            tree = ast.parse(sys.stdin.read())
            call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and any(k.arg == "messages" for k in n.keywords))
            client = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and any(k.arg == "base_url" for k in n.keywords))
            body = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg in ("model", "messages", "stop")}
            body["base_url"] = ast.literal_eval(next(k.value for k in client.keywords if k.arg == "base_url"))
            sys.stdout.write(json.dumps(body, ensure_ascii=False))
            """;
        var script = _temp.File("read.py");
        await File.WriteAllTextAsync(script, reader);

        var (exit, stdout, error) = await RunAsync("python3", script, python);

        Assert.True(exit == 0, error);
        var body = JsonNode.Parse(stdout);
        Assert.Equal(request.Endpoint!.AbsoluteUri, body!["base_url"]!.GetValue<string>());
        AssertMessagesArriveExactly(body, request);
    }

    [Fact]
    public async Task JavaScript_HostileValues_NodeReadsTheSameValues_AndRunsNothingElse()
    {
        if (!Exists("node"))
        {
            Assert.Fail("node is not on PATH: the JavaScript sample could not be checked."); // loud, never a silent pass
        }

        var request = Request();
        var js = Sample(request, "JavaScript");
        output.WriteLine(js);
        const string import = "import OpenAI from \"openai\";";
        Assert.Contains(import, js, StringComparison.Ordinal);

        // The SDK is replaced by a stand-in that prints what the sample passes it.
        const string standIn = """
            class OpenAI {
              constructor(options) {
                this.chat = { completions: { create: async (body) => { process.stdout.write(JSON.stringify({ base_url: options.baseURL, ...body })); return []; } } };
              }
            }
            """;
        var module = _temp.File("sample.mjs");
        await File.WriteAllTextAsync(module, js.Replace(import, standIn, StringComparison.Ordinal));

        var (exit, stdout, error) = await RunAsync("node", module);

        Assert.True(exit == 0, error);
        var body = JsonNode.Parse(stdout);
        Assert.Equal(request.Endpoint!.AbsoluteUri, body!["base_url"]!.GetValue<string>());
        AssertMessagesArriveExactly(body, request);
    }

    [Fact]
    public void CSharp_HostileValues_AreRegularStringLiterals_ThatReadBackExactly()
    {
        var request = Request();
        var csharp = Sample(request, "C#");
        output.WriteLine(csharp);

        var literals = Literals(csharp);

        Assert.Contains(request.Endpoint!.AbsoluteUri, literals);
        Assert.Contains(request.Model, literals);
        foreach (var message in request.Messages)
        {
            Assert.Contains(message.Content, literals);
        }

        foreach (var stop in request.Parameters.Stop)
        {
            Assert.Contains(stop, literals);
        }

        // Outside the literals, only the generator's own code: no hostile text leaked into it.
        Assert.DoesNotContain("touch", Outside(csharp), StringComparison.Ordinal);
        Assert.DoesNotContain("script", Outside(csharp), StringComparison.Ordinal);
    }

    /// <summary>Reads every C# regular string literal ("…", escapes as the C# specification has them), as a compiler would.</summary>
    private static List<string> Literals(string code)
    {
        var found = new List<string>();
        for (var i = 0; i < code.Length; i++)
        {
            if (code[i] == '/' && i + 1 < code.Length && code[i + 1] == '/')
            {
                i = code.IndexOf('\n', i); // a comment line
                if (i < 0)
                {
                    break;
                }

                continue;
            }

            if (code[i] != '"' || (i > 0 && code[i - 1] == '$'))
            {
                continue;
            }

            var value = new StringBuilder();
            for (i++; code[i] != '"'; i++)
            {
                Assert.False(code[i] is '\n' or '\r' or '\u2028' or '\u2029' or '\u0085', "a line break inside a C# string literal");
                if (code[i] != '\\')
                {
                    value.Append(code[i]);
                    continue;
                }

                i++;
                switch (code[i])
                {
                    case 'n': value.Append('\n'); break;
                    case 'r': value.Append('\r'); break;
                    case 't': value.Append('\t'); break;
                    case 'b': value.Append('\b'); break;
                    case 'f': value.Append('\f'); break;
                    case '0': value.Append('\0'); break;
                    case '"' or '\\' or '\'': value.Append(code[i]); break;
                    case 'u': value.Append((char)Convert.ToInt32(code.Substring(i + 1, 4), 16)); i += 4; break;
                    case 'U': value.Append(char.ConvertFromUtf32(Convert.ToInt32(code.Substring(i + 1, 8), 16))); i += 8; break;
                    default: Assert.Fail($"'\\{code[i]}' is not a C# escape"); break;
                }
            }

            found.Add(value.ToString());
        }

        return found;
    }

    private static string Outside(string code)
    {
        var b = new StringBuilder();
        var inside = false;
        for (var i = 0; i < code.Length; i++)
        {
            if (code[i] == '"') // an escaped quote inside a literal is skipped below, with its backslash
            {
                inside = !inside;
                continue;
            }

            if (inside && code[i] == '\\')
            {
                i++;
                continue;
            }

            if (!inside)
            {
                b.Append(code[i]);
            }
        }

        return b.ToString();
    }
}
