using Concord.Domain.Duplicates;

namespace Concord.Domain.Tests.Duplicates;

public sealed class DuplicateMeasureTests
{
    private static readonly DateTime Day = new(2026, 11, 26, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Clauses_are_normalized_full_width_case_digits_and_punctuation()
    {
        Assert.Equal(["欠薪0个月", "abc"], TextShingles.Clauses("欠薪３个月，ABC！"));
        Assert.Equal(["路灯0号不亮"], TextShingles.Clauses("路灯12号不亮"));
        Assert.Empty(TextShingles.Clauses("，。！ ？"));
    }

    [Fact]
    public void Shingles_are_two_and_three_character_grams_that_never_span_a_clause()
    {
        var grams = TextShingles.Characters("欠薪了，路灯").ToHashSet();
        Assert.Equal(new HashSet<string> { "欠薪", "薪了", "欠薪了", "路灯" }, grams);
        Assert.Equal(["好"], TextShingles.Characters("好。"));
    }

    [Fact]
    public void MinHash_estimates_jaccard_and_is_stable_across_runs()
    {
        var a = MinHash.Of("工地老板拖欠我们三个月工资，二十多名工人找不到人");
        var same = MinHash.Of("工地老板拖欠我们三个月工资，二十多名工人找不到人");
        var paraphrase = MinHash.Of("二十多名工人找不到老板，工地拖欠我们三个月的工资");
        var unrelated = MinHash.Of("小区路灯坏了一个星期，晚上走路很危险");
        Assert.Equal(1.0, a.Similarity(same));
        Assert.InRange(a.Similarity(paraphrase), 0.4, 0.95);
        Assert.InRange(a.Similarity(unrelated), 0.0, 0.1);

        // The true Jaccard of two sets with 60 of 100 elements shared is 0.6; 128 hashes estimate it within a few tenths of the error bound.
        var left = Enumerable.Range(0, 80).Select(i => $"x{i}");
        var right = Enumerable.Range(20, 80).Select(i => $"x{i}");
        Assert.InRange(MinHash.Of(left).Similarity(MinHash.Of(right)), 0.6 - 0.2, 0.6 + 0.2);

        // Stored form round-trips, and fixed seeds give the same signature in any process.
        Assert.Equal(1.0, MinHash.FromBytes(a.ToBytes()).Similarity(a));
        Assert.Equal(512, a.ToBytes().Length);
        Assert.Equal("BC26FA80", Convert.ToHexString(MinHash.Of(["欠薪"]).ToBytes().AsSpan(0, 4)));
    }

    [Fact]
    public void An_empty_text_is_similar_to_nothing()
    {
        Assert.True(MinHash.Of("，。").IsEmpty);
        Assert.Equal(0, MinHash.Of("").Similarity(MinHash.Of("")));
        Assert.Throws<ArgumentException>(() => MinHash.FromBytes(new byte[3]));
    }

    [Fact]
    public void The_shingler_can_be_swapped()
    {
        Shingler words = text => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1.0, MinHash.Of("欠薪 工地", words).Similarity(MinHash.Of("工地 欠薪", words)));
    }

    [Fact]
    public void Haversine_distance_matches_known_values()
    {
        // One degree of latitude is about 111.2 km; one of longitude at 35.5° about 90.6 km.
        Assert.InRange(Geo.DistanceMeters(35, 106, 36, 106), 111_100, 111_300);
        Assert.InRange(Geo.DistanceMeters(35.5, 106, 35.5, 107), 90_500, 90_700);
        Assert.Equal(0, Geo.DistanceMeters(35.54, 106.68, 35.54, 106.68), 6);
        Assert.InRange(Geo.DistanceMeters(35.54, 106.68, 35.5409, 106.68), 99, 101);
    }

    [Fact]
    public void The_cells_around_a_point_hold_every_point_within_the_radius()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var lat = 35 + random.NextDouble();
            var lon = 106 + random.NextDouble();
            var cells = Geo.CellsAround(lat, lon, 250);
            var bearing = random.NextDouble() * 2 * Math.PI;
            var meters = random.NextDouble() * 249;
            var (otherLat, otherLon) = (lat + meters * Math.Cos(bearing) / 111_195, lon + meters * Math.Sin(bearing) / (111_195 * Math.Cos(lat * Math.PI / 180)));
            Assert.True(Geo.DistanceMeters(lat, lon, otherLat, otherLon) < 250);
            Assert.Contains(Geo.CellOf(otherLat, otherLon), cells);
            Assert.InRange(cells.Count, 1, 4);
        }
    }

    [Theory]
    [InlineData("020101", "020101", CategoryRelation.Same)]
    [InlineData("020101", "020102", CategoryRelation.SameParent)]
    [InlineData("0201", "020102", CategoryRelation.SameParent)]
    [InlineData("020101", "130301", CategoryRelation.Other)]
    [InlineData("020101", "020201", CategoryRelation.Other)]
    [InlineData(null, "020101", CategoryRelation.Unknown)]
    public void Categories_relate_by_their_codes(string? a, string? b, CategoryRelation expected) =>
        Assert.Equal(expected, DuplicateScorer.Relate(a, b));

    private static DuplicateProbe Probe(string text, double lat, double lon, DateTime at, string? category = "020101") =>
        new(MinHash.Of(text), lat, lon, "620802001007004", at, category);

    [Fact]
    public void A_paraphrase_100_m_away_the_next_day_scores_with_its_reasons()
    {
        var a = Probe("工地老板拖欠我们三个月工资，二十多名工人找不到人，请帮忙讨薪", 35.54, 106.68, Day);
        var b = Probe("二十多名工人找不到人，工地老板拖欠我们3个月的工资，请帮忙讨薪", 35.5409, 106.68, Day.AddDays(1));
        var match = DuplicateScorer.Score(a, b, new DuplicateSettings());
        Assert.True(match is not null, $"text similarity {a.Text.Similarity(b.Text)}");
        Assert.InRange(match.Score, 0.5, 1);
        Assert.InRange(match.DistanceMeters!.Value, 99, 101);
        Assert.Equal(CategoryRelation.Same, match.Category);
        Assert.Equal(["distance", "days_apart", "same_category", "text_similarity"], match.Reasons.Select(r => r.Code));
        Assert.Equal("100", match.Reasons[0].ValueText);
        Assert.Equal("1", match.Reasons[1].ValueText);
        Assert.Matches(@"^0\.\d\d$", match.Reasons[3].ValueText);
    }

    [Fact]
    public void Place_time_and_text_are_hard_limits()
    {
        var text = "工地老板拖欠我们三个月工资，二十多名工人找不到人";
        var a = Probe(text, 35.54, 106.68, Day);
        var settings = new DuplicateSettings();
        Assert.Null(DuplicateScorer.Score(a, Probe(text, 35.558, 106.68, Day), settings)); // 2 km away
        Assert.Null(DuplicateScorer.Score(a, Probe(text, 35.54, 106.68, Day.AddDays(45), "130301"), settings)); // another category, far apart in time
        Assert.Null(DuplicateScorer.Score(a, Probe("小区路灯坏了一个星期，晚上走路很危险", 35.54, 106.68, Day), settings)); // another problem, same place
        // The radius is a setting.
        Assert.NotNull(DuplicateScorer.Score(a, Probe(text, 35.558, 106.68, Day), settings with { RadiusMeters = 3000 }));
    }

    [Fact]
    public void Without_points_the_same_territory_counts_half_of_the_place()
    {
        var text = "工地老板拖欠我们三个月工资，二十多名工人找不到人";
        var a = new DuplicateProbe(MinHash.Of(text), null, null, "620802001", Day, "020101");
        var b = a with { ReceivedAt = Day.AddHours(3) };
        var match = DuplicateScorer.Score(a, b, new DuplicateSettings());
        Assert.NotNull(match);
        Assert.Null(match.DistanceMeters);
        Assert.Equal("same_territory", match.Reasons[0].Code);
        Assert.True(match.Score < 1);
        Assert.Null(DuplicateScorer.Score(a, b with { TerritoryCode = "620802002" }, new DuplicateSettings()));
    }

    [Fact]
    public void Closer_in_every_respect_scores_higher()
    {
        var text = "工地老板拖欠我们三个月工资，二十多名工人找不到人";
        var a = Probe(text, 35.54, 106.68, Day);
        var settings = new DuplicateSettings();
        var near = DuplicateScorer.Score(a, Probe(text, 35.5402, 106.68, Day), settings)!;
        var farther = DuplicateScorer.Score(a, Probe(text, 35.5415, 106.68, Day.AddDays(10)), settings)!;
        var sibling = DuplicateScorer.Score(a, Probe(text, 35.5402, 106.68, Day, "020102"), settings)!;
        Assert.True(near.Score > farther.Score);
        Assert.True(near.Score > sibling.Score);
        Assert.Equal(CategoryRelation.SameParent, sibling.Category);
    }
}
