using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.DemoEstate;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Tests.Hosting;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Every_mistake_in_the_demo_estate_section_is_reported_at_once()
    {
        var result = new DemoEstateOptionsValidator().Validate(null, new DemoEstateOptions { TenantId = "a b", SiteId = "", Speed = 0, PollInterval = TimeSpan.Zero, EdgeOfflineDelay = TimeSpan.FromMinutes(-1) });
        result.Failed.ShouldBeTrue();
        result.Failures!.Count().ShouldBe(5);
        result.FailureMessage!.ShouldContain("DemoEstate:EdgeOfflineDelay is -00:01:00");
        result.FailureMessage!.ShouldContain("DemoEstate:TenantId 'a b'");
        result.FailureMessage!.ShouldContain("DemoEstate:Speed is 0");
    }

    [Fact]
    public void Broker_port_out_of_range_names_the_field_and_the_allowed_values()
    {
        var result = new MqttOptionsValidator().Validate(null, new MqttOptions { Port = 70000, BindAddress = "nowhere" });
        result.FailureMessage!.ShouldContain("Mqtt:Port is 70000; allowed 0..65535");
        result.FailureMessage!.ShouldContain("Mqtt:BindAddress 'nowhere'");
    }

    [Fact]
    public void Unknown_store_provider_names_the_setting_and_the_allowed_values()
    {
        var result = new PersistenceOptionsValidator().Validate(null, new PersistenceOptions { Provider = "mysql" });
        result.FailureMessage!.ShouldContain("Persistence:Provider 'mysql' is not known");
        result.FailureMessage!.ShouldContain("'sqlite'");
        result.FailureMessage!.ShouldContain("'postgresql'");
    }

    [Fact]
    public void Postgresql_without_a_connection_string_names_the_setting()
    {
        var result = new PersistenceOptionsValidator().Validate(null, new PersistenceOptions { Provider = "PostgreSQL", ConnectionString = " " });
        result.FailureMessage!.ShouldContain("Persistence:ConnectionString is empty");
        new PersistenceOptionsValidator().Validate(null, new PersistenceOptions { Provider = "postgresql", ConnectionString = "Host=db;Database=eba" }).Succeeded.ShouldBeTrue();
        new PersistenceOptionsValidator().Validate(null, new PersistenceOptions()).Succeeded.ShouldBeTrue("SQLite needs nothing set");
    }

    [Fact]
    public void Store_set_to_postgresql_without_a_connection_string_is_refused_before_a_context_is_made()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Persistence:Provider"] = "postgresql" })
            .Build();
        using var services = new ServiceCollection().AddLogging().AddPersistence(configuration).BuildServiceProvider();

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IDbContextFactory<EbaDbContext>>());

        error.Message.ShouldContain("Persistence:ConnectionString is empty");
    }
}
