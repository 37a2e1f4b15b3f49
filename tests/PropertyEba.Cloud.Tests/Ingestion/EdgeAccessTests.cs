using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using PropertyEba.Cloud.Edges;
using PropertyEba.Cloud.Ingestion;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Ingestion;

/// <summary>The pure parts of edge authentication: secret hashes in mosquitto's format, topic rules, mosquitto files, saturating counters.</summary>
public sealed class EdgeAccessTests
{
    private static readonly BrokerClient Edge = new("eba-t-s-e", BrokerClientKind.Edge, "t", "s", "e");

    [Fact]
    public void A_secret_hash_is_mosquittos_sha512_pbkdf2_format_and_verifies_only_its_secret()
    {
        var secret = EdgeSecretHasher.NewSecret();
        var hash = EdgeSecretHasher.Hash(secret);

        hash.ShouldMatch(@"^\$7\$1000\$[A-Za-z0-9+/=]{16}\$[A-Za-z0-9+/=]{88}$");
        EdgeSecretHasher.Verify(secret, hash).ShouldBeTrue();
        EdgeSecretHasher.Verify(secret + "x", hash).ShouldBeFalse();
        EdgeSecretHasher.Verify(null, hash).ShouldBeFalse();
        EdgeSecretHasher.Verify(secret, "$6$not$ours").ShouldBeFalse();
        EdgeSecretHasher.Hash(secret).ShouldNotBe(hash, "each hash has a salt of its own");
    }

    [Theory]
    [InlineData("eba/v1/t/s/e/telemetry", true)]
    [InlineData("eba/v1/t/s/e/cmd-result/7", true)]
    [InlineData("eba/v1/t/s/e/status", true)]
    [InlineData("eba/v1/t/s/e/events", true)]
    [InlineData("eba/v1/t/s/e/config", false)]
    [InlineData("eba/v1/t/s/e/cmd/7", false)]
    [InlineData("eba/v1/t/s/e/cmd-result/7/x", false)]
    [InlineData("eba/v1/t/s/e/anything", false)]
    [InlineData("eba/v1/t/s/e2/telemetry", false)]
    [InlineData("eba/v1/t/s2/e/telemetry", false)]
    [InlineData("eba/v1/t2/s/e/telemetry", false)]
    [InlineData("eba/v1/t/s/e", false)]
    [InlineData("other/topic", false)]
    public void An_edge_publishes_only_its_own_edge_to_cloud_channels(string topic, bool allowed) =>
        (EdgeTopicAccess.PublishDenial(Edge, topic) is null).ShouldBe(allowed);

    [Theory]
    [InlineData("eba/v1/t/s/e/config", true)]
    [InlineData("eba/v1/t/s/e/cmd/#", true)]
    [InlineData("eba/v1/t/s/e/cmd/+", true)]
    [InlineData("eba/v1/t/s/e/#", false)]
    [InlineData("eba/v1/t/s/+/config", false)]
    [InlineData("#", false)]
    [InlineData("$share/g/eba/v1/t/s/e/config", false)]
    [InlineData("eba/v1/t/s/e/telemetry", false)]
    public void An_edge_subscribes_only_to_its_own_config_and_commands(string filter, bool allowed) =>
        (EdgeTopicAccess.SubscribeDenial(Edge, filter) is null).ShouldBe(allowed);

    [Fact]
    public void A_client_that_is_not_provisioned_may_do_nothing_and_the_cloud_everything()
    {
        var stranger = new BrokerClient("x", BrokerClientKind.Unprovisioned);
        EdgeTopicAccess.PublishDenial(stranger, "eba/v1/t/s/e/telemetry").ShouldNotBeNull();
        EdgeTopicAccess.SubscribeDenial(stranger, "eba/v1/t/s/e/config").ShouldNotBeNull();
        var cloud = new BrokerClient("cloud", BrokerClientKind.Cloud);
        EdgeTopicAccess.PublishDenial(cloud, "eba/v1/t/s/e/config").ShouldBeNull();
        EdgeTopicAccess.SubscribeDenial(cloud, "$share/g/eba/v1/+/+/+/telemetry").ShouldBeNull();
    }

    [Fact]
    public void The_mosquitto_files_list_enabled_edges_with_their_hashes_and_topics_and_the_cloud()
    {
        ProvisionedEdge[] edges =
        [
            new() { TenantId = "t", SiteId = "s", EdgeId = "e", ClientId = "eba-t-s-e", SecretHash = "$7$1000$a$b" },
            new() { TenantId = "t", SiteId = "s", EdgeId = "off", ClientId = "eba-t-s-off", SecretHash = "$7$1000$c$d", Enabled = false },
        ];

        MosquittoFiles.PasswordFileText(edges, "cloud", "$7$1000$x$y").ShouldBe("cloud:$7$1000$x$y\neba-t-s-e:$7$1000$a$b\n");
        var acl = MosquittoFiles.AclFileText(edges, "cloud");
        acl.ShouldContain("user cloud\ntopic readwrite #\n");
        acl.ShouldContain("user eba-t-s-e\ntopic write eba/v1/t/s/e/telemetry\ntopic write eba/v1/t/s/e/status\ntopic write eba/v1/t/s/e/events\n"
            + "topic write eba/v1/t/s/e/cmd-result/+\ntopic read eba/v1/t/s/e/config\ntopic read eba/v1/t/s/e/cmd/#\n");
        acl.ShouldNotContain("off");
    }

    [Fact]
    public void Sequence_gaps_saturate_instead_of_wrapping_negative_when_a_restored_count_is_added()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var stats = new IngestionStats(services.GetRequiredService<IMeterFactory>());
        stats.Restore(new IngestionStatsDto(0, 0, 0, 0, 5, 10, 0, null));

        stats.Sequences.Record("t/s/a", 1);
        stats.Sequences.Record("t/s/a", long.MaxValue);
        stats.Sequences.Record("t/s/b", 1);
        stats.Sequences.Record("t/s/b", long.MaxValue);

        stats.Snapshot().SequenceGaps.ShouldBe(long.MaxValue);
    }
}
