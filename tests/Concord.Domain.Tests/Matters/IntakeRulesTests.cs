using Concord.Domain.Categories;
using Concord.Domain.Matters;
using Concord.Domain.Territories;
using Concord.Domain.Tests.Territories;

namespace Concord.Domain.Tests.Matters;

public sealed class IntakeRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 30, 0, TimeSpan.FromHours(8));

    private static readonly CategoryCatalog Categories = new(
    [
        new Category("03", "房地产", "Real estate", true, Urgency.General, new(1, WorkingSpanUnit.Days), new(15, WorkingSpanUnit.Days), []),
        new Category("0301", "物业管理", "Property management", true, Urgency.General, new(1, WorkingSpanUnit.Days), new(15, WorkingSpanUnit.Days), ["物业"]),
    ]);

    private static readonly TerritoryTree Territories = SampleTerritories.Tree();

    private static readonly MatterDraft Valid = new()
    {
        Kind = "dispute",
        Channel = "hotline",
        Title = "邻居占用楼道",
        Description = "邻居长期在楼道堆放杂物，协商无果。",
        CategoryCode = "0301",
        Lat = 30.125,
        Lon = 100.125,
        TerritoryCode = SampleTerritories.DongguanGrid1,
        Address = "平凉市崆峒区城关镇东关社区3号楼",
        OccurredAt = Now.AddDays(-1),
        ReporterName = "张三",
        ReporterPhone = "13812345678",
        Parties = [new PartyDraft("李四", "0933-8212345", "邻居")],
    };

    private static List<FieldError> Validate(MatterDraft draft) => IntakeRules.Validate(draft, Categories, Territories, Now);

    private static FieldError Single(MatterDraft draft)
    {
        var errors = Validate(draft);
        return Assert.Single(errors);
    }

    private static void AssertError(FieldError error, string field, string key, params object[] args)
    {
        Assert.Equal(field, error.Field);
        Assert.Equal(key, error.MessageKey);
        Assert.Equal(args, error.Args);
    }

    // ------------------------------------------------------------------ a valid draft

    [Fact]
    public void A_valid_draft_has_no_errors()
    {
        Assert.Empty(Validate(Valid));
    }

    [Fact]
    public void A_minimal_draft_has_no_errors()
    {
        var minimal = new MatterDraft { Kind = "appeal", Channel = "portal", Title = "路灯不亮", Description = "东关路路灯不亮。", Address = "东关路" };

        Assert.Empty(Validate(minimal));
    }

    // ------------------------------------------------------------------ kind and channel

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Kind_is_required(string? kind)
    {
        AssertError(Single(Valid with { Kind = kind }), "kind", "required");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\t")]
    public void Channel_is_required(string? channel)
    {
        AssertError(Single(Valid with { Channel = channel }), "channel", "required");
    }

    [Fact]
    public void An_unknown_kind_is_refused_with_the_allowed_values()
    {
        var error = Single(Valid with { Kind = "complaint" });

        Assert.Equal("kind", error.Field);
        Assert.Equal("one_of", error.MessageKey);
        Assert.Equal("complaint", error.Args[0]);
        Assert.Equal(
            Enum.GetValues<MatterKind>().Select(k => k.ToWire()).Order(StringComparer.Ordinal),
            Assert.IsType<string>(error.Args[1]).Split(", ").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unknown_channel_is_refused_with_the_allowed_values()
    {
        var error = Single(Valid with { Channel = "WalkIn" });

        Assert.Equal("channel", error.Field);
        Assert.Equal("one_of", error.MessageKey);
        Assert.Equal("WalkIn", error.Args[0]);
        Assert.Equal(
            Enum.GetValues<Channel>().Select(c => c.ToWire()).Order(StringComparer.Ordinal),
            Assert.IsType<string>(error.Args[1]).Split(", ").Order(StringComparer.Ordinal));
    }

    // ------------------------------------------------------------------ title and description

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Title_is_required(string? title)
    {
        AssertError(Single(Valid with { Title = title }), "title", "required");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n ")]
    public void Description_is_required(string? description)
    {
        AssertError(Single(Valid with { Description = description }), "description", "required");
    }

    [Fact]
    public void A_title_of_100_characters_is_accepted_and_101_refused()
    {
        Assert.Empty(Validate(Valid with { Title = new string('楼', 100) }));
        Assert.Empty(Validate(Valid with { Title = "  " + new string('楼', 100) + "  " })); // measured after trimming

        AssertError(Single(Valid with { Title = new string('楼', 101) }), "title", "too_long", 100, 101);
    }

    [Fact]
    public void A_description_of_4000_characters_is_accepted_and_4001_refused()
    {
        Assert.Empty(Validate(Valid with { Description = new string('述', 4000) }));

        AssertError(Single(Valid with { Description = new string('述', 4001) }), "description", "too_long", 4000, 4001);
    }

    [Fact]
    public void An_address_of_200_characters_is_accepted_and_201_refused()
    {
        Assert.Empty(Validate(Valid with { Address = new string('路', 200) }));

        AssertError(Single(Valid with { Address = new string('路', 201) }), "address", "too_long", 200, 201);
    }

    [Fact]
    public void A_reporter_name_of_50_characters_is_accepted_and_51_refused()
    {
        Assert.Empty(Validate(Valid with { ReporterName = new string('名', 50) }));

        AssertError(Single(Valid with { ReporterName = new string('名', 51) }), "reporter.name", "too_long", 50, 51);
    }

    // ------------------------------------------------------------------ category and territory

    [Fact]
    public void An_unknown_category_is_refused()
    {
        AssertError(Single(Valid with { CategoryCode = "0399" }), "categoryCode", "unknown_category", "0399");
    }

    [Fact]
    public void The_category_is_optional()
    {
        Assert.Empty(Validate(Valid with { CategoryCode = null }));
    }

    [Fact]
    public void An_unknown_territory_is_refused()
    {
        AssertError(Single(Valid with { TerritoryCode = "620899" }), "territoryCode", "unknown_territory", "620899");
    }

    // ------------------------------------------------------------------ place

    [Theory]
    [InlineData(-90.0, 0.0)]
    [InlineData(90.0, 0.0)]
    [InlineData(0.0, -180.0)]
    [InlineData(0.0, 180.0)]
    [InlineData(35.5427, 106.6650)]
    public void Coordinates_at_and_inside_the_limits_are_accepted(double lat, double lon)
    {
        Assert.Empty(Validate(Valid with { Lat = lat, Lon = lon }));
    }

    [Theory]
    [InlineData(90.0001)]
    [InlineData(-91.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_latitude_out_of_range_is_refused(double lat)
    {
        AssertError(Single(Valid with { Lat = lat }), "location.lat", "out_of_range", lat, -90, 90);
    }

    [Theory]
    [InlineData(180.5)]
    [InlineData(-181.0)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void A_longitude_out_of_range_is_refused(double lon)
    {
        AssertError(Single(Valid with { Lon = lon }), "location.lon", "out_of_range", lon, -180, 180);
    }

    [Fact]
    public void A_latitude_without_a_longitude_is_refused()
    {
        AssertError(Single(Valid with { Lon = null }), "location.lon", "required");
    }

    [Fact]
    public void A_longitude_without_a_latitude_is_refused()
    {
        AssertError(Single(Valid with { Lat = null }), "location.lat", "required");
    }

    [Fact]
    public void A_draft_without_any_place_is_refused()
    {
        var error = Single(Valid with { Lat = null, Lon = null, TerritoryCode = null, Address = "   " });

        AssertError(error, "location", "place_required");
    }

    [Theory]
    [InlineData(30.125, 100.125, null, null)]
    [InlineData(null, null, "620802", null)]
    [InlineData(null, null, null, "东关路")]
    public void Any_one_place_is_enough(double? lat, double? lon, string? territory, string? address)
    {
        Assert.Empty(Validate(Valid with { Lat = lat, Lon = lon, TerritoryCode = territory, Address = address }));
    }

    // ------------------------------------------------------------------ time

    [Theory]
    [InlineData(-60 * 24 * 365)]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(10)] // exactly the tolerated clock skew
    public void OccurredAt_in_the_past_or_within_the_tolerance_is_accepted(int minutesFromNow)
    {
        Assert.Empty(Validate(Valid with { OccurredAt = Now.AddMinutes(minutesFromNow) }));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(60 * 24)]
    public void OccurredAt_in_the_future_beyond_the_tolerance_is_refused(int minutesFromNow)
    {
        AssertError(Single(Valid with { OccurredAt = Now.AddMinutes(minutesFromNow) }), "occurredAt", "in_future");
    }

    [Fact]
    public void OccurredAt_is_compared_as_an_instant_whatever_its_offset()
    {
        // 02:00 UTC is 10:00 in Beijing, half an hour after Now.
        var inUtc = new DateTimeOffset(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

        AssertError(Single(Valid with { OccurredAt = inUtc }), "occurredAt", "in_future");
        Assert.Empty(Validate(Valid with { OccurredAt = inUtc.AddMinutes(-35) }));
    }

    // ------------------------------------------------------------------ phones

    [Theory]
    [InlineData("13812345678")]
    [InlineData("+86 138 1234 5678")]
    [InlineData("+86-138-1234-5678")]
    [InlineData("0933-8212345")]
    [InlineData("(0933) 8212345")]
    [InlineData("12345")] // the hotline itself: five digits
    [InlineData("12345678901234567890")] // twenty digits
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Phone_formats_that_are_accepted(string? phone)
    {
        Assert.Empty(Validate(Valid with { ReporterPhone = phone }));
    }

    [Theory]
    [InlineData("1234")] // four digits
    [InlineData("123456789012345678901")] // twenty-one digits
    [InlineData("138abc45678")]
    [InlineData("电话13812345678")]
    [InlineData("138.1234.5678")]
    [InlineData("１３８１２３４５６７８")] // full-width digits
    [InlineData("+86 ---- ()")]
    [InlineData("1+2+3+4+5")] // a plus only leads, for the country code
    [InlineData("138 - 1234 - 5678 -    -    -   ")] // padding beyond 30 characters
    [InlineData("138 1234 5678+")]
    public void Phone_formats_that_are_refused(string phone)
    {
        AssertError(Single(Valid with { ReporterPhone = phone }), "reporter.phone", "bad_phone");
    }

    // ------------------------------------------------------------------ parties

    [Fact]
    public void Twenty_parties_are_accepted_and_twenty_one_refused()
    {
        var parties = Enumerable.Range(1, 21).Select(i => new PartyDraft($"当事人{i}", null, null)).ToList();

        Assert.Empty(Validate(Valid with { Parties = parties.Take(20).ToList() }));
        AssertError(Single(Valid with { Parties = parties }), "parties", "too_many", 20);
    }

    [Fact]
    public void Only_the_first_twenty_parties_are_checked_one_by_one()
    {
        var parties = Enumerable.Range(1, 20).Select(i => new PartyDraft($"当事人{i}", null, null))
            .Append(new PartyDraft(null, "bad", null))
            .ToList();

        AssertError(Single(Valid with { Parties = parties }), "parties", "too_many", 20);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void A_party_name_is_required(string? name)
    {
        var parties = new[] { new PartyDraft("李四", null, null), new PartyDraft(name, "13812345678", "邻居") };

        AssertError(Single(Valid with { Parties = parties }), "parties[1].name", "required");
    }

    [Fact]
    public void A_partys_name_phone_and_role_are_checked_with_its_index()
    {
        var parties = new[]
        {
            new PartyDraft(new string('名', 51), "12", new string('角', 31)),
            new PartyDraft("王五", null, new string('角', 30)),
        };

        var errors = Validate(Valid with { Parties = parties });

        Assert.Equal(3, errors.Count);
        AssertError(errors[0], "parties[0].name", "too_long", 50, 51);
        AssertError(errors[1], "parties[0].phone", "bad_phone");
        AssertError(errors[2], "parties[0].role", "too_long", 30, 31);
    }

    // ------------------------------------------------------------------ all at once

    [Fact]
    public void Every_fault_is_reported_at_once()
    {
        var draft = new MatterDraft
        {
            Kind = "complaint",
            Channel = null,
            Title = new string('题', 101),
            Description = " ",
            CategoryCode = "99",
            Lat = 91,
            Lon = null,
            TerritoryCode = "000000",
            Address = new string('址', 201),
            OccurredAt = Now.AddHours(1),
            ReporterName = new string('名', 51),
            ReporterPhone = "abc",
            Parties = [new PartyDraft(null, "1", null)],
        };

        var errors = Validate(draft);

        Assert.Equal(
            [
                ("kind", "one_of"),
                ("channel", "required"),
                ("title", "too_long"),
                ("description", "required"),
                ("categoryCode", "unknown_category"),
                ("location.lat", "out_of_range"),
                ("location.lon", "required"),
                ("territoryCode", "unknown_territory"),
                ("address", "too_long"),
                ("occurredAt", "in_future"),
                ("reporter.name", "too_long"),
                ("reporter.phone", "bad_phone"),
                ("parties[0].name", "required"),
                ("parties[0].phone", "bad_phone"),
            ],
            errors.Select(e => (e.Field, e.MessageKey)));
    }

    [Fact]
    public void An_empty_draft_reports_every_required_field_and_the_missing_place()
    {
        var errors = Validate(new MatterDraft());

        Assert.Equal(
            [("kind", "required"), ("channel", "required"), ("title", "required"), ("description", "required"), ("location", "place_required")],
            errors.Select(e => (e.Field, e.MessageKey)));
    }
}
