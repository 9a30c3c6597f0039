using System.Text.RegularExpressions;
using Concord.Domain.Matters;

namespace Concord.Domain.Tests.Matters;

public sealed partial class WireNamesTests
{
    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    [Fact]
    public void Every_kind_round_trips()
    {
        foreach (var kind in Enum.GetValues<MatterKind>())
        {
            Assert.True(WireNames.TryParseKind(kind.ToWire(), out var parsed), kind.ToString());
            Assert.Equal(kind, parsed);
        }
    }

    [Fact]
    public void Every_channel_round_trips()
    {
        foreach (var channel in Enum.GetValues<Channel>())
        {
            Assert.True(WireNames.TryParseChannel(channel.ToWire(), out var parsed), channel.ToString());
            Assert.Equal(channel, parsed);
        }
    }

    [Fact]
    public void Every_status_round_trips()
    {
        foreach (var status in Enum.GetValues<MatterStatus>())
        {
            Assert.True(WireNames.TryParseStatus(status.ToWire(), out var parsed), status.ToString());
            Assert.Equal(status, parsed);
        }
    }

    [Fact]
    public void The_name_lists_hold_one_distinct_snake_case_name_per_value()
    {
        AssertNames(WireNames.KindNames, Enum.GetValues<MatterKind>().Select(k => k.ToWire()));
        AssertNames(WireNames.ChannelNames, Enum.GetValues<Channel>().Select(c => c.ToWire()));
        AssertNames(WireNames.StatusNames, Enum.GetValues<MatterStatus>().Select(s => s.ToWire()));

        static void AssertNames(IReadOnlyCollection<string> listed, IEnumerable<string> ofValues)
        {
            var names = ofValues.ToList();
            Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(names.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
            Assert.All(names, name => Assert.Matches(SnakeCase(), name));
        }
    }

    [Theory]
    [InlineData("appeal", MatterKind.Appeal)]
    [InlineData("dispute", MatterKind.Dispute)]
    [InlineData("hazard", MatterKind.Hazard)]
    [InlineData("report", MatterKind.Report)]
    public void Kinds_have_their_published_names(string name, MatterKind kind)
    {
        Assert.Equal(name, kind.ToWire());
    }

    [Theory]
    [InlineData("portal", Channel.Portal)]
    [InlineData("hotline", Channel.Hotline)]
    [InlineData("walkin", Channel.WalkIn)]
    [InlineData("grid", Channel.Grid)]
    [InlineData("member_unit", Channel.MemberUnit)]
    [InlineData("court_diversion", Channel.CourtDiversion)]
    [InlineData("open311", Channel.Open311)]
    public void Channels_have_their_published_names(string name, Channel channel)
    {
        Assert.Equal(name, channel.ToWire());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Appeal")] // names are case-sensitive
    [InlineData("APPEAL")]
    [InlineData(" appeal")]
    [InlineData("appeal ")]
    [InlineData("complaint")]
    [InlineData("0")] // not the enum's number
    [InlineData("Dispute")]
    public void Unknown_kind_names_are_refused(string? name)
    {
        Assert.False(WireNames.TryParseKind(name, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("WalkIn")]
    [InlineData("walk_in")]
    [InlineData("memberunit")]
    [InlineData("MemberUnit")]
    [InlineData("12345")]
    [InlineData("email")]
    public void Unknown_channel_names_are_refused(string? name)
    {
        Assert.False(WireNames.TryParseChannel(name, out _));
    }

    [Theory]
    [InlineData("Received")]
    [InlineData("")]
    public void Unknown_status_names_are_refused(string name)
    {
        Assert.False(WireNames.TryParseStatus(name, out _));
    }
}
