using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PropertyEba.Edge.LocalPage;
using PropertyEba.Edge.Tests.Infrastructure;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Testing;

namespace PropertyEba.Edge.Tests.Runtime;

public sealed class LocalPageTests : IAsyncLifetime
{
    private readonly string _scratch = TestOptions.TempDirectory();
    private TestDevice _device = null!;
    private RunningAgent _agent = null!;

    public async Task InitializeAsync()
    {
        _device = await TestDevice.StartAsync();

        // Nothing listens on the broker's port: the page must work with no cloud reachable.
        _agent = new RunningAgent(TestOptions.For(FreePort.Next(), _scratch, _device.Port));
        await Eventually.UntilAsync(() => _agent.Agent.Pollers.Length == 1 && _agent.Agent.Pollers[0].Latest.Count > 0, "the agent polling its device");
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _device.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task A_page_on_a_network_address_without_a_password_is_refused_at_start()
    {
        var options = new LocalPageOptions { Enabled = true, Address = "0.0.0.0", Port = 0 };

        var ex = await Should.ThrowAsync<ArgumentException>(() => LocalPageServer.StartAsync(_agent.Agent, options, NullLoggerFactory.Instance, CancellationToken.None));

        ex.Message.ShouldContain("Edge:LocalPage:Password is empty");
        ex.Message.ShouldContain("0.0.0.0");
        var edge = TestOptions.For(1883, _scratch);
        edge.LocalPage = options;
        EdgeOptionsValidator.Collect(edge, null).ShouldContain(p => p.Contains("Edge:LocalPage:Password", StringComparison.Ordinal), "the agent's start-up validation says so too");
    }

    [Fact]
    public async Task On_a_network_address_a_wrong_password_gets_401_and_the_right_one_the_page()
    {
        await using var page = await LocalPageServer.StartAsync(
            _agent.Agent, new LocalPageOptions { Enabled = true, Address = "0.0.0.0", Port = 0, Password = "pump-room-7" }, NullLoggerFactory.Instance, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{page.Address.Port}/") };

        (await http.GetAsync("api/health")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "no password");
        var wrong = new HttpRequestMessage(HttpMethod.Get, "api/devices") { Headers = { Authorization = Basic("installer", "pump-room-8") } };
        var refused = await http.SendAsync(wrong);
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        refused.Headers.WwwAuthenticate.ToString().ShouldContain("Basic");
        var probe = new HttpRequestMessage(HttpMethod.Post, "api/probe") { Content = JsonContent.Create(new { deviceId = "dev1", table = "holding", address = 10, count = 2 }) };
        (await http.SendAsync(probe)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the probe too");

        http.DefaultRequestHeaders.Authorization = Basic("anyone", "pump-room-7");
        var html = await http.GetStringAsync("");
        html.ShouldContain("lang=\"zh-CN\"");
        html.ShouldContain("调试页");
        html.ShouldContain("commissioning");
        using var devices = JsonDocument.Parse(await http.GetStringAsync("api/devices"));
        var device = devices.RootElement.EnumerateArray().ShouldHaveSingleItem();
        device.GetProperty("deviceId").GetString().ShouldBe("dev1");
        device.GetProperty("state").GetString().ShouldBe("ok");
        device.GetProperty("points").EnumerateArray().ShouldContain(p => p.GetProperty("pointId").GetString() == "level" && p.GetProperty("quality").GetString() == "good");
        using var health = JsonDocument.Parse(await http.GetStringAsync("api/health"));
        health.RootElement.GetProperty("ports").EnumerateArray().ShouldHaveSingleItem().GetProperty("requests").GetInt64().ShouldBeGreaterThan(0);
        health.RootElement.GetProperty("process").GetProperty("residentBytes").GetInt64().ShouldBeGreaterThan(10_000_000);
    }

    [Fact]
    public async Task The_probe_reads_any_register_once_and_decodes_it_in_every_word_order()
    {
        await using var page = await LocalPageServer.StartAsync(_agent.Agent, new LocalPageOptions { Enabled = true, Port = 0 }, NullLoggerFactory.Instance, CancellationToken.None);
        page.Address.Host.ShouldBe("127.0.0.1", "loopback by default");
        using var http = new HttpClient { BaseAddress = page.Address };

        // 123456.75 as float32 in CDAB at holding 200, a register no profile point covers; 0xFFFE at 202.
        var regs = new ushort[2];
        RegisterCodec.Encode(123456.75, regs, ModbusDataType.Float32, RegisterOrder.CDAB);
        _device.Store.SetRegisters(Modbus.ModbusTable.HoldingRegisters, 200, regs);
        _device.Store.SetRegister(Modbus.ModbusTable.HoldingRegisters, 202, 0xFFFE);

        var response = await http.PostAsJsonAsync("api/probe", new { deviceId = "dev1", table = "holding", address = 200, count = 3 });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var words = result.RootElement.GetProperty("words").EnumerateArray().ToList();
        words.Count.ShouldBe(3);
        words[2].GetProperty("address").GetInt32().ShouldBe(202);
        words[2].GetProperty("hex").GetString().ShouldBe("FFFE");
        words[2].GetProperty("uInt16").GetInt32().ShouldBe(65534);
        words[2].GetProperty("int16").GetInt32().ShouldBe(-2);
        var pairs = result.RootElement.GetProperty("pairs").EnumerateArray().Where(p => p.GetProperty("address").GetInt32() == 200)
            .ToDictionary(p => p.GetProperty("order").GetString()!);
        pairs.Keys.ShouldBe(["ABCD", "CDAB", "BADC", "DCBA"], ignoreOrder: true);
        pairs["CDAB"].GetProperty("float32").GetDouble().ShouldBe(123456.75);
        pairs["ABCD"].GetProperty("float32").GetDouble().ShouldNotBe(123456.75);
        var abcd = ((long)regs[0] << 16) | regs[1];
        pairs["ABCD"].GetProperty("uInt32").GetInt64().ShouldBe(abcd);
        pairs["CDAB"].GetProperty("uInt32").GetInt64().ShouldBe(((long)regs[1] << 16) | regs[0]);
        pairs["BADC"].GetProperty("uInt32").GetInt64().ShouldBe((long)(((abcd & 0xFF00FF00) >> 8) | ((abcd & 0x00FF00FF) << 8)));
        pairs["DCBA"].GetProperty("uInt32").GetInt64().ShouldBe((long)System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)abcd));

        var bad = await http.PostAsJsonAsync("api/probe", new { deviceId = "dev1", table = "holdings", address = 0, count = 1 });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("allowed: holding, input, coil, discrete");
        (await http.PostAsJsonAsync("api/probe", new { deviceId = "nope", table = "holding", address = 0, count = 1 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        _device.Store.BeforeRead = (_, address, _) => address == 300 ? Modbus.ModbusExceptionCode.IllegalDataAddress : null;
        var refused = await http.PostAsJsonAsync("api/probe", new { deviceId = "dev1", table = "holding", address = 300, count = 1 });
        refused.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("IllegalDataAddress", Case.Insensitive);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
